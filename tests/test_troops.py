"""Troop-count mentions: the sample against gold, sentences from other conflicts, and the traps."""

import json

import pytest
from conftest import SAMPLE
from helpers import thread_of

import threadlib
from threadlib.cli import main
from threadlib.output import frame_records
from threadlib.score import score


@pytest.fixture(scope="module")
def sample_troops():
    return threadlib.troops(threadlib.load_thread(SAMPLE))


def test_sample_against_gold(sample_troops, gold):
    result = score("troops", gold("troops"), list(frame_records(sample_troops)))
    assert result.precision >= 0.95 and result.recall >= 0.95, result.report()
    for name in ("qualifier", "actor", "location", "as_of"):
        assert result.field_accuracy[name] >= 0.9, result.report()


def test_offsets_point_into_the_post(sample_troops):
    thread = threadlib.load_thread(SAMPLE)
    for row in sample_troops.itertuples():
        source = getattr(thread[row.post_id - 1], row.field)
        assert " ".join(source[row.start:row.end].split()) == row.text


def test_columns_and_dtypes(sample_troops):
    assert list(sample_troops.columns)[:11] == ["post_id", "published", "sentence", "text", "value", "low",
                                                "high", "qualifier", "actor", "location", "as_of"]
    assert sample_troops["value"].dtype == "Int64"


def _mentions(body, **kwargs):
    frame = threadlib.troops(thread_of(body, **kwargs))
    return [(r["value"], r["qualifier"], r["actor"]) for r in frame_records(frame)]


OTHER_CONFLICTS = [
    # (body, thread title, expected [(value, qualifier, actor)])
    ("The United States will keep about 14,000 troops in Afghanistan, officials said.", "AFGHANISTAN",
     [(14000, "approx", "US")]),
    ("NATO has about 9,600 troops from 39 countries in Afghanistan.", "AFGHANISTAN",
     [(9600, "approx", "coalition")]),
    ("The Afghan army has roughly 180,000 soldiers.", "AFGHANISTAN", [(180000, "approx", "host")]),
    ("The Taliban have as many as 85,000 fighters, a U.N. report said.", "AFGHANISTAN",
     [(85000, "at_most", "insurgent")]),
    ("Between 2,000 and 3,000 Marines will deploy to Helmand.", "AFGHANISTAN",
     [(2000, "range", "US")]),
    ("Russia has massed more than 100,000 troops near Ukraine's border.", "UKRAINE",
     [(100000, "more_than", "other")]),
    ("Ukraine's military said it has trained tens of thousands of reservists.", "UKRAINE",
     [(None, "vague", "host")]),
    ("The Wagner group has about 1,000 mercenaries in Mali.", "MALI", [(1000, "approx", "other")]),
    ("Some 5,000 U.N. peacekeepers are stationed in Mali.", "MALI", [(5000, "approx", "coalition")]),
    ("In 2013, France sent 4,500 soldiers to Mali.", "MALI", [(4500, "exact", "coalition")]),
    ("Kurdish-led militias number some 60,000 fighters in northeastern Syria.", "SYRIA",
     [(60000, "approx", "militia")]),
    ("Iran-backed militias have about 10,000 militiamen in Syria, and another 2,000 in Iraq.", "SYRIA",
     [(10000, "approx", "militia"), (2000, "exact", "militia")]),
    # traps: casualties, captives, recruits, civilians, multiplicatives, years, money
    ("Taliban fighters killed 12 Afghan soldiers in Helmand.", "AFGHANISTAN", []),
    ("Two U.S. service members were wounded in the attack.", "AFGHANISTAN", []),
    ("Kurdish forces hold about 10,000 Islamic State detainees in Syria.", "SYRIA", []),
    ("An estimated 40,000 foreign fighters made their way to Syria.", "SYRIA", []),
    ("The camp holds thousands of former ISIS fighters.", "SYRIA", []),
    ("Dozens of militiamen were killed in the strikes.", "SYRIA", []),
    ("The group can mobilize thousands of volunteers.", "SYRIA", []),
    ("Russia now has three times as many troops as in 2014.", "UKRAINE", []),
    ("Congress gave $300 million to train 2,000 in 2023.", "UKRAINE", []),
    ("Police arrested 40 protesters in Bamako.", "MALI", []),
    ("The army lost several soldiers in the ambush.", "MALI", []),
    ("Ukraine has received 31 tanks and 12 air defense systems.", "UKRAINE", []),
]


@pytest.mark.parametrize("body, title, expected", OTHER_CONFLICTS, ids=[c[0][:40] for c in OTHER_CONFLICTS])
def test_sentences_from_other_conflicts(body, title, expected):
    assert _mentions(body, title=title) == expected


