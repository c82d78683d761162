"""The analysis of each post that the extractors share, computed once and kept on the post.

* sentences with offsets (`text.post_sentences`, split once per post);
* the spaCy parse (lemmas, dependencies, entities) of the sentences that a cheap lexical
  pre-filter says can hold a stance, made in batches with ``nlp.pipe`` and only when an extractor
  asks for it, so that ``import threadlib`` and the troop and attack extractors never load spaCy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import lexicon
from .text import Sentence, post_sentences

BATCH_SIZE = 256
# Past forms that no stem of a frame's lemma finds ("withdrew", "left", "sent").
_IRREGULAR = {"withdraw": "withdrew|withdrawn", "leave": "left", "keep": "kept", "send": "sent",
              "bring": "brought", "go": "went|gone", "get": "got", "take": "took|taken", "draw": "drew|drawn",
              "seek": "sought", "stand": "stood"}


@lexicon.derived
def _prefilter() -> re.Pattern:
    """Any word that can open a stance frame: the stem of each frame's first word, or its past form."""
    words = set()
    for row in lexicon.load("stance_frames"):
        head = row["predicate"].split()[0].lower()
        words.add(re.escape(head[:-1] if head.endswith("e") and len(head) > 4 else head) + r"\w*")
        words.update(w for w in _IRREGULAR.get(head, "").split("|") if w)
    return re.compile(rf"\b(?:{'|'.join(sorted(words, key=len, reverse=True))})\b", re.IGNORECASE)


def may_hold_stance(text: str) -> bool:
    """Whether a sentence has a word that can open a stance frame (the pre-filter before the parse).

    >>> may_hold_stance("Iraqi lawmakers voted for the expulsion of foreign forces."), may_hold_stance("It rained.")
    (True, False)
    """
    return _prefilter().search(text) is not None


def _cache(post) -> dict:
    return post.__dict__.setdefault("_analysis", {})


def parse_posts(posts: Iterable, *, select=may_hold_stance) -> None:
    """Parse, in batches, every sentence of ``posts`` that ``select`` keeps and that is not parsed yet."""
    todo: list[tuple[object, Sentence]] = []
    for post in posts:
        docs = _cache(post).setdefault("docs", {})
        todo += [(post, s) for s in post_sentences(post) if s.index not in docs and select(s.text)]
    if not todo:
        return
    from .nlp import load_model

    nlp = load_model()
    for (post, sentence), doc in zip(todo, nlp.pipe((s.text for _, s in todo), batch_size=BATCH_SIZE)):
        _cache(post)["docs"][sentence.index] = doc


def parse(post, sentence: Sentence):
    """The parse of one sentence of ``post`` (made now if the batch left it out)."""
    docs = _cache(post).setdefault("docs", {})
    if sentence.index not in docs:
        from .nlp import load_model

        docs[sentence.index] = load_model()(sentence.text)
    return docs[sentence.index]


def parsed(post) -> dict[int, object]:
    """The parses made so far for ``post``, by sentence index."""
    return _cache(post).get("docs", {})

