"""What the trained model reads of each stance the rules find: a few general features of how the
text states it, never a thread's own words.

* the stance, and whether negation or opposition turned the frame's own stance;
* how the holder is named: the subject of the statement, a passive's agent, a possessor, "from X",
  the speaker of a quote, the byline of an opinion piece, the owner of a deed; a person or a group,
  known to the lexicon or not;
* how it is stated: a statement verb that reports ("said") or acts ("demanded"), a statement noun,
  none; inside a quote, carried from the sentence that opened it, a fragment quoted in the
  reporter's sentence; the predicate's form (infinitive, past, participle, noun) and modal verb;
* what it is about: force and attack words among the predicate's words, a location found or not,
  a date other than the article's;
* the valence of the predicate's words (VADER's lexicon, from ``vaderSentiment``): condemnations
  and threats are stated in strongly negative words.
"""

from __future__ import annotations

from .frames import _has, statement_kind
from .valence import valence

_MODALS = {"will", "would", "should", "must", "could", "can", "may", "might", "shall", "wo", "ca"}
_TAGS = {"VB": "infinitive", "VBP": "present", "VBZ": "present", "VBD": "past", "VBN": "participle",
         "VBG": "gerund", "NN": "noun", "NNS": "noun", "NNP": "noun", "JJ": "adjective"}


def record_features(hit, stance: str, origin: str, holder, record: dict, context: str | None) -> dict[str, float]:
    """The features of one stance record: ``hit`` is the rules' frame (`frames.FrameHit`),
    ``origin`` how the holder was found (see `positions._holding`)."""
    predicate = hit.predicate
    words = list(predicate.subtree)
    features = {f"stance={stance}": 1.0, f"origin={origin}": 1.0, f"holder={holder.kind}": 1.0,
                f"frame={hit.kind}": 1.0, f"form={_TAGS.get(predicate.tag_, 'other')}": 1.0,
                "quoted" if hit.quoted else "unquoted": 1.0,
                "located" if record.get("location") else "no_location": 1.0}
    if hit.statement is None:
        features["no_statement"] = 1.0
    else:
        features[f"statement={statement_kind(hit.statement)}"] = 1.0
    if stance != hit.own_stance:
        features["turned"] = 1.0
    if holder.known:
        features["known"] = 1.0
    if context is not None:
        features["carried_quote"] = 1.0
    if hit.embedded:
        features["quoted_fragment"] = 1.0
    if any(c.lower_ in _MODALS and c.dep_ in ("aux", "auxpass") for c in predicate.children):
        features["modal"] = 1.0
    if _has(words, "forces"):
        features["forces"] = 1.0
    if _has(words, "attacks"):
        features["attacks"] = 1.0
    if record.get("stated") and record.get("stated") != record.get("published"):
        features["dated_apart"] = 1.0
    negative = sum(min(0.0, valence(w.lower_)) for w in words)
    if negative <= -2:
        features["strongly_negative"] = 1.0
    elif negative < 0:
        features["negative"] = 1.0
    return features
