"""A faster stand-in for the pipeline's ``attribute_ruler``, with the same output.

spaCy's attribute ruler runs a token matcher over every token to map fine tags to coarse ones and
to set morphology and lemma exceptions. The small English pipeline's rules are one-token patterns
on the tag, the lower-case form and the dependency (plus a few longer ones), so a dictionary on the
tag and the form finds the same rules for a fraction of the cost; longer patterns still go through a
matcher. The rules are the pipeline's own, read when it loads (``nlp.get_pipe("attribute_ruler").patterns``);
`install` leaves the pipeline as it is when a rule is of a kind this class does not know.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

FACTORY = "threadlib_attributes"
_ONE_TOKEN_KEYS = {"TAG", "LOWER", "DEP", "IS_SPACE"}
_VALUE = {"TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
          "IS_SPACE": lambda t: t.is_space}


class FastAttributeRuler:
    """Apply attribute-ruler patterns by dictionary look-up, later rules taking precedence."""

    def __init__(self, vocab, patterns: list[dict]):
        self.by_tag: dict[str, list] = defaultdict(list)
        self.by_lower: dict[str, list] = defaultdict(list)
        self.other: list = []
        self.matcher = Matcher(vocab)
        self.longer: dict[int, tuple] = {}
        for order, rule in enumerate(patterns):
            attrs = normalize_token_attrs(vocab, rule["attrs"])
            for pattern in rule["patterns"]:
                if len(pattern) != 1 or not set(pattern[0]) <= _ONE_TOKEN_KEYS or rule.get("index", 0):
                    key = f"{FACTORY}_{order}"
                    self.matcher.add(key, [pattern])
                    self.longer[vocab.strings[key]] = (order, rule.get("index", 0), attrs)
                    continue
                entry = (order, pattern[0], attrs)
                if isinstance(pattern[0].get("TAG"), str):
                    self.by_tag[pattern[0]["TAG"]].append(entry)
                elif isinstance(pattern[0].get("LOWER"), str):
                    self.by_lower[pattern[0]["LOWER"]].append(entry)
                else:
                    self.other.append(entry)

    def __call__(self, doc):
        extra: dict[int, list] = defaultdict(list)
        if self.longer:
            for match_id, start, end in self.matcher(doc, allow_missing=True):
                order, index, attrs = self.longer[match_id]
                extra[doc[start:end][index].i].append((order, attrs))
        for token in doc:
            candidates = self.by_tag.get(token.tag_, []) + self.by_lower.get(token.lower_, []) + self.other
            found = [(order, attrs) for order, condition, attrs in candidates if _matches(token, condition)]
            for _, attrs in sorted(found + extra.get(token.i, []), key=lambda pair: pair[0]):
                set_token_attrs(token, attrs)
        return doc


def _matches(token, condition: dict) -> bool:
    for key, wanted in condition.items():
        value = _VALUE[key](token)
        if isinstance(wanted, dict):
            if "REGEX" in wanted and re.search(wanted["REGEX"], value) is None:
                return False
            if "IN" in wanted and value not in wanted["IN"]:
                return False
            if "NOT_IN" in wanted and value in wanted["NOT_IN"]:
                return False
            if set(wanted) - {"REGEX", "IN", "NOT_IN"}:
                return False
        elif value != wanted:
            return False
    return True


@Language.factory(FACTORY, default_config={"patterns": []})
def _make(nlp, name, patterns):
    return FastAttributeRuler(nlp.vocab, patterns)


def install(nlp) -> None:
    """Put the fast ruler in place of the pipeline's ``attribute_ruler`` (same rules, same output)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    patterns = nlp.get_pipe("attribute_ruler").patterns
    known = all(set(t) <= _ONE_TOKEN_KEYS and all(not isinstance(v, dict) or set(v) <= {"REGEX", "IN", "NOT_IN"}
                                                   for v in t.values())
                for rule in patterns for pattern in rule["patterns"] for t in pattern)
    if known:
        nlp.replace_pipe("attribute_ruler", FACTORY, config={"patterns": patterns})
