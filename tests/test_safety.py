"""Nothing lost, nothing executed: outputs that never replace what is not a regular file, report
folders with safe keys, one writer at a time, --if-changed on content, checked -p values, and
input in the encodings and streams people actually have."""

import io
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import SAMPLE

from threadlib import lexicon
from threadlib.cli import main
from threadlib.output import OutputError, atomic_output
from threadlib.fingerprint import code_and_lexicons, file_sha256
from threadlib.output import swap_in_folder as _swap_in
from threadlib.report import (_locked, _unchanged, check_parameters, find_notebooks,
                              index_html, report_keys)
from threadlib.thread import load_thread

SAMPLE = str(SAMPLE)
SAMPLE_TEXT = Path(SAMPLE).read_text(encoding="utf-8")


# 1. -o replaces only regular files, keeping their mode; devices and pipes are written through.

def test_output_to_a_character_device_writes_through(tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a character device here ({exc})")
    with atomic_output(device) as handle:
        handle.write("gone\n")
    assert stat.S_ISCHR(device.stat().st_mode)  # still the device, not a regular file


def test_output_to_a_fifo_writes_through(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    with atomic_output(fifo) as handle:
        handle.write("through the pipe\n")
    reader.join(timeout=10)
    assert received == ["through the pipe\n"] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_through_a_symlink_replaces_its_target(tmp_path):
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    with atomic_output(link) as handle:
        handle.write("new\n")
    assert link.is_symlink() and target.read_text() == "new\n"


def test_output_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "kept.csv"
    target.write_text("old\n")
    target.chmod(0o444)
    with atomic_output(target) as handle:
        handle.write("new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o444 and target.read_text() == "new\n"


def test_a_file_output_onto_a_directory_is_refused_naming_it(tmp_path):
    with pytest.raises(OutputError) as info:
        with atomic_output(tmp_path) as handle:
            handle.write("x")
    assert str(tmp_path) in str(info.value) and "is a directory" in str(info.value) and ".part" not in str(info.value)


def test_an_existing_directory_as_output_gets_the_tables_beside_what_it_holds(tmp_path):
    (tmp_path / "notes.txt").write_text("mine\n")
    assert main(["extract", "troops", SAMPLE, "--no-parse", "-o", str(tmp_path), "--jobs", "1"]) == 0
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "threads.parquet", "troops"]


def test_an_output_error_names_the_target_not_the_temporary_file(tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.access(folder, os.W_OK):
        pytest.skip("running as a user who may write anywhere")
    assert main(["extract", "troops", SAMPLE, "--no-parse", "-o", str(folder / "t.jsonl")]) == 2
    error = capsys.readouterr().err
    assert str(folder / "t.jsonl") in error and ".part" not in error


# 2-4. Report keys: safe, unique, never the folder itself; links relative and percent-encoded.

def test_report_keys_are_thread_ids_safe_and_unique(tmp_path):
    from threadlib.corpora import thread_id_of

    hostile = tmp_path / "javascript:alert(1)%2F%2F.txt"
    hostile.write_text("<script>alert(1)</script> ../..\n\n" + Path(SAMPLE).read_text(encoding="utf-8").split("\n", 1)[1],
                       encoding="utf-8")
    ids = [thread_id_of(hostile), thread_id_of(SAMPLE), thread_id_of(SAMPLE)]  # the sample twice: two snapshots
    keys = report_keys(ids)
    assert all(k and set(k) <= set("abcdefghijklmnopqrstuvwxyz0123456789-~") for k in keys)
    assert len(set(keys)) == 3 and keys[2] == keys[1] + "~2" and ".." not in keys[0]


def test_index_links_cannot_run_script():
    manifest = {"threads": {"x": {"reports": ["javascript:alert(1)//00_overview.html", "/etc/passwd", "a b#?.html"]}}}
    page = index_html(manifest)
    assert 'href="javascript' not in page and 'href="/etc' not in page
    assert 'href="a%20b%23%3F.html"' in page


# 5. One writer at a time; leftovers of killed runs removed; a swap that never leaves the folder absent.

def test_a_second_run_waits_for_the_lock_and_leftovers_are_removed(tmp_path):
    from test_user_files import dead_pid_work

    leftovers = [dead_pid_work(tmp_path, "iraq"), dead_pid_work(tmp_path, "old-iraq")]
    messages, order = [], []
    with _locked(tmp_path, messages.append):
        assert not any(leftover.exists() for leftover in leftovers)

        def second():
            with _locked(tmp_path, messages.append):
                order.append("second")

        other = threading.Thread(target=second)
        other.start()
        time.sleep(0.5)
        order.append("first done")
    other.join(timeout=10)
    assert order == ["first done", "second"] and "waiting" in messages[0]


def test_the_swap_leaves_no_moment_without_the_folder(tmp_path):
    target, new = tmp_path / "iraq", tmp_path / "new-iraq"
    target.mkdir()
    (target / "a.html").write_text("old")
    new.mkdir()
    (new / "a.html").write_text("new")
    seen_absent = []
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            if not target.exists():
                seen_absent.append(True)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _swap_in(new, target)
    stop.set()
    watcher.join()
    assert (target / "a.html").read_text() == "new" and not new.exists()
    assert not seen_absent


# 7. --if-changed: on the content of the reports, the code and the lexicons.

def test_unchanged_needs_the_reports_as_written(tmp_path):
    _sha256 = file_sha256

    (tmp_path / "k").mkdir()
    report = tmp_path / "k" / "a.html"
    report.write_text("made")
    entry = {"input_sha256": "1"}
    previous = {**entry, "reports": ["k/a.html"], "report_sha256": {"k/a.html": _sha256([report])}}
    assert _unchanged(previous, entry, tmp_path)
    report.write_text("edited by hand")
    assert not _unchanged(previous, entry, tmp_path)
    assert not _unchanged(previous, {"input_sha256": "2"}, tmp_path)


def test_the_lexicons_in_use_are_part_of_the_key(tmp_path, monkeypatch):
    (tmp_path / "troop_nouns.csv").write_text("noun,size_only,class\nlegionnaires,no,\n")
    before = code_and_lexicons()
    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path))
    assert tmp_path / "troop_nouns.csv" in code_and_lexicons() and tmp_path / "troop_nouns.csv" not in before


# 8. -p: only declared names, JSON values, text only where text is meant.

@pytest.mark.parametrize("parameter, message", [
    ("class=1", "unknown parameter 'class'"),
    ("print=1", "unknown parameter 'print'"),
    ("strat=2024-01-01", "the notebooks take: actor_classes, actors, end"),
    ("nonsense", "write NAME=VALUE"),
])
def test_report_parameters_must_be_declared(parameter, message):
    with pytest.raises(ValueError, match=message):
        check_parameters([parameter], find_notebooks())


def test_text_is_refused_where_the_default_is_not_text(tmp_path):
    import nbformat

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in ("00_overview", "01_troop_counts", "02_attack_frequency", "03_position_shifts"):
        cell = nbformat.v4.new_code_cell("thread = 'x.txt'\nlimit = 10\nlabel = 'all'", metadata={"tags": ["parameters"]})
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), folder / f"{name}.ipynb")
    assert check_parameters(["limit=3", "label=Iraq"], folder) == {"limit": 3, "label": "Iraq"}
    with pytest.raises(ValueError, match="quote it"):
        check_parameters(["limit=three"], folder)


