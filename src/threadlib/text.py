"""Sentences with their character offsets, and the text every extractor reads.

A sentence ends at ``.``, ``!`` or ``?`` (with any closing quotes or brackets) before a space
and a capital, a quote or a digit, except after an abbreviation ("Mr.", "Maj. Gen.", "Oct. 17",
"U.S. troops", initials such as "Michael R. Gordon"); a paragraph break always ends one. The
abbreviations are a lexicon (``abbreviations.csv``) that users extend.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import lexicon

if TYPE_CHECKING:
    import pandas as pd

# A candidate sentence end: terminal punctuation, closing quotes/brackets, whitespace, then what opens one.
# (At the start of a run of marks only, and possessive: linear time on a run of dots.)
_END = re.compile(r"""(?<![.!?])[.!?]++["'”’)\]]*+(?=\s+["'“‘(\[]?[A-Z0-9])""")
_WORD_BEFORE = re.compile(r"(?:^|[\s(\"“‘'—–-])(?P<word>[\w.’'-]+?)\.$")
_NEXT_WORD = re.compile(r"\s+[\"“‘'(\[]?(?P<word>[\w’'-]+)")
_PARAGRAPH = re.compile(r"\n\s*\n")
_SPACES = re.compile(r"\s+")


@lexicon.derived
def _abbreviations() -> dict[str, str]:
    return {row["abbreviation"]: row["kind"] for row in lexicon.load("abbreviations")}


@lexicon.derived
def _starters() -> frozenset[str]:
    return frozenset(row["word"] for row in lexicon.load("sentence_starters"))


def _ends_sentence(text: str, end: int, punctuation_at: int) -> bool:
    """Whether the punctuation at ``punctuation_at`` (ending at ``end``) closes a sentence."""
    if text[punctuation_at] != ".":
        return True
    before = _WORD_BEFORE.search(text, max(0, punctuation_at - 30), punctuation_at + 1)
    if not before:
        return True
    word = before["word"]
    following = _NEXT_WORD.match(text, end)
    next_word = following["word"] if following else ""
    kind = _abbreviations().get(word) or _abbreviations().get(word.rstrip("."))
    if kind == "title":
        return False
    if kind == "month":
        return not next_word[:1].isdigit()
    if kind == "acronym" or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return next_word in _starters()
    if kind == "other":
        return next_word in _starters()
    if re.fullmatch(r"[A-Z]", word):
        return False  # an initial: "Michael R. Gordon"
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; stripped of surrounding whitespace.

    >>> text = "Maj. Gen. Pat Ryder spoke on Oct. 17 in the U.S. capital. He said 2,500 troops stay."
    >>> [text[s:e] for s, e in sentence_spans(text)]
    ['Maj. Gen. Pat Ryder spoke on Oct. 17 in the U.S. capital.', 'He said 2,500 troops stay.']
    """
    spans = []
    paragraph_start = 0
    for paragraph_end in [m.start() for m in _PARAGRAPH.finditer(text)] + [len(text)]:
        start = paragraph_start
        for match in _END.finditer(text, paragraph_start, paragraph_end):
            punctuation_at = match.start() + len(match.group().rstrip("\"'”’)]")) - 1
            if _ends_sentence(text, match.end(), punctuation_at):
                spans.append((start, match.end()))
                start = match.end()
        spans.append((start, paragraph_end))
        paragraph_start = paragraph_end
    return [_strip(text, a, b) for s, e in spans for a, b in _bounded(text, s, e) if text[a:b].strip()]


MAX_SENTENCE = 1000  # characters; a longer "sentence" (running text with no full stop) is cut into pieces


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut into pieces of at most ``MAX_SENTENCE`` characters, each at the last clause mark
    or space before the limit, so that no extractor's work on one sentence grows without bound.

    >>> [b - a for a, b in _bounded("word " * 1000, 0, 5000)]
    [1000, 1000, 1000, 1000, 1000]
    """
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        cut = max(text.rfind("; ", start, limit), text.rfind(", ", start, limit))
        if cut <= start + MAX_SENTENCE // 2:
            cut = text.rfind(" ", start, limit)
        cut = limit if cut <= start else cut + 1
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@functools.lru_cache(maxsize=64)
def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces (how a record's ``sentence`` is written); the records
    of one sentence share the one string."""
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class Sentence:
    """One sentence of a post: where it is (field and offsets) and its text."""

    post_id: int
    field: str  # "body" or "commentary"
    index: int  # position among the post's sentences, body first
    start: int
    end: int
    text: str
    published: str | None


def post_sentences(post) -> list[Sentence]:
    """The sentences of a post's body, then of its commentary (the text the extractors read);
    split once and kept on the post, so that every extractor reads the same sentences."""
    cached = post.__dict__.get("_sentences")
    if cached is not None:
        return cached
    out: list[Sentence] = []
    for field in ("body", "commentary"):
        text = getattr(post, field)
        if not text:
            continue
        for start, end in sentence_spans(text):
            out.append(Sentence(post.post_id, field, len(out), start, end, text[start:end], post.published))
    post.__dict__["_sentences"] = out
    return out


def sentences(thread) -> pd.DataFrame:
    """The sentences of every post: post_id, field, sentence_id, start, end, text."""
    rows = [{"post_id": s.post_id, "field": s.field, "sentence_id": s.index, "start": s.start,
             "end": s.end, "text": collapse(s.text)} for post in thread for s in post_sentences(post)]
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["post_id", "field", "sentence_id", "start", "end", "text"])
    return frame.astype({"post_id": "Int64", "sentence_id": "Int64", "start": "Int64", "end": "Int64",
                         "field": "string", "text": "string"})
