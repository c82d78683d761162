"""Lexicons: the CSV data files that hold words, patterns and names, loaded once.

Each file in ``threadlib/lexicon/`` starts with ``#`` lines saying what its columns mean,
then a header row. A user extends a lexicon without touching code: put a CSV file of the
same name (same columns) in a folder and name that folder in the environment variable
``THREADLIB_LEXICONS`` (several folders separated by ``os.pathsep``), or call
`add_lexicon_dir`. The user's rows come after the package's rows.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from importlib import resources
from pathlib import Path

from .errors import LexiconError

ENV_VAR = "THREADLIB_LEXICONS"
_extra_dirs: list[Path] = []
_derived: list = []  # caches of patterns and indexes built from lexicons, cleared with them


def derived(function):
    """Cache what a function builds from lexicons (a compiled pattern, an index) until they change."""
    cached = functools.cache(function)
    _derived.append(cached)
    return cached


# Sentences whose readings (numbers, dates, actor cues) are kept: about a batch of posts' worth, so that
# troops and attacks, extracted from the same batch one after the other, read each sentence once.
SENTENCES_KEPT = 8192


def derived_per_text(maxsize: int = 256):
    """Cache what a function reads from a text with the lexicons (the last ``maxsize`` texts), until
    the lexicons change: a sentence is asked again for each mention in it."""
    def decorate(function):
        cached = functools.lru_cache(maxsize=maxsize)(function)
        _derived.append(cached)
        return cached
    return decorate


def reload() -> None:
    """Read the lexicons again (after a change to the files or to ``THREADLIB_LEXICONS``)."""
    load.cache_clear()
    for cached in _derived:
        cached.cache_clear()


def add_lexicon_dir(path: str | os.PathLike) -> None:
    """Also read lexicon files of the same names from this folder (its rows are appended)."""
    _extra_dirs.append(Path(path))
    reload()


def _user_dirs() -> list[Path]:
    from_env = [Path(p) for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    for folder in from_env + _extra_dirs:
        if not folder.is_dir():
            raise LexiconError(f"{folder}: no such folder of lexicons ({ENV_VAR} or add_lexicon_dir names it); "
                               "give a folder that holds CSV files named like the package's")
    return from_env + _extra_dirs


def _rows(text: str, origin: str, header: list[str] | None = None) -> list[dict[str, str]]:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    rows = []
    reader = csv.DictReader(io.StringIO(body))
    if header is not None and [name.strip() for name in (reader.fieldnames or [])] != header:
        raise LexiconError(f"{origin}: its first row must be the header {','.join(header)} (as in the package's "
                           f"{Path(origin).name}), not {','.join(reader.fieldnames or []) or 'nothing'}")
    for row in reader:
        if None in row:
            raise LexiconError(f"{origin}: a row has more fields than the header ({row[None]}); "
                               "quote a value that holds a comma")
        rows.append({key.strip(): (value or "").strip() for key, value in row.items()})
    return rows


@functools.cache
def load(name: str) -> tuple[dict[str, str], ...]:
    """The rows of lexicon ``name`` (e.g. ``"forum_chrome"``): the package's, then the user's.

    >>> any(row["pattern"] == "Post Reply" for row in load("forum_chrome"))
    True
    """
    filename = f"{name}.csv"
    packaged = resources.files("threadlib").joinpath("lexicon", filename)
    rows = _rows(packaged.read_text(encoding="utf-8"), filename)
    header = list(rows[0]) if rows else None
    for folder in _user_dirs():
        path = folder / filename
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                raise LexiconError(f"{path}: not UTF-8 text; save the lexicon as UTF-8") from None
            rows += _rows(text, str(path), header)
    return tuple(rows)


def phrase_regex(phrase: str) -> str:
    """A regex for a lexicon phrase: the words literally, any run of whitespace between them.

    >>> import re; bool(re.fullmatch(phrase_regex("at least"), "at  least"))
    True
    """
    return r"\s+".join(re.escape(word) for word in phrase.split())
