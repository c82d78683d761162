"""Read a thread file (or text) as clean lines, refusing what is not a plain-text thread.

Every refusal is a `ThreadFormatError` whose message is one line naming the
source, the line where it helps, and what to do.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from .errors import ThreadFormatError

# Characters that print as a space, or as nothing; normalised so that rules see plain spaces. Line and
# page separators other than LF, CRLF and CR (vertical tab, form feed, the file/group/record separators,
# NEL, U+2028, U+2029) end no line, in any encoding: they are spaces too.
_ODD_SPACE = re.compile("[\t\u00a0\u2007\u202f\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_ASCII_BREAK = re.compile("[\x0b\x0c\x1c-\x1e]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_INVISIBLE = re.compile("[\u200b\u2060\ufeff]")

# An HTML page instead of its text: a doctype or a structural tag opening a line.
_HTML_LINE = re.compile(r"""^\s*<(?:!doctype\s+html|html|head|body|meta|div|script|link|table|p)\b""",
                        re.IGNORECASE)
_HTML_HINT_LINES = 40  # how many non-blank lines are inspected for HTML
_HTML_MIN_TAG_LINES = 3  # that many tag lines (or one doctype/<html>) make it a page

_SNIFF_BYTES = 1 << 16  # a binary file shows NUL bytes in its first 64 KiB

SourceLike = str | os.PathLike


def is_text_source(source: SourceLike) -> bool:
    """Tell a thread's text from a path to it: text has a line break, a path never does; or it is
    a JSON export on one line (braces or brackets at both ends).

    >>> is_text_source("data/threads/iraq.txt"), is_text_source("IRAQ\\n\\nPost by x »\\n")
    (False, True)
    >>> is_text_source('{"post_stream": {}}'), is_text_source("[draft] thread.txt")
    (True, False)
    """
    if not isinstance(source, str):
        return False
    ends = source.strip()[:1] + source.strip()[-1:]
    return "\n" in source or "\r" in source or (ends in ("{}", "[]") and len(source) > 2 and source.strip()[1] in '{["')


def shown_path(path: str | os.PathLike) -> str:
    r"""A path as text that any output can hold on one line: bytes of its name that are not UTF-8,
    and control characters (a line break), shown escaped.

    >>> shown_path("forum/caf\udce9.txt"), shown_path("a\nb.txt")
    ('forum/caf\\xe9.txt', 'a\\nb.txt')
    """
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def source_name(source: SourceLike) -> str:
    """The name used in messages: the path as given (`shown_path`), or ``<text>`` for text."""
    return "<text>" if is_text_source(source) else (shown_path(source) if source != "-" else "-")


def read_lines(source: SourceLike, digest=None) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, line)`` for a path or a text: 1-based, whitespace-normalised, stripped.

    Line endings (LF, CRLF, CR), a byte-order mark and non-breaking spaces are normalised.
    Raises `ThreadFormatError` for a missing path, a directory, an empty or binary file,
    text that is not UTF-8, an HTML page, and a file with only blank lines. A ``digest``
    (``hashlib.sha256()``) is given every byte read from a file or stream, as it is read.

    >>> list(read_lines("\\ufeffIRAQ\\r\\n\\r\\nPost\\u00a0by x \\r\\n"))
    [(1, 'IRAQ'), (2, ''), (3, 'Post by x')]
    """
    name = source_name(source)
    raw_lines = _text_lines(source) if is_text_source(source) else _file_lines(Path(source), name, digest)
    return _checked(raw_lines, name)


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    if "\x00" in text:
        raise ThreadFormatError("<text>: holds binary data (NUL bytes), not a thread's text")
    if _SURROGATE.search(text):
        # lone surrogates (from a bad decode) are no text any file can hold: the replacement character
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if text.endswith(("\n", "\r")):
        text = text[:-2] if text.endswith("\r\n") else text[:-1]
    for number, line in enumerate(_NEWLINE.split(text), start=1):
        yield number, line


