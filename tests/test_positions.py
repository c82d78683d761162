"""Stated positions and shifts: the sample against gold, other conflicts, attribution and its traps."""

import pandas as pd
import pytest
from conftest import SAMPLE
from helpers import thread_of, thread_of_posts

import threadlib
from threadlib.cli import main
from threadlib.output import frame_records
from threadlib.positions import find_cues
from threadlib.score import score


@pytest.fixture(scope="module")
def sample_positions():
    return threadlib.positions(threadlib.load_thread(SAMPLE))


def test_sample_positions_against_gold(sample_positions, gold):
    result = score("positions", gold("positions"), list(frame_records(sample_positions)))
    assert result.precision >= 0.85 and result.recall >= 0.85, result.report()
    assert result.field_accuracy["location"] >= 0.9 and result.field_accuracy["stated"] >= 0.9, result.report()
    # At the time of writing: 26 of 27 found, no false hit (the miss is Mohammad al-Rubai'e, whose
    # quote holds no cue of its own; see NOTES.md).
    assert (result.matched, result.predicted) == (26, 26)


def test_sample_shifts_against_gold(sample_positions, gold):
    result = score("shifts", gold("shifts"), list(frame_records(threadlib.shifts(sample_positions))))
    assert result.precision >= 0.8 and result.recall >= 0.8, result.report()
    (shift,) = frame_records(threadlib.shifts(sample_positions))
    assert (shift["from_stance"], shift["from_stated"], shift["to_stance"], shift["to_stated"]) == (
        "stay", "2023", "withdraw", "2024-01")


def test_actors_take_their_fullest_name(sample_positions):
    names = set(sample_positions["actor"])
    assert {"Joe Biden", "Mohammed Shia al-Sudani", "Yehia Rasool", "Dana Stroud"} <= names
    assert not names & {"Biden", "Sudani", "Rasool", "he", "she", "the militia"}


def _positions(body, **kwargs):
    frame = threadlib.positions(thread_of(body, **kwargs))
    return [(r["actor"], r["stance"], r["location"]) for r in frame_records(frame)]


OTHER_CONFLICTS = [
    ("Taliban spokesman Suhail Shaheen said all foreign forces must leave Afghanistan.", "AFGHANISTAN",
     [("Suhail Shaheen", "withdraw", "Afghanistan")]),
    ("President Ashraf Ghani said the Afghan government wants U.S. troops to remain in the country.", "AFGHANISTAN",
     [("Ashraf Ghani", "stay", "Afghanistan")]),
    ("Defense Secretary Lloyd Austin said the United States would end its combat mission in Afghanistan.",
     "AFGHANISTAN", [("Lloyd Austin", "transition", "Afghanistan")]),
    ("SDF commander Mazloum Abdi said U.S. troops must stay in Syria to fight the Islamic State.", "SYRIA",
     [("Mazloum Abdi", "stay", "Syria")]),
    ("Syrian Foreign Minister Faisal Mekdad condemned the presence of U.S. troops as a violation of Syria’s "
     "sovereignty.", "SYRIA", [("Faisal Mekdad", "condemn", "Syria")]),
    ("The Popular Resistance Front said it would resume attacks on American bases in Syria.", "SYRIA",
     [("Popular Resistance Front", "resume", "Syria")]),
    ("The Syrian Resistance Committee said it would resume attacks on U.S. bases in Syria.", "SYRIA",
     [("Syrian Resistance Committee", "resume", "Syria")]),
    ("President Volodymyr Zelensky vowed to expel Russian forces from Ukraine.", "UKRAINE",
     [("Volodymyr Zelensky", "withdraw", "Ukraine")]),
    ("The Houthis announced they would suspend attacks on U.S. ships.", "YEMEN", [("Houthis", "suspend", None)]),
    ("Malian junta leader Assimi Goita demanded the withdrawal of French troops from Mali.", "MALI",
     [("Assimi Goita", "withdraw", "Mali")]),
    # traps: negation, unnamed speakers, the one a stance is about, attributed aims, questions
    ("Afghan Foreign Minister Mohammad Haneef Atmar said the government is not calling for a withdrawal of "
     "U.S. forces.", "AFGHANISTAN", []),
    ("A senior U.S. official said the troops would remain in Afghanistan.", "AFGHANISTAN", []),
    ("Analysts said the Taliban want foreign forces to leave.", "AFGHANISTAN", []),
    ("The move fits Tehran’s long-held agenda of trying to push U.S. forces out of the region.", "SYRIA", []),
    ("“How can we think about maintaining a presence that is useful?” asked Jane Doe, a researcher.", "SYRIA", []),
    ("The Iraqi prime minister, under pressure from militias demanding a U.S. withdrawal, met officials.",
     "IRAQ", []),
]


