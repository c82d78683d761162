"""The command line: help with examples, version, the extract command and its formats."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT, SAMPLE, read_jsonl

import threadlib
from threadlib.cli import main


def test_help_shows_examples(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "threadlib extract posts data/threads/iraq.txt" in out


def test_version(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"threadlib {threadlib.__version__}"


def test_console_script_and_module_agree():
    module = subprocess.run([sys.executable, "-m", "threadlib", "--version"], capture_output=True, text=True)
    assert module.returncode == 0 and module.stdout.startswith("threadlib ")


def test_extract_posts_jsonl_to_stdout_equals_gold(capsys, gold):
    assert main(["extract", "posts", str(SAMPLE)]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 10
    for record, expected in zip(records, gold("posts")):
        assert {key: record[key] for key in expected} == expected


def test_extract_posts_csv_and_parquet_round_trip(tmp_path):
    csv_path, parquet_path = tmp_path / "posts.csv", tmp_path / "posts.parquet"
    assert main(["extract", "posts", str(SAMPLE), "--format", "csv", "-o", str(csv_path)]) == 0
    assert main(["extract", "posts", str(SAMPLE), "--format", "parquet", "-o", str(parquet_path)]) == 0
    from_csv = pd.read_csv(csv_path)
    from_parquet = pd.read_parquet(parquet_path)
    assert len(from_csv) == len(from_parquet) == 10
    assert from_csv.loc[9, "authors"].split("; ") == ["Kareem Fahim", "Mustafa Salim", "Missy Ryan",
                                                     "Abigail Hauslohner"]
    assert list(from_parquet.loc[1, "authors"]) == ["Jane Arraf", "Eric Schmitt"]
    assert str(from_parquet.loc[0, "published"].date()) == "2021-07-08"
    assert from_csv.loc[0, "published"] == "2021-07-08"


def test_extract_writes_jsonl_file_with_dates_as_iso_strings(tmp_path):
    out = tmp_path / "sub" / "posts.jsonl"
    assert main(["extract", "posts", str(SAMPLE), "-o", str(out)]) == 0
    records = read_jsonl(out)
    assert [r["published"] for r in records][:2] == ["2021-07-08", "2021-07-24"]


def test_unknown_kind_is_a_usage_error(capsys):
    assert main(["extract", "nonsense", str(SAMPLE)]) == 2
    assert "'nonsense' is not a kind" in capsys.readouterr().err


@pytest.fixture(scope="module")
def sample_rows():
    """How many rows each kind has in Python: every format must write them all."""
    from threadlib.cli import KINDS, extractor

    thread = threadlib.load_thread(SAMPLE)
    return {kind: len(extractor(kind)(thread)) for kind in KINDS}


def test_the_command_line_names_the_kinds_the_library_has():
    from threadlib import cli, corpora, score

    assert set(cli.KINDS) == set(corpora.KINDS) and set(cli.SCORED) == set(score.FIELDS)


@pytest.mark.parametrize("kind", ["posts", "troops", "attacks", "positions", "shifts"])
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_every_kind_in_every_format(tmp_path, kind, fmt, sample_rows):
    out = tmp_path / f"{kind}.{fmt}"
    assert main(["extract", kind, str(SAMPLE), "--format", fmt, "-o", str(out)]) == 0
    read = {"jsonl": lambda p: pd.read_json(p, lines=True), "csv": pd.read_csv, "parquet": pd.read_parquet}[fmt]
    assert len(read(out)) == sample_rows[kind] > 0
    assert out.stat().st_mode & 0o044  # readable by others, like any new file (umask permitting)


def test_parquet_keeps_one_type_per_column(tmp_path):
    out = tmp_path / "troops.parquet"
    assert main(["extract", "troops", str(SAMPLE), "--format", "parquet", "-o", str(out)]) == 0
    locations = pd.read_parquet(out)["location"]
    assert [list(v) for v in locations[4:6]] == [["Iraq"], ["Syria", "Iraq"]]


@pytest.mark.parametrize("name, starts", [("t.csv", b"post_id,"), ("t.parquet", b"PAR1"), ("t.jsonl", b'{"post_id"')])
def test_the_output_format_comes_from_the_extension(tmp_path, name, starts):
    from threadlib.cli import main as run

    assert run(["extract", "troops", str(SAMPLE), "--no-parse", "-o", str(tmp_path / name)]) == 0
    assert (tmp_path / name).read_bytes().startswith(starts)


def test_score_can_be_limited_to_the_posts_a_student_annotated(tmp_path, capsys):
    from threadlib.cli import main as run

    gold = [json.loads(line) for line in (ROOT / "tests" / "fixtures" / "gold" / "troops.jsonl").read_text().splitlines()]
    partial = tmp_path / "mine.jsonl"
    partial.write_text("".join(json.dumps(r) + "\n" for r in gold if r["post_id"] in (2, 3)))
    assert run(["score", "troops", str(partial), str(SAMPLE), "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert run(["score", "troops", str(partial), str(SAMPLE), "--json", "--posts", "2-3"]) == 0
    limited = json.loads(capsys.readouterr().out)
    assert everything["precision"] < 0.5 and limited["precision"] == 1.0 and limited["recall"] == 1.0
