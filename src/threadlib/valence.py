"""The valence of English words (-4 to 4), from VADER's lexicon as the ``vaderSentiment`` package
ships it: a measure of evaluative language ("an act of aggression", "a grave error", "an outrage")
that no hand-made list of this project has to keep up with."""

from __future__ import annotations

import functools

BAD = -1.5  # a word at or below this judges what it describes badly ("error" -1.7, "reckless" -1.7)


@functools.cache
def valences() -> dict[str, float]:
    """Each word of VADER's lexicon (lower case) with its mean valence."""
    from importlib import resources

    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and " " not in parts[0]:
            out[parts[0].lower()] = float(parts[1])
    return out


def valence(word: str) -> float:
    """The valence of a word (0 for a word VADER does not rate).

    >>> valence("error"), valence("troops")
    (-1.7, 0.0)
    """
    return valences().get(word.lower(), 0.0)
