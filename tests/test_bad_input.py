"""Bad input: one clear line naming the file (and line), ThreadFormatError in the library, exit 2 in the CLI."""

import subprocess
import sys
import textwrap

import pytest
from conftest import SAMPLE

import threadlib
from threadlib import ThreadFormatError


def _make(tmp_path, case):
    """Create the bad input for ``case``; return its path and a phrase the message must hold."""
    path = tmp_path / f"{case}.txt"
    if case == "missing":
        return path, "no such file"
    if case == "directory":
        path.mkdir()
        return path, "is a directory"
    if case == "empty":
        path.write_bytes(b"")
        return path, "empty"
    if case == "blank":
        path.write_bytes(b"\n  \r\n\n")
        return path, "empty"
    if case == "binary":
        path.write_bytes(b"IRAQ\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
        return path, "binary data (NUL bytes)"
    if case == "latin1":
        path.write_bytes(SAMPLE.read_bytes().replace("’".encode(), "\x92".encode("latin-1"), 1)
                         .replace(b"\xc2\x92", b"\x92"))
        return path, "not UTF-8"
    if case == "html":
        path.write_text("<!DOCTYPE html>\n<html><head><title>IRAQ</title></head>\n<body>...</body></html>\n")
        return path, "HTML page"
    if case == "no_posts":
        path.write_text("Shopping list\n\neggs\nmilk\n")
        return path, "no posts found"
    raise AssertionError(case)


CASES = ["missing", "directory", "empty", "blank", "binary", "latin1", "html", "no_posts"]


@pytest.mark.parametrize("case", CASES)
def test_library_raises_thread_format_error_naming_the_file(tmp_path, case):
    path, phrase = _make(tmp_path, case)
    with pytest.raises(ThreadFormatError) as info:
        threadlib.load_thread(path)
    message = str(info.value)
    assert str(path) in message and phrase in message
    assert "\n" not in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("case", CASES)
def test_cli_prints_one_line_and_exits_2(tmp_path, case):
    path, phrase = _make(tmp_path, case)
    if case == "directory":  # the command line reads a folder as the threads in it
        phrase = "a folder with no .txt threads in it"
    out = tmp_path / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "threadlib", "extract", "posts", str(path), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("threadlib: error: ") and str(path) in result.stderr and phrase in result.stderr
    assert not out.exists() and list(tmp_path.glob(".out.jsonl.*")) == []  # no half-written output


def test_not_utf8_names_the_line(tmp_path):
    path, _ = _make(tmp_path, "latin1")
    with pytest.raises(ThreadFormatError, match=r", line 54: not UTF-8 text \(byte 0x92") as info:
        threadlib.load_thread(path)
    assert info.value.line == 54


def test_failed_run_keeps_the_previous_output(tmp_path):
    out = tmp_path / "posts.jsonl"
    out.write_text("previous\n")
    bad, _ = _make(tmp_path, "html")
    result = subprocess.run([sys.executable, "-m", "threadlib", "extract", "posts", str(bad), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 2 and out.read_text() == "previous\n"


def test_text_without_posts_raises():
    with pytest.raises(ThreadFormatError, match="<text>: no posts found"):
        threadlib.load_thread("just\nsome words\n")


LARGE_PROBE = textwrap.dedent("""
    import resource, sys, threadlib
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    thread = threadlib.load_thread(sys.argv[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(len(thread), base, peak)
""")


STREAM_PROBE = textwrap.dedent("""
    import resource, sys
    from threadlib.cli import main
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    rc = main(sys.argv[1:])
    print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
    sys.exit(rc)
""")


def _large_thread(tmp_path, megabytes: int):
    """A thread of about ``megabytes`` MB: the sample's posts repeated."""
    title, _, rest = SAMPLE.read_bytes().partition(b"\n")
    posts = rest.rsplit(b"Post Reply", 1)[0]
    repeats = megabytes * 2**20 // len(posts) + 1
    path = tmp_path / "large.txt"
    with path.open("wb") as handle:
        handle.write(title + b"\n")
        for _ in range(repeats):
            handle.write(posts)
    return path, repeats * 10


@pytest.mark.slow
def test_a_200_mb_thread_parses_within_a_small_multiple_of_its_size(tmp_path):
    path, expected_posts = _large_thread(tmp_path, 200)
    size = path.stat().st_size
    result = subprocess.run([sys.executable, "-c", LARGE_PROBE, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    count, base, peak = map(int, result.stdout.split())
    assert count == expected_posts
    assert peak - base < 4 * size, f"peak memory {(peak - base) / size:.1f}x the file size"

    # Streaming to JSON Lines holds one post at a time.
    out = tmp_path / "posts.jsonl"
    result = subprocess.run([sys.executable, "-c", STREAM_PROBE, "extract", "posts", str(path), "-o", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    base, peak = map(int, result.stdout.split())
    assert peak - base < size / 10, f"streaming grew by {(peak - base) / 2**20:.0f} MB"
    with out.open() as handle:
        assert sum(1 for _ in handle) == expected_posts
