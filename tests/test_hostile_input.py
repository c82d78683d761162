"""Hostile and careless input (issue 25): no traceback, one line and exit 2 for a user's mistake, no
hang, linear time on pathological shapes, one line split for every encoding, a dead worker's
threads retried, and a few hundred mutants of a thread with no exception."""

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE, report_key

import threadlib
from threadlib.cli import main

SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def run_cli(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "threadlib", *args], capture_output=True, text=True, input=stdin,
                          cwd=cwd, errors="backslashreplace")


# Numbers and dates out of range: no traceback.

@pytest.mark.parametrize("kind", ["troops", "attacks", "positions", "shifts"])
def test_a_310_digit_number_and_a_date_line_of_the_year_1(tmp_path, kind):
    text = SAMPLE_TEXT.replace("roughly 2,500 U.S. troops", "roughly " + "9" * 310 + " U.S. troops", 1)
    text = text.replace("\n8 JULY 2021\n", "\n1 JANUARY 0001\n", 1).replace(
        "A spokesperson for the U.S.-led coalition has acknowledged",
        "On Friday a spokesperson said it has been attacked 5 times since Monday and acknowledged", 1)
    path = tmp_path / "odd.txt"
    path.write_text(text, encoding="utf-8")
    result = run_cli("extract", kind, str(path))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert not any("9" * 30 in str(r.get("text", "")) for r in records)  # an identifier, not a count


def test_lone_surrogates_through_the_api_become_replacement_characters(tmp_path):
    thread = threadlib.load_thread(SAMPLE_TEXT.replace("troops", "troops\ud800", 1))
    table = threadlib.troops(thread, parse=False)
    threadlib.output.write_table(table, "jsonl", tmp_path / "t.jsonl")
    threadlib.output.write_table(thread.posts, "parquet", tmp_path / "p.parquet")
    assert "\ufffd" in (tmp_path / "t.jsonl").read_text(encoding="utf-8") or len(table) == 17


# Bad files and values: one line, exit 2.

@pytest.mark.parametrize("content", [os.urandom(64) + b"\x00", b"\xff\xfe\x00\x01", b'{"value": 1}\n\xff\n'],
                         ids=["random bytes", "not UTF-8", "a bad second line"])
def test_a_binary_or_undecodable_gold_file_is_one_line(tmp_path, content):
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(content)
    result = run_cli("score", "troops", str(gold), str(SAMPLE))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "gold.jsonl, line" in result.stderr


def test_a_predictions_file_of_another_kind_is_refused(tmp_path):
    gold = Path(__file__).parent / "fixtures" / "gold"
    result = run_cli("score", "troops", str(gold / "troops.jsonl"), str(gold / "positions.jsonl"))
    assert result.returncode == 2 and "these are positions records, not troops" in result.stderr


def test_a_parameter_that_is_not_utf8_is_one_line():
    result = subprocess.run([sys.executable.encode(), b"-m", b"threadlib", b"report", str(SAMPLE).encode(), b"-p",
                             b"actors=\xff"], capture_output=True)
    assert result.returncode == 2 and b"not UTF-8 text" in result.stderr and b"Traceback" not in result.stderr


# Names are only names.

def test_a_file_name_with_a_line_break_is_a_name(tmp_path):
    name = tmp_path / "iraq\nPost by a »\n\nSome 99,000 troops arrived.\n.txt"
    result = run_cli("extract", "troops", str(name))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "no such file" in result.stderr
    shutil.copy(SAMPLE, name)
    result = run_cli("extract", "troops", str(name))
    assert result.returncode == 0 and "99,000" not in result.stdout and result.stdout.count("\n") == 17


def test_a_file_name_that_is_not_utf8_in_a_folder_is_read_and_shown_escaped(tmp_path):
    folder = tmp_path / "forum"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.txt")
    shutil.copy(SAMPLE, os.path.join(os.fsencode(folder), b"caf\xe9.txt"))
    out = tmp_path / "tables"
    assert main(["extract", "--kinds", "troops", str(folder), "-o", f"{out}/", "--jobs", "1"]) == 0
    import pandas as pd

    paths = set(pd.read_parquet(out / "threads.parquet")["path"])
    assert any(p.endswith("caf\\xe9.txt") for p in paths) and any(p.endswith("good.txt") for p in paths)


# One line split for every encoding.

