"""Attack-frequency claims: the sample against gold, other conflicts, traps, and the consistency view."""

import json

import pandas as pd
import pytest
from conftest import SAMPLE
from helpers import thread_of

import threadlib
from threadlib.attacks import find_attack_claims
from threadlib.cli import main
from threadlib.output import frame_records
from threadlib.score import score


@pytest.fixture(scope="module")
def sample():
    return threadlib.load_thread(SAMPLE)


def test_sample_against_gold_with_the_words_precision(sample, gold):
    """The gold gives a named event the precision of the words ("last October")."""
    result = score("attacks", gold("attacks"), list(frame_records(threadlib.attacks(sample, use_events=False))))
    assert result.precision >= 0.95 and result.recall >= 0.95, result.report()
    for name in ("qualifier", "unit", "target", "location", "window_start"):
        assert result.field_accuracy[name] >= 0.9, result.report()
    assert result.field_accuracy["window_start_month"] >= 0.95


def test_sample_with_the_event_table(sample, gold):
    """By default a named event takes its day from events.csv, as the spec allows; only that
    record's window_start differs from the gold, and only in its day."""
    result = score("attacks", gold("attacks"), list(frame_records(threadlib.attacks(sample))))
    assert (result.precision, result.recall) == (1.0, 1.0)
    assert result.field_accuracy["window_start_month"] == 1.0
    assert [(name, g["window_start"], p["window_start"]) for name, g, p in result.field_errors] == [
        ("window_start", "2023-10", "2023-10-07")]


def test_rates_and_windows(sample):
    frame = threadlib.attacks(sample).set_index("text")
    assert frame.loc["at least 55 times", "window_days"] == 94          # Oct. 17 to Jan. 19
    assert frame.loc["at least 55 times", "rate_per_week"] == pytest.approx(55 / (94 / 7), abs=0.01)
    assert pd.isna(frame.loc["two retaliatory attacks", "rate_per_week"])  # no window start
    assert frame.loc["more than 140 incidents", "window_start_text"] == "since mid-October"


def _claims(body, **kwargs):
    return [(r["count"], r["qualifier"], r["unit"], r["attacker"], r["target"])
            for r in frame_records(threadlib.attacks(thread_of(body, **kwargs)))]


