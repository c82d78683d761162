"""The analysis of each post that the extractors share, computed once and kept on the post.

* sentences with offsets (`text.post_sentences`, split once per post);
* the spaCy parse (lemmas, dependencies, entities) of the sentences that a cheap lexical
  pre-filter says can hold a stance, made in batches with ``nlp.pipe`` and only when an extractor
  asks for it, so that ``import threadlib`` and the troop and attack extractors never load spaCy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from . import lexicon
from .text import Sentence, post_sentences

BATCH_SIZE = 256
BATCH_CHARS = 40_000  # a batch holds about this much text: fewer sentences when they are long
LAZY_PIPES = ("ner", "lemmatizer")  # run later, and only where needed (see `entities` and `lemma`)
# Past forms that no stem of a frame's lemma finds ("withdrew", "left", "sent").
_IRREGULAR = {"withdraw": "withdrew|withdrawn", "leave": "left", "keep": "kept", "send": "sent",
              "bring": "brought", "go": "went|gone", "get": "got", "take": "took|taken", "draw": "drew|drawn",
              "seek": "sought", "stand": "stood"}


def _alternation(words: set[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _stem(word: str) -> str:
    """A regex for a word and its inflections: "leave" -> leave, leaves, leaving, left (irregular
    forms come from ``_IRREGULAR``); "stop" -> stops, stopped, stopping. Not its derivations: "go"
    does not find "government" or "goal".

    >>> import re; forms = re.compile("|".join(_stem(w) for w in ("leave", "stop", "go")))
    >>> [w for w in ("leaving", "leaves", "stopped", "government", "goal", "goes") if forms.fullmatch(w)]
    ['leaving', 'leaves', 'stopped', 'goes']
    """
    if word.endswith("e"):
        return re.escape(word[:-1]) + r"(?:e|es|ed|ing)"
    return re.escape(word) + rf"(?:s|es|ed|ing|{re.escape(word[-1])}ed|{re.escape(word[-1])}ing)?"


def word_forms(word: str) -> str:
    """A regex for the written forms of a word: its inflections and irregular forms ("leave": left)."""
    return "|".join([_stem(word), *(w for w in _IRREGULAR.get(word, "").split("|") if w)])


@lexicon.derived
def _prefilter() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Words that open a stance frame (those that need a force or attack word, and the others), the
    force and attack words themselves (stems and irregular past forms, as in the lexicons), and the
    marks of someone stating something."""
    needing, free = set(), set()
    for row in lexicon.load("stance_frames"):
        head, *particle = row["predicate"].lower().split()
        forms = word_forms(head)
        if particle:  # "go home", "take up": the particle within a few words ("bring our troops home")
            forms = rf"(?:{forms})(?:\W+\w+){{0,8}}?\W+{re.escape(particle[0])}"
        (free if row["needs"] in ("-", "") else needing).add(forms)
    objects = {_stem(row["word"].lower()) for row in lexicon.load("frame_objects")
               if row["group"] in ("forces", "attacks")}
    objects |= {_stem(word) for row in lexicon.load("stance_frames") for word in row["needs"].split("|")
                if word not in ("forces", "attacks", "subject", "near", "-", "")}
    objects |= {_stem(row["noun"].split()[-1].lower()) for row in lexicon.load("troop_nouns")}
    # Someone who states it: a statement word, a quote, "according to", a possessor, "we", a judgement.
    voices = {_stem(row["verb"].split()[0].lower()) for row in lexicon.load("statement_verbs")}
    voices |= {_stem(row["word"].lower()) for row in lexicon.load("evaluations")}
    voices |= {"according", "we", "our", "us"}
    compile_ = lambda words: re.compile(rf"\b(?:{_alternation(words)})\b", re.IGNORECASE)  # noqa: E731
    voice = re.compile(rf"[\"“”]|\w[’']s\b|\b(?:{_alternation(voices)})\b", re.IGNORECASE)
    return compile_(needing), compile_(free), compile_(objects), voice


def names_forces(text: str) -> bool:
    """Whether a text names forces or attacks (a word of ``frame_objects.csv`` or ``troop_nouns.csv``)."""
    return _prefilter()[2].search(text) is not None


def may_hold_stance(text: str, before: str = "") -> bool:
    """Whether a sentence can hold a stance frame (the pre-filter before the parse): a frame word
    with the force or attack word it needs (here or in the sentence ``before``), or a frame word
    that needs none ("threatened").

    >>> may_hold_stance("Iraqi lawmakers voted for the expulsion of foreign forces."), may_hold_stance("It rained.")
    (True, False)
    >>> may_hold_stance("The talks will end on Friday.")
    False
    """
    needing, free, objects, voice = _prefilter()
    if voice.search(text) is None:
        return False  # nobody states anything here
    if free.search(text) is not None:
        return True
    return needing.search(text) is not None and (objects.search(text) is not None or objects.search(before) is not None)


@functools.cache
def _empty_tensor():
    import numpy  # spaCy's own dependency, loaded with it

    return numpy.zeros((0, 0), dtype="float32")


def _cache(post) -> dict:
    return post.__dict__.setdefault("_analysis", {})