def test_one_line_split_for_every_encoding(tmp_path):
    text = "TITLE\r\n\r\nline one\x0bstill one\x0cand\x1con\x85on\u2028and\u2029on\r\nline two\rline three\nlast"
    from threadlib.reading import read_lines

    seen = [list(read_lines(text))]
    for encoding in ("utf-8", "utf-16", "utf-32"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        seen.append(list(read_lines(path)))
    assert all(lines == seen[0] for lines in seen) and len(seen[0]) == 6


# Streams are read once; "-" reads standard input in report as in extract.

def test_report_reads_standard_input_once(tmp_path):
    result = run_cli("report", "-", "--out", str(tmp_path / "out"), stdin=SAMPLE_TEXT)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / report_key(SAMPLE) / "01_troop_counts.html").is_file()  # the thread id, read from the stream


def test_report_on_a_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "iraq.txt"
    os.mkfifo(fifo)
    writer = subprocess.Popen(["sh", "-c", f"cat {SAMPLE} > {fifo}"])
    try:
        result = subprocess.run([sys.executable, "-m", "threadlib", "report", str(fifo), "--out", str(tmp_path / "out")],
                                capture_output=True, text=True, timeout=300)
    finally:
        writer.wait(timeout=60)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / report_key(SAMPLE) / "00_overview.html").is_file()


# Filters that match nothing: each notebook gives its sentence, never an exception.

def test_filters_that_match_nothing_give_sentences_in_every_notebook(tmp_path):
    from threadlib.report import NOTEBOOKS, run_reports

    parameters = {"actors": ["Nobody"], "actor_classes": ["nobody"], "locations": ["Atlantis"], "targets": ["nobody"],
                  "start": "2099-01-01"}
    run_reports([SAMPLE], out=tmp_path, parameters=parameters, log=lambda line: None)
    pages = {name: (tmp_path / report_key(SAMPLE) / f"{name}.html").read_text(encoding="utf-8") for name in NOTEBOOKS}
    assert all("Traceback" not in page and "KeyError" not in page for page in pages.values())
    assert "No troop-count mention matches" in pages["01_troop_counts"]
    assert "No attack-frequency claim matches" in pages["02_attack_frequency"]
    assert "No stated position matches" in pages["03_position_shifts"]


