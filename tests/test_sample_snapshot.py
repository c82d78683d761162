"""REGRESSION SNAPSHOT of the sample thread: the exact counts that only the sample gives.

Every other test asserts behaviour (example tables) or a bar (precision, recall). This file pins
what the extractors find on ``data/threads/iraq.txt`` today, so that any change to it is seen and
taken on purpose: when an extraction change moves a figure here, check the change with
``make quality`` and update the figure in the same commit, saying why.
"""

import pytest
from conftest import SAMPLE

import threadlib
from threadlib.output import frame_records
from threadlib.score import score

# kind: (gold, predicted, matched) on the sample at the last deliberate update
SNAPSHOT = {
    "troops": (17, 17, 17),
    "attacks": (7, 7, 7),
    "positions": (27, 30, 25),
    "shifts": (1, 1, 1),
}


@pytest.fixture(scope="module")
def predicted():
    thread = threadlib.load_thread(SAMPLE)
    found = threadlib.positions(thread)
    return {"troops": threadlib.troops(thread), "attacks": threadlib.attacks(thread, use_events=False),
            "positions": found, "shifts": threadlib.shifts(found)}


@pytest.mark.parametrize("kind", SNAPSHOT)
def test_sample_snapshot(kind, predicted, gold):
    result = score(kind, gold(kind), list(frame_records(predicted[kind])))
    assert (result.gold, result.predicted, result.matched) == SNAPSHOT[kind], result.report()


def test_sample_sentence_count():
    """How many sentences the splitter finds in the sample's bodies and commentaries."""
    assert len(threadlib.sentences(threadlib.load_thread(SAMPLE))) == 338
