"""threadlib.score: the spec's matching rules, and the `threadlib score` command."""

import json

import pytest
from conftest import FIXTURES, SAMPLE

from threadlib.cli import main
from threadlib.score import actor_matches, score


def test_troops_match_on_value_and_null_values_on_overlapping_text():
    gold = [{"post_id": 1, "value": 900, "text": "about 900 troops", "qualifier": "approx"},
            {"post_id": 1, "value": None, "text": "Thousands of American advisers", "qualifier": "vague"}]
    predicted = [{"post_id": 1, "value": 900, "text": "900 troops", "qualifier": "exact"},
                 {"post_id": 1, "value": None, "text": "Thousands of American advisers returned", "qualifier": "vague"},
                 {"post_id": 1, "value": None, "text": "hundreds of fighters"},
                 {"post_id": 2, "value": 900, "text": "900 troops"}]
    result = score("troops", gold, predicted)
    assert (result.matched, result.precision, result.recall) == (2, 0.5, 1.0)
    assert result.field_accuracy["qualifier"] == 0.5
    assert len(result.false_hits) == 2


def test_attacks_match_on_count_and_compare_window_months():
    gold = [{"post_id": 8, "count": 140, "window_start": "2023-10", "location": ["Iraq", "Syria"]}]
    predicted = [{"post_id": 8, "count": 140, "window_start": "2023-10-07", "location": ["Syria", "Iraq"]}]
    result = score("attacks", gold, predicted)
    assert result.matched == 1
    assert result.field_accuracy["window_start"] == 0.0
    assert result.field_accuracy["window_start_month"] == 1.0
    assert result.field_accuracy["location"] == 1.0  # lists compare as sets


@pytest.mark.parametrize("predicted, expected", [
    ("Mohammed Shia al-Sudani", True),
    ("Prime Minister Sudani", True),          # an alias inside the predicted name
    ("SUDANI", True),                          # case ignored
    ("al-sudani", True),
    ("Sudan", False),
    (None, False),
])
def test_position_actor_matching(predicted, expected):
    gold = {"actor": "Mohammed Shia al-Sudani", "actor_aliases": ["Sudani", "al-Sudani"]}
    assert actor_matches(gold, predicted) is expected


def test_positions_need_the_same_stance():
    gold = [{"post_id": 6, "actor": "Mohammed Shia al-Sudani", "actor_aliases": ["Sudani"], "stance": "withdraw"}]
    assert score("positions", gold, [{"post_id": 6, "actor": "Sudani", "stance": "condemn"}]).matched == 0
    assert score("positions", gold, [{"post_id": 6, "actor": "Sudani", "stance": "withdraw"}]).matched == 1


def test_each_gold_record_matches_once():
    gold = [{"post_id": 1, "value": 2500, "text": "2,500 troops"}]
    predicted = [{"post_id": 1, "value": 2500, "text": "2,500 troops"}] * 2
    result = score("troops", gold, predicted)
    assert (result.matched, result.predicted) == (1, 2)


def test_score_command_on_a_thread(capsys):
    assert main(["score", "troops", str(FIXTURES / "gold" / "troops.jsonl"), str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "precision 1.000  recall 1.000" in out and "as_of" in out


def test_score_command_lists_misses_with_their_sentences(tmp_path, capsys):
    gold_path = FIXTURES / "gold" / "troops.jsonl"
    predictions = [json.loads(line) for line in gold_path.read_text().splitlines()][1:]  # one left out
    predicted_path = tmp_path / "predicted.jsonl"
    predicted_path.write_text("".join(json.dumps(r) + "\n" for r in predictions))
    assert main(["score", "troops", str(gold_path), str(predicted_path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["recall"] == round(16 / 17, 4) and figures["precision"] == 1.0
    assert figures["misses"][0]["text"] == "2,500 American forces"


def test_score_command_rejects_a_bad_gold_file(tmp_path, capsys):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"post_id": 1}\nnot json\n')
    assert main(["score", "troops", str(bad), str(SAMPLE)]) == 2
    assert "gold.jsonl, line 2: not JSON" in capsys.readouterr().err


def test_span_matching_shows_a_wrong_number_as_a_field_error_with_both_values():
    gold = [{"post_id": 7, "value": 2500, "text": "2,500 American troops", "qualifier": "exact"},
            {"post_id": 7, "value": 50, "text": "at least 55 times"}]
    student = [{"post_id": 7, "value": 25000, "text": "2,500 American troops", "qualifier": "exact"}]
    by_value = score("troops", gold, student)
    assert (by_value.matched, len(by_value.misses), len(by_value.false_hits)) == (0, 2, 1)
    by_span = score("troops", gold, student, match="span")
    assert (by_span.matched, len(by_span.misses), len(by_span.false_hits)) == (1, 1, 0)
    assert by_span.field_accuracy["value"] == 0.0 and by_span.field_accuracy["qualifier"] == 1.0
    assert "value: gold 2500 vs predicted 25000 | 2,500 American troops" in by_span.report()


def test_score_command_takes_match_span(tmp_path, capsys):
    gold_path = FIXTURES / "gold" / "troops.jsonl"
    first = json.loads(gold_path.read_text().splitlines()[0])
    wrong = tmp_path / "student.jsonl"
    wrong.write_text(json.dumps({**first, "value": first["value"] + 1}) + "\n")
    assert main(["score", "troops", str(gold_path), str(wrong), "--match", "span", "--posts",
                 str(first["post_id"])]) == 0
    out = capsys.readouterr().out
    assert f"value: gold {first['value']} vs predicted {first['value'] + 1}" in out
    assert "false hits (found, not in gold): 0" in out