@pytest.mark.parametrize("body, title, expected", OTHER_CONFLICTS, ids=[c[0][:40] for c in OTHER_CONFLICTS])
def test_sentences_from_other_conflicts(body, title, expected):
    assert _positions(body, title=title) == expected


def test_a_pronoun_finds_the_last_speaker_and_the_date_of_the_statement():
    body = ("Taliban leader Haibatullah Akhundzada spoke to supporters on Friday.\n\n"
            "He said foreign troops must leave Afghanistan.")
    (row,) = frame_records(threadlib.positions(thread_of(body, published="2021-04-14")))
    assert (row["actor"], row["stance"], row["stated"]) == ("Haibatullah Akhundzada", "withdraw", "2021-04-14")


@pytest.mark.parametrize("body, published, stated", [
    ("Kataib Hezbollah pledged on Jan. 30 to suspend its attacks on American troops.", "2024-02-12", "2024-01-30"),
    ("Prime Minister Mohammed Shia al-Sudani said last year that foreign troops were still necessary.",
     "2024-01-19", "2023"),
    ("In 2020, the Iraqi parliament demanded the expulsion of foreign forces from Iraq.", "2024-01-19", "2020"),
    ("In an interview Tuesday, President Ashraf Ghani said U.S. troops should stay in Afghanistan.", "2021-04-15",
     "2021-04-13"),
])
def test_stated(body, published, stated):
    (row,) = frame_records(threadlib.positions(thread_of(body, published=published, title="IRAQ")))
    assert row["stated"] == stated


def test_cues_of_quoted_words_are_kept_with_the_quote():
    body = "“We need troops to help us in the air,” Afghan Defense Minister Bismillah Khan Mohammadi said."
    (row,) = frame_records(threadlib.positions(thread_of(body)))
    assert row["actor"] == "Bismillah Khan Mohammadi" and row["quote"].startswith("We need troops")


def test_find_cues_treats_a_combat_only_demand_as_transition():
    assert [s for s, _ in find_cues("They demand the withdrawal of all combat troops")] == ["transition"]
    assert [s for s, _ in find_cues("They expel U.S. forces")] == ["withdraw"]


def test_shifts_across_posts_and_the_non_shifts():
    thread = thread_of_posts([
        ("2021-01-10", "President Ashraf Ghani said U.S. troops should stay in Afghanistan."),
        ("2021-03-10", "President Ashraf Ghani said U.S. troops should stay in Afghanistan."),
        ("2021-06-10", "President Ashraf Ghani demanded that U.S. troops leave Afghanistan."),
        ("2021-07-10", "President Ashraf Ghani condemned the U.S. airstrikes as a violation of Afghanistan’s "
                       "sovereignty."),
    ])
    frame = threadlib.positions(thread)
    assert list(frame["stance"]) == ["stay", "stay", "withdraw", "condemn"]
    shifts = list(frame_records(threadlib.shifts(frame)))
    # A repeated stance is no shift, nor is a change of family (withdraw -> condemn).
    assert [(s["from_stance"], s["from_post_id"], s["to_stance"], s["to_post_id"]) for s in shifts] == [
        ("stay", 2, "withdraw", 3)]


def test_shifts_order_a_coarser_date_before_the_finer_ones_inside_it():
    frame = pd.DataFrame([
        {"post_id": 1, "actor": "A", "stance": "withdraw", "location": "Iraq", "stated": "2024-01-05", "sentence": "x"},
        {"post_id": 2, "actor": "A", "stance": "stay", "location": "Iraq", "stated": "2023", "sentence": "y"},
        {"post_id": 3, "actor": "A", "stance": "withdraw", "location": "Iraq", "stated": "2024-01", "sentence": "z"},
        {"post_id": 4, "actor": "A", "stance": "stay", "location": "Syria", "stated": "2024-02", "sentence": "w"},
    ])
    shifts = list(frame_records(threadlib.shifts(frame)))
    assert [(s["from_stated"], s["to_stated"], s["to_post_id"]) for s in shifts] == [("2023", "2024-01", 3)]


def test_extract_positions_and_shifts_cli(capsys):
    assert main(["extract", "shifts", str(SAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and '"to_stance": "withdraw"' in out[0]
    assert main(["score", "positions", "tests/fixtures/gold/positions.jsonl", str(SAMPLE)]) == 0
    assert "recall 0.963" in capsys.readouterr().out
