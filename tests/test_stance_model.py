"""The trained stance model: its features, training (deterministic, end to end, leave-one-thread-out),
its file, and the confidence on every position and shift."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EMPTY_THREAD, FIXTURES, SAMPLE

import threadlib
from threadlib import learning, stance_model
from threadlib.cli import main
from threadlib.errors import ModelError
from threadlib.positions import stance_rows
from threadlib.quality import GoldSet
from threadlib.thread import Thread, load_thread

ANNOTATED = sorted((FIXTURES / "annotated").glob("*/"))


def features_of(text: str) -> list[dict]:
    """The features of each stance the rules find in a one-post thread holding ``text``."""
    thread = load_thread(f"TEST\n\nann\nPosts: 3\n\nRe: TEST\n\nPost by ann »\n\n{text}\n")
    return [row["_features"] for rows in stance_rows(list(thread), None) for row in rows]


# What the model reads: general features of how a stance is stated (sentences from other conflicts).

@pytest.mark.parametrize("sentence, expected", [
    ("Prime Minister Nikol Pashinyan demanded the withdrawal of Russian troops from Armenia.",
     {"stance=withdraw", "origin=subject", "holder=person", "statement=act", "unquoted", "located"}),
    ('"The French troops will stay in Niger," Defense Minister Florence Parly said.',
     {"stance=stay", "origin=subject", "quoted", "statement=report", "modal"}),
    ("Russian Foreign Minister Sergei Lavrov condemned the strikes on Russian positions as an act of aggression.",
     {"stance=condemn", "attacks", "strongly_negative"}),
    ("The militant group Katiba Macina threatened to attack the French forces in Mali.",
     {"stance=threaten", "forces", "attacks"}),
    ("President Hassan Sheikh Mohamud rejected any withdrawal of African Union troops from Somalia.",
     {"stance=stay", "turned"}),
], ids=["demand", "quote", "condemnation", "threat", "opposed"])
def test_features_say_how_a_stance_is_stated(sentence, expected):
    (features,) = features_of(sentence)
    assert expected <= set(features), set(features)


def test_features_name_no_words_of_the_thread():
    (features,) = features_of("Prime Minister Nikol Pashinyan demanded the withdrawal of Russian troops from Armenia.")
    assert not any(word in name for name in features for word in ("pashinyan", "armenia", "russian", "withdrawal"))


# The model: a small JSON file, read without scikit-learn, the same for the same training.

@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("model")
    sets = [GoldSet.from_dir(path) for path in ANNOTATED]
    first, rules, folds = learning.train(sets)
    second, _, _ = learning.train(sets)
    first.save(folder / "first.json")
    second.save(folder / "second.json")
    return folder, first, rules, folds


def test_a_model_trained_twice_on_the_same_threads_is_byte_identical(trained):
    folder, *_ = trained
    assert (folder / "first.json").read_bytes() == (folder / "second.json").read_bytes()


def test_the_model_file_round_trips_and_records_what_it_was_trained_on(trained):
    folder, model, rules, folds = trained
    again = stance_model.StanceModel.from_json((folder / "first.json").read_text())
    assert again.weights == pytest.approx(model.weights, abs=1e-6) and again.min_confidence == model.min_confidence
    assert set(again.about["trained_on"]) == {"caucasus", "sahel"}
    assert again.about["loto"]["positions"]["gold"] == 8


def test_leave_one_thread_out_judges_each_thread_by_a_model_that_never_saw_it(trained):
    _, _, rules, folds = trained
    assert [f.name for f in folds] == ["caucasus", "sahel"]
    # the rules find 4 stances in the Caucasus thread (not the Times, which only reports), 3 of them right
    # (a spokesman unaware of plans states none); each comes with the fold model's confidence
    caucasus = next(f for f in folds if f.name == "caucasus")
    assert caucasus.scores["positions"].predicted == 4 and caucasus.scores["positions"].matched == 3
    assert len(caucasus.confidences) == 4 and all(0 <= value <= 1 for value, _ in caucasus.confidences)
    assert [right for _, right in caucasus.confidences].count(False) == 1
    assert rules[0].scores["positions"].matched == caucasus.scores["positions"].matched  # the model drops nothing


def test_train_on_two_tiny_annotated_threads_end_to_end(tmp_path, capsys, monkeypatch):
    model = tmp_path / "mine.json"
    assert main(["train", *map(str, ANNOTATED), "-o", str(model)]) == 0
    out = capsys.readouterr().out
    assert "| caucasus |" in out and "| **pooled** |" in out and f"THREADLIB_MODEL={model}" in out
    data = json.loads(model.read_text())
    assert data["format"] == stance_model.FORMAT and set(data["about"]["trained_on"]) == {"caucasus", "sahel"}
    monkeypatch.setenv(stance_model.ENV_VAR, str(model))
    assert stance_model.model_path() == str(model)
    found = threadlib.positions(load_thread(ANNOTATED[0] / "thread.txt"))
    expected = stance_model.load(model)
    assert found["confidence"].notna().all()
    assert set(found["confidence"].round(4)) <= {expected.calibrated(s) for s in _scores(expected, ANNOTATED[0])}


def _scores(model, folder: Path) -> set[float]:
    thread = load_thread(folder / "thread.txt")
    return {model.score(row["_features"]) for rows in stance_rows(list(thread), None) for row in rows}


def test_train_refuses_a_folder_that_is_not_annotated(tmp_path, capsys):
    (tmp_path / "thread.txt").write_text(EMPTY_THREAD)
    assert main(["train", str(tmp_path)]) == 2
    assert "not a gold folder" in capsys.readouterr().err


def test_a_model_with_nothing_to_tell_apart_knows_only_how_often_stances_were_right():
    model = stance_model.fit([{"stance=stay": 1.0}] * 3, [True] * 3, c=0.1)
    assert model.weights == {} and model.score({"stance=stay": 1.0}) == pytest.approx(0.8)
    with pytest.raises(ModelError, match="no stance"):
        stance_model.fit([], [], c=0.1)


@pytest.mark.parametrize("content, message", [
    (None, "cannot be read"),
    ("not json", "not a threadlib stance model"),
    ('{"format": "something else"}', "not a threadlib stance model"),
])
def test_a_bad_model_file_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "model.json"
    if content is not None:
        path.write_text(content)
    result = subprocess.run([sys.executable, "-m", "threadlib", "extract", "positions", str(SAMPLE)],
                            env={**__import__("os").environ, stance_model.ENV_VAR: str(path)},
                            capture_output=True, text=True)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


# The shipped model, on every position and shift.

def test_the_shipped_model_was_trained_on_annotated_threads_and_measured_on_others():
    model = stance_model.load()
    assert len(model.about["trained_on"]) >= 10 and model.about["loto"]["positions"]["gold"] >= 145
    assert model.calibration and all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(model.calibration,
                                                                                 model.calibration[1:]))
    assert Path(stance_model.model_path()).stat().st_size < 100_000


def test_every_position_and_shift_carries_a_confidence(sample_path):
    found = threadlib.positions(load_thread(sample_path))
    changes = threadlib.shifts(found)
    assert len(found) and found["confidence"].between(0, 1).all()
    assert len(changes) and changes["confidence"].between(0, 1).all()
    rules = threadlib.positions(load_thread(sample_path), model=False)
    assert rules.drop(columns="confidence").equals(found.drop(columns="confidence"))
    assert rules["confidence"].isna().all()


def test_a_thread_with_no_candidates_has_an_empty_table_with_the_confidence_column():
    found = threadlib.positions(Thread("-", "CHAT", []))
    assert found.empty and "confidence" in found.columns
    assert threadlib.shifts(found).empty and "confidence" in threadlib.shifts(found).columns
    assert features_of("Hello all, nothing to see here.") == []


def test_calibration_is_increasing_and_min_confidence_keeps_a_share():
    scores = [(0.1, False), (0.2, False), (0.3, True), (0.4, False), (0.6, True), (0.7, True), (0.8, True), (0.9, True)]
    points, threshold = learning.calibration(scores)
    assert [p[1] for p in points] == sorted(p[1] for p in points)
    assert threshold is not None and threshold > 0.3
    assert learning.calibration([(0.5, True), (0.6, True)]) == ([], None)