@pytest.mark.parametrize("body, published, as_of, location", [
    ("In 2013, France sent 4,500 soldiers to Mali.", "2021-04-14", "2013", "Mali"),
    ("The U.S. had 2,500 troops in Afghanistan in 2021.", "2023-05-01", "2021", "Afghanistan"),
    ("All 2,500 U.S. troops will leave Afghanistan by May 1.", "2021-04-14", "2021-05-01", "Afghanistan"),
    ("There are currently 2,500 U.S. troops in Afghanistan.", "2021-04-14", "2021-04-14", "Afghanistan"),
    ("A March report estimated that 9,000 Islamic State fighters operate in Syria and Iraq.", "2021-07-26",
     "2021-03", ["Syria", "Iraq"]),
    # plans: "after" a year is the year after; a span ahead of the article ends in its year
    ("He had called for 9,800 U.S. troops to stay in Afghanistan after the end of 2014.", "2014-11-22", "2015",
     "Afghanistan"),
    ("The president's call to cut the French presence in Mali to 2,500 troops in 18 months drew criticism.",
     "2021-06-10", "2022", "Mali"),
    ("NATO plans to keep 4,000 troops in Kosovo after 2024.", "2023-05-01", "2025", "Kosovo"),
])
def test_as_of_and_location(body, published, as_of, location):
    (row,) = frame_records(threadlib.troops(thread_of(body, published=published)))
    assert (row["as_of"], row["location"]) == (as_of, location)


def test_location_from_the_headline_when_the_sentence_names_none():
    thread = thread_of("About 900 soldiers remain, officials said.", headline="Troops stay in Niger")
    (row,) = frame_records(threadlib.troops(thread))
    assert row["location"] == "Niger"


def test_extract_troops_cli(capsys):
    assert main(["extract", "troops", str(SAMPLE)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all({"value", "actor", "location", "as_of"} <= set(r) for r in records)


def _mention(post_id, text, value, qualifier, as_of, actor="US", location="Iraq", sentence=None):
    return {"post_id": post_id, "sentence": sentence or f"s{post_id}", "text": text, "value": value, "low": None,
            "high": None, "qualifier": qualifier, "actor": actor, "location": location, "as_of": as_of}


def test_troop_disagreements_pair_only_figures_of_one_actor_place_and_month():
    import pandas as pd

    mentions = pd.DataFrame([
        _mention(1, "about 2,500 troops", 2500, "approx", "2024-01-19"),
        _mention(2, "900 troops", 900, "exact", "2024-01-22"),                   # disagrees with post 1
        _mention(3, "2,600 troops", 2600, "exact", "2024-01"),                    # within "about 2,500"
        _mention(4, "900 troops", 900, "exact", "2024-02-01"),                    # another month
        _mention(5, "900 troops", 900, "exact", "2024-01-20", location="Syria"),  # another place
        _mention(6, "200 troops", 200, "exact", "2024-01-05", actor="coalition"),  # another actor
        _mention(2, "another 200", 200, "exact", "2024-01-22", sentence="s2"),   # part of post 2's sentence
    ])
    found = threadlib.troop_disagreements(mentions)
    # "another 200" adds to a level: it is never compared with one
    assert list(zip(found["first_post_id"], found["second_text"])) == [(1, "900 troops"), (2, "2,600 troops")]
    assert set(found["when"]) == {"2024-01"}


# `host` is a relation between a force and the country it stands in (spec v1.3): the thread's own
# state's forces abroad are not host, and forces massed on their own side of a border are at home.
@pytest.mark.parametrize("body, title, actor, location", [
    ("Turkey has deployed 3,000 troops in northern Syria.", "TURKEY", "other", "Syria"),
    ("About 5,000 Turkish soldiers are massed on the border with Syria.", "TURKEY", "host", "Turkey"),
    ("Some 2,000 Turkish troops are stationed in Turkey's Hatay province.", "TURKEY", "host", "Turkey"),
    ("Russia has massed 100,000 troops along its border with Ukraine.", "UKRAINE", "other", "Russia"),
    ("Ethiopia sent 4,000 troops to Somalia.", "ETHIOPIA", "other", "Somalia"),
    ("Some 3,000 Ethiopian troops guard Addis Ababa.", "ETHIOPIA", "host", None),
])
def test_host_is_the_force_of_the_country_it_stands_in(body, title, actor, location):
    (row,) = frame_records(threadlib.troops(thread_of(body, title=title)))
    assert (row["actor"], row["location"]) == (actor, location)


def test_a_post_with_no_date_line_keeps_an_absolute_plan_date_and_nothing_relative():
    body = ("The agreement would allow thousands of troops to stay in the country after 2014. "
            "There are 5,000 troops there now.")
    thread = threadlib.load_thread(f"AFGHANISTAN\n\nreader\nMember\nPosts: 10\n\nRe: AFGHANISTAN\n\nPost by reader »\n\n{body}\n")
    rows = list(frame_records(threadlib.troops(thread)))
    assert [(r["text"], r["as_of"]) for r in rows] == [("thousands of troops", "2015"), ("5,000 troops", None)]