def test_a_bad_parameter_stops_the_report_before_any_kernel(tmp_path):
    result = subprocess.run([sys.executable, "-m", "threadlib", "report", SAMPLE, "--out", str(tmp_path / "r"),
                             "-p", "import=1"], capture_output=True, text=True)
    assert result.returncode == 2 and "unknown parameter 'import'" in result.stderr
    assert not (tmp_path / "r").exists()


# 9. Input in the encodings and streams people have; messages that say what happened.

@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_wide_unicode_with_a_byte_order_mark_is_read(tmp_path, encoding):
    path = tmp_path / "thread.txt"
    path.write_text(SAMPLE_TEXT, encoding=encoding)
    assert len(load_thread(path)) == len(load_thread(SAMPLE))


@pytest.mark.parametrize("encoding, named", [("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32")])
def test_wide_unicode_without_a_byte_order_mark_is_named(tmp_path, encoding, named):
    path = tmp_path / "thread.txt"
    path.write_text(SAMPLE_TEXT, encoding=encoding)
    with pytest.raises(ValueError, match=f"{named} text without a byte-order mark"):
        load_thread(path)


def test_a_fifo_is_read_as_a_stream(tmp_path):
    fifo = tmp_path / "thread.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(SAMPLE_TEXT, encoding="utf-8"))
    writer.start()
    thread = load_thread(fifo)
    writer.join(timeout=10)
    assert len(thread) == len(load_thread(SAMPLE))


def test_a_dash_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SAMPLE_TEXT.encode("utf-8"))))
    assert main(["extract", "posts", "-"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(load_thread(SAMPLE))


def test_a_stream_that_fails_midway_says_its_output_is_incomplete(tmp_path, capsys):
    path = tmp_path / "thread.txt"
    path.write_bytes(SAMPLE_TEXT.encode("utf-8") + b"\nPost by x \xbb\n\n\xff\xfe broken\n")
    assert main(["extract", "posts", str(path)]) == 2
    captured = capsys.readouterr()
    assert 0 < captured.out.count("\n") <= len(load_thread(SAMPLE))  # what was read before the error
    assert "not UTF-8" in captured.err and "incomplete" in captured.err


def test_an_output_error_is_an_os_error_with_the_target():
    assert issubclass(OutputError, OSError)


# 6. Work linear in the input: no sentence (and no record's sentence) grows without bound.

def test_a_sentence_of_absurd_length_is_cut_into_bounded_pieces():
    from threadlib.text import MAX_SENTENCE, sentence_spans

    text = "Turkey has deployed about 3,000 troops to northern Iraq, and " * 4000 + "it rained."
    spans = sentence_spans(text)
    assert len(spans) > 200 and all(end - start <= MAX_SENTENCE for start, end in spans)
    assert "".join(text[s:e] + " " for s, e in spans).split() == text.split()  # nothing lost


def test_records_from_one_endless_sentence_carry_bounded_sentences():
    from helpers import thread_of

    from threadlib import troops
    from threadlib.text import MAX_SENTENCE

    body = "Turkey has deployed about 3,000 troops to northern Iraq, and " * 2000 + "it rained."
    rows = troops(thread_of(body, title="IRAQ"), parse=False)
    assert len(rows) == 2000 and rows["sentence"].str.len().max() <= MAX_SENTENCE
