"""Troop-count mentions: how many armed personnel a force has, had or will have somewhere.

A mention is a number (``threadlib.numbers``) followed by a personnel noun ("about 900 troops",
"10,000 Islamic State fighters", "a 2,500-strong force"), a number that continues one ("and another
200"), or a number after a troop-level phrase ("troop levels ... at about 2,500"). Casualties,
captives, civilians and recruits near the words are left out. Nouns, exclusions and cues are lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from . import lexicon
from .actors import find_actor_cues, host_country, locations
from .dates import find_dates
from .numbers import NumberMention, bounds, find_numbers
from .records import to_frame
from .text import collapse, post_sentences

COLUMNS = ["post_id", "published", "sentence", "text", "value", "low", "high", "qualifier", "actor",
           "location", "as_of", "field", "start", "end"]

# Words allowed between a number and its personnel noun: names, demonyms, adjectives of kind.
_MODIFIER = (r"(?:[A-Z][\w.’'-]*|[a-z]+-[a-z-]+|more|additional|extra|other|combat|military|foreign|armed|"
             r"elite|ground|special|security|government|regular|reserve|national|local|allied|coalition|"
             r"international|western|regime|rebel|former|new|fresh|trained|uniformed|active|support)")
_CLAUSE_BREAK = re.compile(r"[;:—–()\[\]]|,\s+(?:and|but|while|who|which|where)\b")
_WORD = re.compile(r"[\w’'.-]+")
_PRESENT = re.compile(r"\b(?:are|is|remain|remains|operate|operates|has|have|currently|still|now|today|"
                      r"at present|serve|serves|includes|include)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:had|was|were|did|returned|left|sent|deployed|battled|fought|numbered|peaked|"
                   r"withdrew|faltered|arrived|reached|\w+ed)\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"\b(?:another|and|plus|with)\s+$", re.IGNORECASE)
_SEQUENCE = re.compile(r"\b(?:another|(?:the|its|their)\s+(?:final|remaining|other|last|next|rest\s+of\s+the))\s+$",
                       re.IGNORECASE)
_SHARED_NOUN = re.compile(r"\s*(?:to|-|–|or|and)\s+")
_SOURCE_DATED = re.compile(r"^\s*(?:report|estimate|assessment|study|survey|tally|count|census|review)\b",
                           re.IGNORECASE)
_SPEECH = re.compile(r"\b(?:said|says|told|announced|stated|added|according)\b", re.IGNORECASE)
_WINDOW_WORDS = 6
_ELLIPSIS_SENTENCES = 2


@lexicon.derived
def _noun_pattern() -> tuple[re.Pattern, dict[str, dict]]:
    rows = {row["noun"].lower(): row for row in lexicon.load("troop_nouns")}
    nouns = "|".join(lexicon.phrase_regex(noun) for noun in sorted(rows, key=len, reverse=True))
    # Modifiers are matched with their case ("Islamic State", "U.S."), nouns without it.
    # A closing quote may follow the number ("“four or five” fighters"), and a dashed insertion the
    # modifiers ("25,000 NATO — including thousands of American — soldiers").
    pattern = re.compile(rf"[”\"’]?\s+(?:of\s+)?(?:the\s+)?(?P<mods>(?:{_MODIFIER}\s+){{0,4}}?)"
                         rf"(?P<dash>[—–][^—–.;]{{1,80}}[—–]\s*|[—–]\s*)?(?P<noun>(?i:{nouns}))\b")
    return pattern, rows


@lexicon.derived
def _exclusion_pattern() -> re.Pattern:
    words = "|".join(lexicon.phrase_regex(row["word"]) for row in lexicon.load("troop_exclusions"))
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w])", re.IGNORECASE)


@lexicon.derived
def _level_pattern() -> tuple[re.Pattern, frozenset[str]]:
    """Troop-level phrases, and those of them that count only after a personnel noun."""
    rows = lexicon.load("troop_level_cues")
    phrases = "|".join(lexicon.phrase_regex(row["phrase"]) for row in rows)
    after_noun = frozenset(row["phrase"].lower() for row in rows if row["alone"] == "no")
    return re.compile(rf"\b(?:{phrases})\b", re.IGNORECASE), after_noun


@dataclass
class _Found:
    """A troop mention in a sentence: its number, the span of its words, and the actor class."""

    number: NumberMention
    start: int
    end: int
    actor: str | None


def _clause_before(text: str, position: int, words: int) -> tuple[int, str]:
    """Where the up to ``words`` words before ``position`` start, and their text; a comma or a
    clause break ends the search."""
    start = position
    for _ in range(words):
        match = re.search(r"[\w’'.$-]+[,;:]?\s*$", text[:start])
        if not match or match.group().rstrip().endswith((",", ";", ":")) \
                or _CLAUSE_BREAK.search(text[match.start():position]):
            break
        start = match.start()
    return start, text[start:position]


def _clause_after(text: str, position: int, words: int) -> str:
    """Up to ``words`` words after ``position``, stopping at a clause break."""
    chunk = text[position:position + 200]
    stop = _CLAUSE_BREAK.search(chunk)
    comma = chunk.find(",")
    cut = min([len(chunk)] + [i for i in (stop.start() if stop else -1, comma) if i >= 0])
    return " ".join(_WORD.findall(chunk[:cut])[:words])


def _actor(text: str, number: NumberMention, noun_end: int, noun_class: str | None, host: str | None) -> str:
    """Whose personnel: a cue in the noun phrase, then after it, then before it, then the sentence."""
    cues = find_actor_cues(text, host=host)
    inside = [c for c in cues if number.start <= c.start < noun_end]
    if inside:
        return inside[-1].actor
    if noun_class:
        return noun_class
    after_start = noun_end
    after_text = _clause_after(text, after_start, _WINDOW_WORDS)
    after = [c for c in cues if after_start <= c.start < after_start + len(after_text) + 20
             and c.text in after_text]
    if after:
        return after[0].actor
    before_start, _ = _clause_before(text, number.start, 10)
    before = [c for c in cues if before_start <= c.start < number.start]
    if before:
        return before[-1].actor
    return cues[0].actor if cues else "other"


def _excluded(text: str, start: int, noun_end: int) -> bool:
    """Casualties, captives, civilians or recruits close to the mention."""
    _, before = _clause_before(text, start, 4)
    span = text[start:noun_end]
    after = _clause_after(text, noun_end, _WINDOW_WORDS)
    return any(_exclusion_pattern().search(part) for part in (before, span, after))


@lexicon.derived
def _trigger_words() -> frozenset[str]:
    """Words one of which a sentence must hold to have a troop mention: each noun's last word
    and each level phrase's words."""
    nouns = {row["noun"].split()[-1].lower() for row in lexicon.load("troop_nouns")}
    levels = {word.lower() for row in lexicon.load("troop_level_cues") for word in row["phrase"].split()}
    return frozenset(nouns | levels)