# Byte-order marks of the wide Unicode encodings (longest first: UTF-32-LE starts like UTF-16-LE).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _file_lines(path: Path, name: str, digest=None) -> Iterator[tuple[int, str]]:
    if name == "-":
        yield from _stream_lines(_Hashing(sys.stdin.buffer, digest) if digest else sys.stdin.buffer, "<stdin>")
        return
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ThreadFormatError(f"{name}: no such file; check the path (the sample is data/threads/iraq.txt)") from None
    except OSError as exc:
        raise ThreadFormatError(f"{name}: cannot be read ({exc.strerror})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ThreadFormatError(f"{name}: is a directory; give the path of a thread text file inside it")
    if stat.S_ISREG(info.st_mode) and info.st_size == 0:
        raise ThreadFormatError(f"{name}: the file is empty; save a forum thread into it as plain text")
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ThreadFormatError(f"{name}: cannot be opened ({exc.strerror}); check its permissions") from None
    with handle:  # a regular file, or a pipe, a FIFO, `<(...)`: read as a stream, never sought
        yield from _stream_lines(_Hashing(handle, digest) if digest else handle, name)


class _Hashing:
    """A byte stream that gives what is read from it to a digest, so that a result can say which
    bytes it was made from (a file may change while it is read)."""

    def __init__(self, handle, digest):
        self.handle, self.digest = handle, digest

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data

    def __iter__(self) -> Iterator[bytes]:
        for line in self.handle:
            self.digest.update(line)
            yield line


def _stream_lines(handle, name: str) -> Iterator[tuple[int, str]]:
    """The lines of a byte stream: UTF-8, or UTF-16/UTF-32 with a byte-order mark."""
    head = handle.read(_SNIFF_BYTES)
    if not head:
        raise ThreadFormatError(f"{name}: the input is empty; save a forum thread into it as plain text")
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            decoder = codecs.getincrementaldecoder(encoding)()
            number = 0
            try:
                for line in _wide_lines(decoder, head, handle):
                    number += 1
                    yield number, line
            except UnicodeDecodeError:
                raise ThreadFormatError(f"{name}, line {number + 1}: not valid {encoding.upper()} text after its "
                                        "byte-order mark; convert the file to UTF-8", line=number + 1) from None
            return
    if b"\x00" in head:
        _refuse_nul(head, name)
    number = 0
    for raw in _byte_lines(head, handle):
        # CRLF ends a line like LF; a lone CR (old Mac endings) does too.
        for piece in raw.rstrip(b"\n").removesuffix(b"\r").split(b"\r"):
            number += 1
            if b"\x00" in piece:
                raise ThreadFormatError(
                    f"{name}, line {number}: binary data (NUL bytes); this is not a text file", line=number)
            try:
                yield number, piece.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ThreadFormatError(
                    f"{name}, line {number}: not UTF-8 text (byte 0x{piece[exc.start]:02X} at column "
                    f"{exc.start + 1}); convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
                    line=number) from None


# Where the zero bytes of ASCII text lie in each wide encoding saved without a byte-order mark.
_WIDE_LAYOUTS = (("UTF-32LE", 4, (1, 2, 3)), ("UTF-32BE", 4, (0, 1, 2)), ("UTF-16LE", 2, (1,)), ("UTF-16BE", 2, (0,)))


def _refuse_nul(head: bytes, name: str) -> None:
    """NUL bytes: UTF-16 or UTF-32 text saved without a byte-order mark, or binary data."""
    sample = head[:4096]
    for encoding, width, offsets in _WIDE_LAYOUTS:
        zeros = b"".join(sample[offset::width] for offset in offsets)
        if zeros and zeros.count(0) >= 0.9 * len(zeros):
            raise ThreadFormatError(f"{name}: {encoding[:6]} text without a byte-order mark, not UTF-8; convert "
                                    f"it, e.g. iconv -f {encoding} -t UTF-8 {name} > thread.txt")
    number = head[:head.index(b"\x00")].count(b"\n") + 1
    raise ThreadFormatError(f"{name}, line {number}: binary data (NUL bytes); this is not a text file", line=number)


def _byte_lines(head: bytes, handle) -> Iterator[bytes]:
    """The lines of ``head`` followed by the rest of ``handle``, a line across the seam joined."""
    pieces = head.split(b"\n")
    yield from (piece + b"\n" for piece in pieces[:-1])
    rest = pieces[-1]
    for raw in handle:
        if rest:
            raw, rest = rest + raw, b""
        yield raw
    if rest:
        yield rest


def _wide_lines(decoder, head: bytes, handle) -> Iterator[str]:
    """The lines of a UTF-16 or UTF-32 stream, split on LF, CRLF and CR only (as the UTF-8 path
    does, not on every character that Unicode counts as a line break)."""
    buffer, pending = "", ""
    for block in _blocks(head, handle):
        text = pending + decoder.decode(block)
        text, pending = (text[:-1], "\r") if text.endswith("\r") else (text, "")  # a CRLF may span two blocks
        *lines, buffer = (buffer + text.replace("\r\n", "\n").replace("\r", "\n")).split("\n")
        yield from lines
    text = (pending + decoder.decode(b"", final=True)).replace("\r\n", "\n").replace("\r", "\n")
    *lines, buffer = (buffer + text).split("\n")
    yield from lines
    if buffer:
        yield buffer


def _blocks(head: bytes, handle, size: int = 1 << 16) -> Iterator[bytes]:
    yield head
    yield from iter(lambda: handle.read(size), b"")


class _Prefixed:
    """A byte stream whose first bytes were already read (``head``), for a decoding reader."""

    def __init__(self, head: bytes, handle):
        self.head, self.handle = head, handle

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size is None or size < 0:
                data, self.head = self.head + self.handle.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.handle.read(size)


def _checked(lines: Iterator[tuple[int, str]], name: str) -> Iterator[tuple[int, str]]:
    """Normalise each line; refuse HTML pages and files that hold nothing but blank lines."""
    seen_text = False
    inspected = tag_lines = 0
    for number, line in lines:
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.isascii() or _ASCII_BREAK.search(line):
            line = _INVISIBLE.sub("", _ODD_SPACE.sub(" ", line))
        line = line.replace("\t", " ").strip()
        if line:
            seen_text = True
            if inspected < _HTML_HINT_LINES:
                inspected += 1
                if _HTML_LINE.match(line):
                    tag_lines += 1
                    lowered = line.lower()
                    if tag_lines >= _HTML_MIN_TAG_LINES or lowered.startswith(("<!doctype", "<html")):
                        raise ThreadFormatError(
                            f"{name}, line {number}: this is an HTML page, not a thread's text, and not a saved "
                            "page of an engine threadlib reads (phpBB, XenForo); open it in a browser, select the thread and "
                            "save it as plain text", line=number)
        yield number, line
    if not seen_text:
        raise ThreadFormatError(f"{name}: the file is empty (only blank lines); save a forum thread into it as plain text")


def find_path(path: str | Path) -> Path:
    """A path as given if it exists, else the same relative path under the nearest parent folder
    that has it (so that ``data/threads/iraq.txt`` works from ``notebooks/`` too), else beside the
    source tree, else, for a sample thread (``data/threads/NAME``), the copy installed with the
    package (so that the defaults work from any folder and from a plain install)."""
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    package = Path(__file__).resolve().parent  # this module is in the package's folder
    folders = [*Path.cwd().resolve().parents, package.parents[1]]
    for folder in folders:
        if (folder / candidate).exists():
            return folder / candidate
    if candidate.parts == ("data", "threads") and (package / "samples").is_dir():
        return package / "samples"  # the folder of sample threads
    if candidate.parts[:2] == ("data", "threads") and (package / "samples" / candidate.name).is_file():
        return package / "samples" / candidate.name
    return candidate  # load_thread then says clearly that it is missing