OTHER_CONFLICTS = [
    ("The Taliban have carried out more than 300 attacks on Afghan forces since May 1.", "AFGHANISTAN",
     "2021-07-20", [(300, "more_than", "attacks", "insurgent", "host")]),
    ("U.S. aircraft conducted 12 airstrikes against the Taliban this month.", "AFGHANISTAN", "2021-07-20",
     [(12, "exact", "strikes", "US", "insurgent")]),
    ("Russian forces shelled Kharkiv at least 40 times over the weekend.", "UKRAINE", "2022-05-02",
     [(40, "at_least", "times", "other", None)]),
    ("Kurdish forces have been attacked twice this week by Turkish drones.", "SYRIA", "2023-10-12",
     [(2, "exact", "times", "other", "militia")]),
    ("Jihadists launched dozens of attacks on Malian army posts in the past month.", "MALI", "2022-08-10",
     [(None, "vague", "attacks", "insurgent", "host")]),
    ("It was the third day of attacks in a row on the base.", "SYRIA", "2023-10-20",
     [(3, "exact", "days", None, None)]),
    # traps: one attack on several targets, "repeatedly", casualties, comparatives
    ("The U.S. struck three sites used by militias in Syria.", "SYRIA", "2024-02-03", []),
    ("Militants have repeatedly attacked the base since October.", "SYRIA", "2024-02-03", []),
    ("The attack killed 12 soldiers and wounded 30 others.", "MALI", "2022-08-10", []),
    ("There were three times as many attacks as last year.", "MALI", "2022-08-10", []),
    ("The deadliest attack in several years hit Kabul.", "AFGHANISTAN", "2021-08-27", []),
    ("A six-month truce ended in October.", "SYRIA", "2024-02-03", []),
    # projectiles fired over a span, days of bombardment, vague counts (spec v1.3)
    ("Hamas fired more than 300 rockets at Israel in two days.", "ISRAEL", "2021-05-12",
     [(300, "more_than", "attacks", "insurgent", "host")]),
    ("Russia has launched some 2,000 missiles at Ukraine since the war began.", "UKRAINE", "2022-06-01",
     [(2000, "approx", "attacks", "other", "host")]),
    ("The Houthis have launched more than 100 drones at ships in the Red Sea since November.", "YEMEN", "2024-02-01",
     [(100, "more_than", "attacks", "insurgent", None)]),
    ("After a week of shelling, the town fell.", "UKRAINE", "2022-06-01", [(7, "exact", "days", None, None)]),
    ("Militants carried out a handful of mortar attacks on the base.", "SOMALIA", "2022-06-01",
     [(None, "vague", "attacks", "insurgent", None)]),
    ("North Korea fired two ballistic missiles into the sea on Thursday.", "KOREA", "2022-06-01", []),  # one barrage
    ("North Korea has tested 12 missiles this year.", "KOREA", "2022-06-01", []),  # tests are no attacks
    # who speaks is no party: the speaker's nationality is neither attacker nor target
    ("A Yemeni official said four drone strikes have been carried out in the past 10 days.", "NEWS", "2013-08-05",
     [(4, "exact", "strikes", None, None)]),
    ("Malian army sources said the jihadists had attacked the base twice this month.", "NEWS", "2022-08-10",
     [(2, "exact", "times", "insurgent", None)]),
    # the target in the clause that says what the strikes did
    ("Two airstrikes west of Baghdad destroyed two ISIL armed vehicles.", "NEWS", "2014-10-07",
     [(2, "exact", "strikes", None, "insurgent")]),
    ("Three airstrikes near Gao hit positions of the Islamic State in the Greater Sahara.", "MALI", "2022-08-10",
     [(3, "exact", "strikes", None, "insurgent")]),
    # a thread titled by the state that strikes across its border: its strikes abroad are not 'host'
    ("Turkish jets carried out 40 airstrikes on Kurdish fighters in Iraq this week.", "TURKEY", "2022-08-10",
     [(40, "exact", "strikes", "other", "militia")]),
    ("The United States has carried out four drone strikes in Yemen since June.", "YEMEN", "2013-08-05",
     [(4, "exact", "strikes", "US", None)]),
    ("AFRICOM has hit Somalia over 220 times since 2007.", "SOMALIA", "2020-05-22",
     [(220, "more_than", "times", "US", None)]),  # a state by its name as the verb's object: where, not whom
    ("Three bases hosting U.S. forces in Iraq have been attacked in the past week with no claims of responsibility. "
     "Iranian-backed militias have threatened U.S. forces.", "IRAQ", "2019-06-22",
     [(3, "exact", "attacks", None, "US")]),  # nobody claimed them: no attacker from the sentence after
]


@pytest.mark.parametrize("body, title, published, expected", OTHER_CONFLICTS,
                         ids=[c[0][:40] for c in OTHER_CONFLICTS])
def test_sentences_from_other_conflicts(body, title, published, expected):
    assert _claims(body, title=title, published=published) == expected


@pytest.mark.parametrize("body, published, start, start_text", [
    ("The Taliban have carried out more than 300 attacks since May 1.", "2021-07-20", "2021-05-01", "since May 1"),
    ("Militias attacked U.S. forces 60 times since the start of the Gaza war.", "2024-01-10", "2023-10-07",
     "since the start of the Gaza war"),
    ("Russia has carried out 90 missile strikes since the full-scale invasion began.", "2022-04-01",
     "2022-02-24", "since the full-scale invasion"),
    # a span back from the article's date gives the month it starts in (as the annotated threads do)
    ("Insurgents mounted 14 attacks in the past 10 days.", "2022-08-10", "2022-07", "in the past 10 days"),
    ("Insurgents mounted 14 attacks over the past 72 hours.", "2022-08-10", "2022-08", "over the past 72 hours"),
    ("The U.S. has targeted al-Shabaab leaders in Somalia at least twice in the past year.", "2014-09-02", "2013-09",
     "in the past year"),
    # a day of the count's own, or two: the window is those days
    ("American forces conducted nine strikes on Saturday against the militants.", "2014-08-18", "2014-08-16",
     "on Saturday"),
    ("Russian forces carried out 30 strikes on Sunday and Monday near Bakhmut.", "2023-01-10", "2023-01-08",
     "on Sunday and Monday"),
    ("More than 250 U.S. drone strikes were reported from 2005 through 2013.", "2014-05-29", "2005",
     "from 2005 through 2013"),
    ("Insurgents mounted 14 attacks this year.", "2022-08-10", "2022", "this year"),
    ("Insurgents mounted 14 attacks in June.", "2022-08-10", None, None),
])
def test_windows(body, published, start, start_text):
    (row,) = frame_records(threadlib.attacks(thread_of(body, published=published, title="MALI")))
    assert (row["window_start"], row["window_start_text"]) == (start, start_text)