def parse_posts(posts: Iterable, *, select=may_hold_stance) -> None:
    """Parse, in batches, every sentence of ``posts`` that ``select`` keeps and that is not parsed yet."""
    todo: list[tuple[object, Sentence]] = []
    for post in posts:
        docs = _cache(post).setdefault("docs", {})
        if _cache(post).get("selected_by") is select:
            continue  # every sentence this filter keeps is parsed already
        sentences = post_sentences(post)
        todo += [(post, s) for s in sentences if s.index not in docs
                 and select(s.text, sentences[s.index - 1].text if s.index else "")]
        _cache(post)["selected_by"] = select
    if not todo:
        return
    from .nlp import load_model

    nlp = load_model()
    # Entities, half the cost of the pipeline, are found later and only where a frame needs them.
    with nlp.select_pipes(disable=[name for name in LAZY_PIPES if name in nlp.pipe_names]):
        docs = list(nlp.pipe((s.text for _, s in todo), batch_size=_batch_size([s.text for _, s in todo])))
    for (post, sentence), doc in zip(todo, docs):
        doc.tensor = _empty_tensor()  # the token vectors are no longer needed once parsed: most of a Doc's memory
        _cache(post)["docs"][sentence.index] = doc


def _batch_size(texts: list[str]) -> int:
    """Sentences a batch: ``BATCH_SIZE``, fewer when they are long, so that a batch's working memory
    stays about the same however long the sentences."""
    average = sum(map(len, texts)) / max(1, len(texts))
    return max(1, min(BATCH_SIZE, int(BATCH_CHARS / max(1.0, average))))


def recognise_entities(docs: Iterable) -> None:
    """Find the named entities of parsed sentences, in one batch (those not done yet)."""
    todo = [doc for doc in docs if not doc.user_data.get("threadlib_ner")]
    if not todo:
        return
    from .nlp import load_model

    nlp = load_model()
    if "ner" in nlp.pipe_names:
        list(nlp.get_pipe("ner").pipe(todo, batch_size=_batch_size([doc.text for doc in todo])))
    for doc in todo:
        doc.user_data["threadlib_ner"] = True


def lemma(token) -> str:
    """A token's lemma in lower case, made on first use: the batch parse leaves the lemmatizer out,
    since the extractors need the lemmas of a few words only."""
    cache = token.doc.user_data.setdefault("threadlib_lemmas", {})
    found = cache.get(token.i)
    if found is None:
        if token.lemma_:
            found = token.lemma_.lower()  # a doc from a full pipeline
        else:
            from .nlp import load_model

            lemmatizer = load_model().get_pipe("lemmatizer")
            found = (lemmatizer.rule_lemmatize(token) if lemmatizer.mode == "rule"
                     else lemmatizer.lookup_lemmatize(token))[0].lower()
        cache[token.i] = found
    return found


def entities(doc):
    """The named entities of a parsed sentence (recognised now if no batch did it)."""
    recognise_entities([doc])
    return doc.ents


def release(posts: Iterable) -> None:
    """Forget the parses of ``posts`` (what a caller does who parsed them only for itself)."""
    for post in posts:
        _cache(post).pop("docs", None)
        _cache(post).pop("selected_by", None)


def parse(post, sentence: Sentence):
    """The parse of one sentence of ``post`` (made now if the batch left it out)."""
    docs = _cache(post).setdefault("docs", {})
    if sentence.index not in docs:
        from .nlp import load_model

        nlp = load_model()
        with nlp.select_pipes(disable=[name for name in LAZY_PIPES if name in nlp.pipe_names]):
            docs[sentence.index] = nlp(sentence.text)
    return docs[sentence.index]


ROLE_WINDOW = 250  # characters each side of a mention that `parse_around` parses in a long sentence
LONG_SENTENCE = 600  # longer than nearly every sentence of news text


def parse_around(requests: list[tuple[object, Sentence, int, int]]) -> list[tuple[object, int]]:
    """The parse of the words around each ``(post, sentence, start, end)`` (offsets in the
    sentence), as ``(doc, offset)`` with ``offset`` the doc's start in the sentence: the whole
    sentence for one of ordinary length (parsed once, in one batch, and kept on the post), else
    a window of about ``ROLE_WINDOW`` characters each side, so that long sentences cost no more
    than their mentions."""
    short = {(id(post), s.index): post for post, s, _, _ in requests if len(s.text) <= LONG_SENTENCE}
    if short:
        keep = {s.text for post, s, _, _ in requests if (id(post), s.index) in short}
        parse_posts(list({id(p): p for p in short.values()}.values()), select=lambda text, before: text in keep)
    windows = []
    for post, sentence, start, end in requests:
        if len(sentence.text) > LONG_SENTENCE:
            text = sentence.text
            low = text.rfind(" ", 0, max(0, start - ROLE_WINDOW)) + 1
            high = text.find(" ", min(len(text), end + ROLE_WINDOW))
            windows.append((low, text[low:high if high >= 0 else len(text)]))
    docs = iter([])
    if windows:
        from .nlp import load_model

        nlp = load_model()
        with nlp.select_pipes(disable=[name for name in LAZY_PIPES if name in nlp.pipe_names]):
            docs = iter(list(nlp.pipe((w for _, w in windows), batch_size=_batch_size([w for _, w in windows]))))
    offsets = iter(low for low, _ in windows)
    return [(next(docs), next(offsets)) if len(sentence.text) > LONG_SENTENCE else (parse(post, sentence), 0)
            for post, sentence, _, _ in requests]


def parsed(post) -> dict[int, object]:
    """The parses made so far for ``post``, by sentence index."""
    return _cache(post).get("docs", {})

