"""Class use: the practice thread ships and reads, the walk-through's answers are tagged and left
out of exported pages, the annotation guidelines are in the repository."""

import json

from conftest import ROOT

import threadlib
from threadlib.report import export_html

PRACTICE = ROOT / "data" / "threads" / "practice_sahel.txt"
WALKTHROUGH = ROOT / "notebooks" / "10_how_extraction_works.ipynb"


def test_the_practice_thread_reads_and_has_something_of_each_kind_to_find():
    thread = threadlib.load_thread(PRACTICE)
    assert len(thread) == 2 and list(thread.posts["dateline"]) == ["BAMAKO", "GAO, Mali"]
    assert set(threadlib.troops(thread)["value"]) == {2400, 5000, 300, 1000}
    (claim,) = threadlib.attacks(thread).to_dict("records")
    assert (claim["count"], claim["qualifier"], claim["window_start"]) == (12, "at_least", "2022-03-01")


def test_the_walkthrough_answers_are_tagged_and_left_out_of_the_exported_page():
    cells = json.loads(WALKTHROUGH.read_text(encoding="utf-8"))["cells"]
    answers = [c for c in cells if "answer" in c.get("metadata", {}).get("tags", [])]
    assert answers and "## Answers" in "".join(answers[0]["source"])
    exercises = "".join(next(c["source"] for c in cells if "## Exercises" in "".join(c["source"])))
    assert "data/threads/practice_sahel.txt" in exercises and (ROOT / "docs" / "annotation.md").is_file()
    page = export_html(WALKTHROUGH)
    assert "Exercises" in page and "Answers" not in page and "roughly 2,400 French soldiers" not in page