def test_claims_keep_their_spans():
    text = "Since Oct. 17, U.S. and coalition forces have been attacked at least 55 times in Iraq."
    (claim,) = find_attack_claims(text)
    assert text[claim.start:claim.end] == "at least 55 times"


def _claim_frame(rows):
    base = {"post_id": 1, "qualifier": "exact", "unit": "attacks", "target": "US", "location": "Iraq",
            "low": None, "high": None}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    frame["window_days"] = [threadlib.attacks.__globals__["window_days"](s, e)
                            for s, e in zip(frame["window_start"], frame["window_end"])]
    frame["rate_per_week"] = None
    frame["text"] = "x"
    return frame


def test_timeline_flags_a_lower_count_over_a_longer_window():
    claims = _claim_frame([
        {"post_id": 1, "count": 60, "window_start": "2023-10-17", "window_end": "2024-01-19"},
        {"post_id": 2, "count": 40, "qualifier": "approx", "window_start": "2023-10-01",
         "window_end": "2024-01-25"},
    ])
    timeline = threadlib.attack_timeline(claims)
    assert list(timeline["flag"].fillna("")) == ["", "lower count over a longer window"]


def test_timeline_flags_counts_of_one_date_that_disagree():
    claims = _claim_frame([
        {"post_id": 1, "count": 55, "qualifier": "at_least", "window_start": "2023-10-17", "window_end": "2024-01-19"},
        {"post_id": 2, "count": 58, "qualifier": "approx", "window_start": "2023-10-17", "window_end": "2024-01-19"},
        {"post_id": 3, "count": 30, "qualifier": "approx", "window_start": "2023-10-17", "window_end": "2024-01-19"},
    ])
    timeline = threadlib.attack_timeline(claims).set_index("post_id")
    assert pd.isna(timeline.loc[2, "flag"])          # about 58 can be "at least 55"
    assert timeline.loc[3, "flag"] == "counts disagree"
    assert timeline.loc[3, "note"] == "with post 1 of the same date and scope"


@pytest.mark.parametrize("locations, targets, scopes", [
    (["Iraq", "Syria", "Jordan"], ["US"] * 3, [1, 2, 3]),                         # no place shared
    (["Iraq", ["Iraq", "Syria"], "Syria"], ["US"] * 3, [1, 1, 1]),                 # linked in a chain
    (["Syria", "Jordan", ["Jordan", "Syria"]], ["US"] * 3, [1, 1, 1]),             # joined by a later claim
    (["Iraq", "Iraq", "Iraq"], ["US", "Israel", "US"], [1, 2, 1]),                 # another target
    (["Iraq", None, "Iraq"], ["US"] * 3, [1, 2, 1]),                               # no place: alone
])
def test_timeline_scopes_join_claims_of_one_target_through_the_places_they_share(locations, targets, scopes):
    claims = _claim_frame([{"post_id": i + 1, "count": 10 * (i + 1), "window_start": "2023-10-17",
                            "window_end": f"2024-01-{10 + i}", "location": place, "target": target}
                           for i, (place, target) in enumerate(zip(locations, targets))])
    timeline = threadlib.attack_timeline(claims).set_index("post_id").sort_index()
    assert list(timeline["scope"]) == scopes


def test_timeline_of_the_sample_keeps_scopes_apart(sample):
    timeline = threadlib.attack_timeline(threadlib.attacks(sample))
    us = timeline[timeline["target"] == "US"].set_index("post_id")
    assert list(us.index) == [7, 8, 9]                           # ordered by window end
    assert us.loc[8, "note"] == "scope differs: Iraq then Iraq, Syria"   # 55 (Iraq) vs 140 (Iraq and Syria)
    assert pd.isna(us.loc[8, "implied_rate_since_previous"])
    # "more than 140" then "more than 150" three days later: lower bounds, so no rate between them
    # (it would read 23.3 a week, which neither sentence says)
    assert pd.isna(us.loc[9, "implied_rate_since_previous"])
    assert us.loc[9, "note"] == "a count is a lower bound: no rate between the two"
    assert timeline["flag"].isna().all()


def test_extract_attacks_cli(capsys):
    assert main(["extract", "attacks", str(SAMPLE)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["count"] for r in records] == [4, 2, 2, 2, 55, 140, 150]