def test_a_kernel_that_dies_fails_its_thread_and_the_index_is_still_written(tmp_path):
    import nbformat

    from threadlib.report import ReportError, run_reports

    notebooks = tmp_path / "notebooks"
    shutil.copytree(Path(__file__).parent.parent / "notebooks", notebooks)
    dying = nbformat.read(notebooks / "02_attack_frequency.ipynb", as_version=4)
    dying.cells.insert(2, nbformat.v4.new_code_cell("import os; os._exit(1)"))
    nbformat.write(dying, notebooks / "02_attack_frequency.ipynb")
    with pytest.raises(ReportError, match="02_attack_frequency.ipynb did not finish: its kernel stopped") as info:
        run_reports([SAMPLE], out=tmp_path / "out", notebooks=notebooks, log=lambda line: None)
    assert info.value.exit_status == 2  # the command line's exit status
    assert "Not updated" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "failed" in (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")


# A dead worker's threads are tried once more in a fresh process.

def test_a_worker_that_dies_has_its_threads_retried_once(tmp_path):
    from helpers import dies_once_then_extracts

    from threadlib.corpora import Settings, run_processes

    for name in ("a.txt", "b-die.txt", "c.txt", "d.txt"):
        shutil.copy(SAMPLE, tmp_path / name)
    run = run_processes(2, work=dies_once_then_extracts)
    results = list(run(sorted(tmp_path.glob("*.txt")), Settings(kinds=("troops",), parse=False)))
    assert sorted(Path(r.path).name for r in results) == ["a.txt", "b-die.txt", "c.txt", "d.txt"]
    assert all(r.error is None for r in results), [r.error for r in results]
    assert (tmp_path / "b-die.died").exists()


# Linear time on pathological shapes: the growth from n to 4n, not an absolute time (quadratic: 16x).

def _growth(function, make, n: int) -> float:
    def best(text):
        times = []
        for _ in range(3):
            started = time.perf_counter()
            function(text)
            times.append(time.perf_counter() - started)
        return min(times)
    return best(make(4 * n)) / max(best(make(n)), 1e-4)


@pytest.mark.parametrize("shape", ["a run of dots", "spaces in a 'Post by' line", "a long 'Last edited by' line",
                                   "initials without end", "a hyphenated word without end", "a possessive run",
                                   "page numbers that are no page numbers"])
def test_growth_is_linear_on_pathological_shapes(shape):
    from threadlib.actors import find_actor_cues
    from threadlib.article import _last_edited
    from threadlib.mentions import PostActors
    from threadlib.text import sentence_spans
    from threadlib.thread import _POST_BY

    cases = {
        "a run of dots": (lambda t: list(sentence_spans(t)), lambda n: "." * n),
        "spaces in a 'Post by' line": (_POST_BY.match, lambda n: "Post by " + " " * n + "» " + " " * n),
        "a long 'Last edited by' line": (_last_edited, lambda n: "Last edited by " + "x on " * (n // 5)),
        "initials without end": (lambda t: PostActors(t, None).mentions(t), lambda n: "a." * (n // 2)),
        "a hyphenated word without end": (lambda t: find_actor_cues(t, host=None), lambda n: "a." * (n // 2)),
        "a possessive run": (lambda t: PostActors(t, None).mentions(t), lambda n: "Iraq's " * (n // 7)),
        # a line like the forum's page numbers, but long (the chrome lexicon's patterns are never tried on it)
        "page numbers that are no page numbers": (threadlib.load_thread,
                                                  lambda n: "T\n\nPost by a »\n\n" + "1,0" * (n // 3) + " troops\n"),
    }
    function, make = cases[shape]
    assert _growth(function, make, 20_000) < 8


# A few hundred mutants of a thread: no exception from any extractor.

def _mutants(count: int, seed: int = 25):
    rng = random.Random(seed)
    base = SAMPLE_TEXT.split("Post by ")
    head = "Post by ".join(base[:4])  # the first three posts: quick to read and parse
    pieces = ["\x00", "\x0b", "\ufeff", "\ud800", "»", "Post by x »", "9" * 400, "1 JANUARY 0001", "31 DECEMBER 9999",
              ".." * 500, " " * 2000, "“", "”", "'s", "since Oct. 17", "troops", "attacked 5 times", "\r", "\n\n",
              "<div>", "Last edited by x on y, edited 2 times in total.", "https://", "—", "e\u0301"]
    for _ in range(count):
        text = list(head)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(text))
            action = rng.random()
            if action < 0.5:
                text[at:at] = list(rng.choice(pieces))
            elif action < 0.8:
                del text[at:at + rng.randint(1, 200)]
            else:
                start = rng.randrange(len(text))
                text[at:at] = text[start:start + rng.randint(1, 400)]
        yield "".join(text)


def test_mutants_of_a_thread_raise_nothing_but_format_errors():
    from threadlib.errors import ThreadFormatError

    failures, read = [], 0
    for number, text in enumerate(_mutants(200)):
        try:
            thread = threadlib.load_thread(text)
        except ThreadFormatError:
            continue
        read += 1
        try:
            threadlib.troops(thread, parse=False)
            threadlib.attacks(thread, parse=False)
            thread.posts
            threadlib.shifts(threadlib.positions(thread))
            if number % 4 == 0:  # roles from the parse: every fourth mutant
                threadlib.troops(thread)
                threadlib.attacks(thread)
        except Exception as exc:  # noqa: BLE001 (what the test is looking for)
            failures.append(f"mutant {number}: {type(exc).__name__}: {exc}")
    assert read > 120 and failures == []


# Leftovers and ports.

def test_what_a_killed_report_left_in_the_temporary_folder_is_removed_by_the_next(tmp_path, monkeypatch):
    import tempfile

    from test_user_files import dead_pid_work

    from threadlib.report import _private_folder

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    leftover = dead_pid_work(tmp_path, "report")
    (leftover / "kernel-1.json").write_text("{}")
    with _private_folder() as folder:
        assert folder.parent == tmp_path and folder.exists() and not leftover.exists()
    assert not folder.exists()


def test_a_local_dask_cluster_opens_no_dashboard():
    pytest.importorskip("distributed")
    from threadlib.corpora import local_cluster

    cluster = local_cluster(1)
    try:
        assert cluster.scheduler.http_server.port != 8787  # its HTTP server on a free port, not the dashboard's
    finally:
        cluster.close()
