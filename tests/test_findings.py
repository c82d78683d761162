"""Findings that never over-claim (issue 21): an example table of findings over invented records,
one rule a row."""

import pytest

from threadlib import findings
from threadlib.attacks import COLUMNS as ATTACK_COLUMNS
from threadlib.attacks import attack_timeline
from threadlib.positions import COLUMNS as POSITION_COLUMNS
from threadlib.positions import shifts
from threadlib.records import to_frame
from threadlib.troops import COLUMNS as TROOP_COLUMNS
from threadlib.troops import troop_disagreements


def claims(*rows):
    base = {"sentence": "s", "unit": "times", "attacker": "militia", "target": "US", "location": "Iraq",
            "window_start_text": None, "field": "body", "start": 0, "end": 1}
    out = []
    for row in rows:
        record = {**base, **row}
        record.setdefault("text", f"{record['count']} times")
        start, end = record.get("window_start"), record.get("window_end")
        from threadlib.attacks import window_days

        record["window_days"] = window_days(start, end)
        day = start and end and len(start) == 10 and len(end) == 10
        record["rate_per_week"] = round(record["count"] / (record["window_days"] / 7), 2) if day else None
        out.append(record)
    return to_frame(out, ATTACK_COLUMNS)


def text_of(found) -> str:
    return " ".join(found.sentences)


# Each row: what the records are, and a phrase the findings must hold and one they must not.
ATTACK_FINDINGS = [
    ("a window that starts at a month: no rate",
     claims({"post_id": 1, "published": "2019-06-22", "count": 3, "qualifier": "exact", "window_start": "2019-06",
             "window_end": "2019-06-22"}),
     "1 attack-frequency claim", "a week"),
    ("a lower bound is said to be one",
     claims({"post_id": 1, "published": "2024-01-19", "count": 55, "qualifier": "at_least",
             "window_start": "2023-10-17", "window_end": "2024-01-19"}),
     "at least 4.1 a week", "about 4.1 a week"),
    ("rates of different places are not compared",
     claims({"post_id": 1, "published": "2024-01-19", "count": 55, "qualifier": "exact", "window_start": "2023-10-17",
             "window_end": "2024-01-19", "location": "Iraq"},
            {"post_id": 2, "published": "2024-01-22", "count": 140, "qualifier": "exact",
             "window_start": "2023-10-17", "window_end": "2024-01-22", "location": ["Iraq", "Syria"]}),
     "Attacks on US in Iraq and Syria", "rose from"),
    ("rates of one scope are compared",
     claims({"post_id": 1, "published": "2024-01-19", "count": 55, "qualifier": "exact", "window_start": "2023-10-17",
             "window_end": "2024-01-19"},
            {"post_id": 2, "published": "2024-02-19", "count": 140, "qualifier": "exact",
             "window_start": "2023-10-17", "window_end": "2024-02-19"}),
     "the claimed rate doubled from about 4.1 a week", "lower bounds"),
    ("between two lower bounds, no implied rate",
     claims({"post_id": 1, "published": "2024-01-22", "count": 140, "qualifier": "more_than",
             "window_start": "2023-10-17", "window_end": "2024-01-22"},
            {"post_id": 2, "published": "2024-01-25", "count": 150, "qualifier": "more_than",
             "window_start": "2023-10-17", "window_end": "2024-01-25"}),
     "lower bounds, so the true rates may differ", "the counts imply"),
]


@pytest.mark.parametrize("table, must, must_not", [row[1:] for row in ATTACK_FINDINGS],
                         ids=[row[0] for row in ATTACK_FINDINGS])
def test_attack_findings_hold(table, must, must_not):
    found = text_of(findings.attacks(table, attack_timeline(table), {}))
    assert must in found and must_not not in found, found


def mention(post_id, text, value, as_of):
    return {"post_id": post_id, "published": "2024-01-20", "sentence": f"s{post_id}", "text": text, "value": value,
            "low": None, "high": None, "qualifier": "exact", "actor": "US", "location": "Iraq", "as_of": as_of,
            "field": "body", "start": 0, "end": 1}


def test_troop_increments_are_never_compared_with_levels():
    table = to_frame([mention(1, "3,100 troops", 3100, "2024-01-10"), mention(2, "500 more troops", 500, "2024-01-12"),
                      mention(3, "another 150", 150, "2024-01-14")], TROOP_COLUMNS)
    assert troop_disagreements(table).empty
    assert "No two figures for the same actor, country and month disagree" in text_of(
        findings.troops(table, troop_disagreements(table), {}))


def position(post_id, stance, stated, published):
    return {"post_id": post_id, "published": published, "sentence": f"s{post_id}", "actor": "Ann Lee",
            "stance": stance, "location": "Iraq", "stated": stated, "confidence": 0.7, "actor_class": None,
            "cue": "c", "quote": None, "field": "body", "start": 0, "end": 1}


def test_an_undated_position_takes_its_place_by_its_articles_date():
    # post 1, dated January: stay; post 2 (an article of May, the stance undated): withdraw
    table = to_frame([position(2, "withdraw", None, "2024-05-02"), position(1, "stay", "2024-01", "2024-01-10")],
                     POSITION_COLUMNS)
    found = shifts(table)
    assert list(zip(found["from_stance"], found["to_stance"])) == [("stay", "withdraw")]


def test_positions_findings_say_how_far_to_trust_them():
    from threadlib.notebook import Reliability

    table = to_frame([position(1, "stay", "2024-01", "2024-01-10")], POSITION_COLUMNS)
    measure = Reliability(None, 0, 0.73, 0.5, 145, 10, False)
    found = text_of(findings.positions(table, shifts(table), {}, measure))
    assert "right 73% of the time" in found and "No confidence level reached 80% precision" in found
    chosen = Reliability(0.8, 3, 0.73, 0.5, 145, 10, True)
    assert "3 positions with a confidence below 0.80 (the threshold chosen) are left out" in text_of(
        findings.positions(table, shifts(table), {}, chosen))
