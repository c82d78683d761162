"""Reading threads together (`threadlib.across`): example tables of records from two threads."""

import pandas as pd
import pytest

from threadlib import across
from threadlib.attacks import COLUMNS as ATTACK_COLUMNS
from threadlib.attacks import window_days
from threadlib.corpora import Corpus
from threadlib.positions import COLUMNS as POSITION_COLUMNS
from threadlib.records import to_frame
from threadlib.troops import COLUMNS as TROOP_COLUMNS


def _table(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    frame = to_frame([{"sentence": "s", "field": "body", "start": 0, "end": 1, **row} for row in rows], columns)
    frame.insert(0, "thread", pd.array([row["thread"] for row in rows], dtype="string"))
    return frame


def _corpus(**tables) -> Corpus:
    return Corpus(tables=tables, threads=pd.DataFrame())


def _troop(thread, post_id, value, qualifier="exact", as_of="2024-01", actor="US", location="Iraq", published="2024-01-20"):
    return {"thread": thread, "post_id": post_id, "published": published, "text": f"{value} troops", "value": value,
            "qualifier": qualifier, "actor": actor, "location": location, "as_of": as_of}


@pytest.mark.parametrize("second, clash", [
    (_troop("b", 1, 900), True),                                  # 2,500 and 900 US troops in Iraq, one month
    (_troop("b", 1, 1500, "approx"), True),                       # "about 1,500" is not "2,500"
    (_troop("b", 1, 2000, "at_least"), False),                    # "at least 2,000" allows 2,500
    (_troop("b", 1, 900, as_of="2024-03"), False),                # another month
    (_troop("b", 1, 900, location="Syria"), False),               # another place
    (_troop("b", 1, 900, actor="coalition"), False),              # another force
    (_troop("a", 2, 900), False),                                 # the same thread: its own report's business
])
def test_troop_figures_of_two_threads_clash_when_no_qualifier_reconciles_them(second, clash):
    troops = _table(TROOP_COLUMNS, [_troop("a", 1, 2500), second])
    found = across.disagreements_across(_corpus(troops=troops))
    assert len(found) == int(clash)
    if clash:
        row = found.iloc[0]
        assert (row["first_thread"], row["second_thread"], row["kind"]) == ("a", "b", "troops")


def _claim(thread, post_id, count, window_end, qualifier="at_least", location="Iraq"):
    return {"thread": thread, "post_id": post_id, "published": window_end, "text": f"{count} times", "count": count,
            "qualifier": qualifier, "unit": "times", "attacker": "militia", "target": "US", "location": location,
            "window_start": "2023-10-17", "window_end": window_end, "window_days": window_days("2023-10-17", window_end)}


@pytest.mark.parametrize("rows, why", [
    ([_claim("a", 1, 60, "2024-01-19", "exact"), _claim("b", 1, 40, "2024-01-25", "exact")],
     "lower count over a longer window"),
    ([_claim("a", 1, 55, "2024-01-19", "exact"), _claim("b", 1, 30, "2024-01-19", "exact")], "counts disagree"),
    ([_claim("a", 1, 55, "2024-01-19"), _claim("b", 1, 140, "2024-01-25")], None),        # the count grew
    ([_claim("a", 1, 60, "2024-01-19", "exact"), _claim("b", 1, 40, "2024-01-25", "exact", "Syria")], None),
])
def test_attack_counts_of_two_threads_that_cannot_both_hold(rows, why):
    attacks = _table(ATTACK_COLUMNS, rows)
    found = across.disagreements_across(_corpus(attacks=attacks))
    assert list(found["why"]) == ([why] if why else [])
    if why:
        assert (found["first_thread"].item(), found["second_thread"].item()) == ("a", "b")


def _position(thread, post_id, actor, stance, stated, location="Iraq"):
    return {"thread": thread, "post_id": post_id, "published": "2024-01-20", "actor": actor, "stance": stance,
            "location": location, "stated": stated, "actor_class": "host", "cue": "c", "quote": None}


def test_each_actor_positions_across_threads_first_and_last_by_date():
    positions = _table(POSITION_COLUMNS, [
        _position("b", 1, "Sudani", "withdraw", "2024-01-19"),
        _position("a", 1, "Sudani", "stay", "2023-02"),
        _position("a", 2, "Sudani", "withdraw", "2024-01-05"),
        _position("a", 3, "Kataib Hezbollah", "suspend", "2024-01-30"),
    ])
    table = across.positions_across(_corpus(positions=positions)).set_index("actor")
    assert table.loc["Sudani", ["threads", "positions", "stances"]].tolist() == [2, 3, "withdraw 2, stay 1"]
    assert table.loc["Sudani", ["first_stance", "first_thread", "last_stance", "last_thread"]].tolist() == \
        ["stay", "a", "withdraw", "b"]
    assert list(table.index) == ["Sudani", "Kataib Hezbollah"]  # most threads first


def test_shifts_across_keep_changes_from_one_thread_to_another():
    positions = _table(POSITION_COLUMNS, [
        _position("a", 1, "Sudani", "stay", "2023-02"),
        _position("a", 2, "Sudani", "withdraw", "2023-06"),      # a shift inside thread a: not listed
        _position("b", 1, "Sudani", "transition", "2024-01"),    # a shift from a to b
    ])
    moved = across.shifts_across(_corpus(positions=positions))
    assert moved[["from_stance", "from_thread", "to_stance", "to_thread"]].values.tolist() == \
        [["withdraw", "a", "transition", "b"]]


def test_monthly_counts_per_thread_and_kind():
    troops = _table(TROOP_COLUMNS, [_troop("a", 1, 10), _troop("a", 2, 20, published="2024-02-03"),
                                    _troop("b", 1, 30)])
    attacks = _table(ATTACK_COLUMNS, [_claim("b", 1, 55, "2024-01-19")])
    counts = across.monthly_counts(_corpus(troops=troops, attacks=attacks))
    assert counts.values.tolist() == [["a", "2024-01", 1, 0], ["a", "2024-02", 1, 0], ["b", "2024-01", 1, 1]]
    assert list(counts.columns) == ["thread", "month", "troops", "attacks"]