_LOWER_WORDS = re.compile(r"[a-z]+")


def find_troop_mentions(text: str, *, host: str | None = None, previous: _Found | None = None) -> list[_Found]:
    """The troop-count mentions in one sentence (without location and date). ``previous`` is the
    last mention of the sentence before, which a count without its noun may continue ("Another 150
    will assess ...")."""
    if _trigger_words().isdisjoint(_LOWER_WORDS.findall(text.lower())) and previous is None:
        return []  # no personnel noun: skip the number scan
    pattern, nouns = _noun_pattern()
    numbers = [n for n in find_numbers(text) if n.kind == "count" and not n.weak]
    found: list[_Found] = []
    for i, number in enumerate(numbers):
        noun = _noun_after(text, number, pattern)
        start, end = number.start, number.end
        level_start = elided = shared = None
        noun_class = None
        if noun is None and (shared := _shared_noun(text, number, numbers[i + 1:i + 2], pattern)):
            noun = shared  # "from 50 to 300 Special Operations Forces": both counts have the noun
            if text[max(0, start - 5):start].lower() == "from ":
                start -= 5
        if noun:
            row = nouns[re.sub(r"\s+", " ", noun["noun"].lower())]
            if row["size_only"] == "yes" and not number.strong:
                continue
            noun_class = row["class"] or None
            end = end if shared else noun.end()
        elif (link := _CONTINUATION.search(text[max(0, number.start - 12):number.start])) and found \
                and not re.match(r"^\s+[a-z]+s\b", text[number.end:]):
            if link.group().lower().startswith("another"):
                start = number.start - len(link.group())  # "another 200"
        elif (found or previous) and (elided := _elliptical(text, number)) is not None:
            start = elided
            if re.match(r"^\s+more\b", text[number.end:]):
                end = number.end + len(re.match(r"^\s+more\b", text[number.end:]).group())
        elif (level_start := _level_cue(text, number, bool(found))) is not None:
            start = level_start
        else:
            continue
        if _excluded(text, number.start, noun.end() if noun else end):
            continue
        if noun or level_start is not None:
            actor = _actor(text, number, noun.end() if noun else end, noun_class, host)
        else:
            # "and another 200", "Another 150 will ...": the noun, and so the actor, of the count before
            actor = (found or [previous])[-1].actor
        found.append(_Found(number, start, end, actor))
    return found


def _noun_after(text: str, number: NumberMention, pattern: re.Pattern) -> re.Match | None:
    """The personnel noun right after a number, if any; a lone dash before the noun must close an
    insertion opened before the number."""
    noun = pattern.match(text, number.end)
    if noun and noun["dash"] and not re.search(r"[—–].*[—–]", noun["dash"]) \
            and len(re.findall(r"[—–]", text[:number.start])) % 2 == 0:
        return None
    return noun


def _shared_noun(text: str, number: NumberMention, following: list[NumberMention],
                 pattern: re.Pattern) -> re.Match | None:
    """The noun of the next number when this one is linked to it ("from 50 to 300 troops")."""
    if not following:
        return None
    link = _SHARED_NOUN.match(text, number.end)
    if not link or link.end() != following[0].start:
        return None
    return _noun_after(text, following[0], pattern)


def _level_cue(text: str, number: NumberMention, counted: bool) -> int | None:
    """Where a troop-level phrase that this bare number completes starts, if any (``counted``: the
    sentence has named personnel before, which phrases such as "bringing the total" need)."""
    if re.match(r"^\s+[A-Za-z]", text[number.end:]) and not re.match(r"^\s+(?:and|or|troops?)\b",
                                                                      text[number.end:]):
        return None
    pattern, after_noun = _level_pattern()
    window_start = max(0, number.start - 120)
    cues = list(pattern.finditer(text, window_start, number.start))
    if not cues or re.search(r"[;:.]\s", text[cues[-1].end():number.start]):
        return None
    cue = cues[-1]
    if re.sub(r"\s+", " ", cue.group().lower()) in after_noun and not counted:
        return None
    return cue.start() - (4 if text[max(0, cue.start() - 4):cue.start()].lower() == "the " else 0)


def _elliptical(text: str, number: NumberMention) -> int | None:
    """Where a count whose noun is left out starts ("Another 150 will ...", "the final 125",
    "thousands more"): a determiner of a sequence before it, or "more" after it, and no noun."""
    after = text[number.end:]
    if re.match(r"^\s+[a-z]+s\b(?<!\bis)|^\s*-", after) and not re.match(r"^\s+more\b", after):
        return None  # a plural noun of its own follows: "another 150 miles"
    if re.match(r"^\s+more\b(?!\s+(?:than|[a-z]+s)\b)", after):
        return number.start
    lead = _SEQUENCE.search(text[max(0, number.start - 30):number.start])
    return number.start - len(lead.group()) if lead else None


def _tense(text: str, found: _Found) -> str | None:
    """``present`` or ``past``: from the words after the mention, else before it, else the sentence."""
    after = _clause_after(text, found.end, _WINDOW_WORDS)
    _, before = _clause_before(text, found.start, _WINDOW_WORDS)
    for window in (after, before, text):
        if _PRESENT.search(window):
            return "present"
        if _PAST.search(window):
            return "past"
    return None


def _as_of(text: str, found: _Found, published: str | None, narrative: _Narrative) -> str | None:
    """When the count holds: a dated source's date ("an April report"), a plan's date ("by May 1"),
    a past statement's date (in the sentence, else the narrative's last year), else ``published``."""
    dates = find_dates(text, published)
    for date in dates:
        if _SOURCE_DATED.match(text[date.end:]):
            return date.value
    _, before = _clause_before(text, found.start, _WINDOW_WORDS)
    near = f"{before} {text[found.start:found.end]} {_clause_after(text, found.end, _WINDOW_WORDS)}"
    if re.search(r"\b(?:currently|still|now|today|current)\b", near, re.IGNORECASE):
        return published
    plans = [d for d in dates if d.preposition in ("by", "until") and d.value >= (published or "")]
    if plans:
        return plans[0].value
    if _tense(text, found) != "past":
        return published
    if re.search(r"\bthat\s+year\b", text, re.IGNORECASE):
        return narrative.last_year_before() or published
    # Dates of speech ("said Friday") say when something was said, not when the count held.
    said = _SPEECH.search(text)
    stated = [d for d in dates if d.preposition != "since" and not (said and len(d.value) == 10)]
    if stated:
        return min(stated, key=lambda d: abs(d.start - found.start)).value
    return narrative.last_year_before() or narrative.first_year_after() or published


class _Narrative:
    """The years the sentences around a mention speak of, read only when a past statement needs them."""

    def __init__(self, sentences, index: int, published: str | None):
        self.sentences, self.index, self.published = sentences, index, published

    def _years(self, sentence) -> list[str]:
        return [d.value[:4] for d in find_dates(sentence.text, self.published) if d.preposition != "since"]

    def last_year_before(self, span: int = 3) -> str | None:
        years = [y for s in self.sentences[max(0, self.index - span):self.index] for y in self._years(s)]
        return years[-1] if years else None

    def first_year_after(self) -> str | None:
        following = self.sentences[self.index + 1:self.index + 2]
        years = [y for s in following for y in self._years(s)]
        return years[0] if years else None


def troops(thread, *, host: str | None = None) -> pd.DataFrame:
    """One row per troop-count mention in the thread's article bodies and commentary.

    Columns: post_id, published, sentence, text, value, low, high, qualifier, actor, location,
    as_of, and where ``text`` is: field (body or commentary), start, end (character offsets).
    ``host`` is the country the thread is about (default: from its title or its posts).
    """
    host = host or host_country(thread)
    rows = []
    for post in thread:
        sentences = post_sentences(post)
        headline_places = locations(post.headline or "")
        previous, previous_index = None, -1
        for index, sentence in enumerate(sentences):
            # A count without its noun continues a mention of the last two sentences.
            recent = previous if index - previous_index <= _ELLIPSIS_SENTENCES else None
            mentions = find_troop_mentions(sentence.text, host=host, previous=recent)
            if mentions:
                previous, previous_index = mentions[-1], index
            for found in mentions:
                rows.append(_row(post, sentences, index, found, host, headline_places))
    return _frame(rows)


def _row(post, sentences, index, found: _Found, host, headline_places) -> dict:
    sentence = sentences[index]
    text = sentence.text
    own = {"US": "United States"}.get(found.actor)
    exclude = {own} if own else set()
    place = locations(text, exclude=exclude)
    for neighbour in (index - 1, index + 1):
        if place or not 0 <= neighbour < len(sentences):
            continue
        place = locations(sentences[neighbour].text, exclude=exclude)
    place = place or [p for p in headline_places if p not in exclude]
    number = found.number
    return {
        "post_id": post.post_id, "published": post.published, "sentence": collapse(text),
        "text": collapse(text[found.start:found.end]), "value": number.value, "low": number.low,
        "high": number.high, "qualifier": number.qualifier, "actor": found.actor,
        "location": place[0] if len(place) == 1 else (place or None),
        "as_of": _as_of(text, found, post.published, _Narrative(sentences, index, post.published)),
        "field": sentence.field, "start": sentence.start + found.start, "end": sentence.start + found.end,
    }


def _frame(rows: list[dict]) -> pd.DataFrame:
    return to_frame(rows, COLUMNS)


def troop_disagreements(mentions: pd.DataFrame) -> pd.DataFrame:
    """Pairs of troop figures for the same actor and location, holding for the same month (or the
    same year, for a year), that no reading of their qualifiers reconciles ("about 2,500" and
    "900" US troops in Iraq in January 2024)."""
    rows = []
    records = mentions.to_dict("records")
    for i, first in enumerate(records):
        for second in records[i + 1:]:
            if first["actor"] != second["actor"] or _place_key(first["location"]) != _place_key(second["location"]) \
                    or (first["post_id"], first["sentence"]) == (second["post_id"], second["sentence"]):
                continue  # parts of one sentence ("about 700 ... and another 200") add up
            a, b = first["as_of"], second["as_of"]
            if not isinstance(a, str) or not isinstance(b, str):
                continue
            precision = min(len(a), len(b), 7)
            if a[:precision] != b[:precision]:
                continue
            one = bounds(_na(first["value"]), first["qualifier"], _na(first["low"]), _na(first["high"]))
            two = bounds(_na(second["value"]), second["qualifier"], _na(second["low"]), _na(second["high"]))
            if one and two and (one[1] < two[0] or two[1] < one[0]):
                rows.append({"actor": first["actor"], "location": first["location"], "when": a[:precision],
                             "first_text": first["text"], "first_post_id": first["post_id"],
                             "second_text": second["text"], "second_post_id": second["post_id"]})
    return pd.DataFrame(rows, columns=["actor", "location", "when", "first_text", "first_post_id", "second_text",
                                       "second_post_id"])


def _na(value):
    return None if value is None or value is pd.NA or value != value else value


def _place_key(value) -> tuple:
    if isinstance(value, (list, tuple)):
        return tuple(sorted(value))
    return () if value is None or value is pd.NA or (isinstance(value, float) and value != value) else (value,)
