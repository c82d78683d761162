"""Troop-count mentions: how many armed personnel a force has, had or will have somewhere.

A mention is a number (``threadlib.numbers``) followed by a personnel noun ("about 900 troops",
"10,000 Islamic State fighters", "a 2,500-strong force"), a number that continues one ("and another
200"), or a number after a troop-level phrase ("troop levels ... at about 2,500"). Casualties,
captives, civilians and recruits near the words are left out. Nouns, exclusions and cues are lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import lexicon
from .actors import (ActorCue, country_class, cues_within, find_actor_cues, first_named, host_country, locations,
                     nearby_locations)
from .dates import find_dates, reference_date
from .numbers import NumberMention, bounds, find_numbers
from .records import batched_frame
from .text import collapse, post_sentences
from .thread import as_thread, post_batches

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["post_id", "published", "sentence", "text", "value", "low", "high", "qualifier", "actor",
           "location", "as_of", "field", "start", "end"]

# Words allowed between a number and its personnel noun: names, demonyms, adjectives of kind.
_MODIFIER = (r"(?:[A-Z][\w.’'-]*|[a-z]+-[a-z-]+|and|or|more|additional|extra|other|combat|military|foreign|armed|"
             r"elite|ground|special|security|government|regular|reserve|national|local|allied|coalition|"
             r"international|western|regime|rebel|former|new|fresh|trained|uniformed|active|support)")
_CLAUSE_BREAK = re.compile(r"[;:—–()\[\]]|,\s+(?:and|but|while|who|which|where)\b")
_WORD = re.compile(r"[\w’'.-]+")
_WORD_BEFORE = re.compile(r"[\w’'.$-]+[,;:]?\s*$")
_PRESENT = re.compile(r"\b(?:are|is|remain|remains|operate|operates|has|have|currently|still|now|today|"
                      r"at present|serve|serves|includes|include)\b", re.IGNORECASE)
_PAST = re.compile(r"\b(?:had|was|were|did|left|sent|fought|withdrew|took|went|came|began|grew|fell|rose|"
                   r"kept|held|\w+ed)\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"\b(?:another|and|plus|with)\s+$", re.IGNORECASE)
_SEQUENCE = re.compile(r"\b(?:another|(?:the|its|their)\s+(?:final|remaining|other|last|next|rest\s+of\s+the))\s+$",
                       re.IGNORECASE)
_SEQUENCE_WORDS = frozenset("another final remaining other last next rest more".split())  # see _elliptical
_DEFINITE_COUNT = re.compile(r"\b(?:the|those|these|its|their)\s+\d", re.IGNORECASE)
_DEFINITE_TAIL = re.compile(r"\s+(?:who|that|already|still|now|currently|remaining|left|(?!used\b|needed\b)[a-z]+ed\b"
                            r"|sent|kept|(?:in|at|near|inside)\s+(?:the\s+)?[A-Z])")
_SHARED_NOUN = re.compile(r"\s*(?:to|-|–|or|and)\s+")
# A bare count followed by a noun of its own counts that noun ("2,500 miles", "45 people"), not
# the personnel that a level phrase or a verb of change names.
_NOUN_AFTER = re.compile(r"\s+(?:(?!(?:as|is|was|has|this|its|his|thus|plus|across|unless|besides|towards|"
                         r"troops)\b)[a-z]+s\b|(?:people|percent|per|million|billion|thousand|hundred|men|women|"
                         r"children|miles|km|dollars)\b|[A-Z][a-z])")
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
    rows = [row for row in lexicon.load("troop_level_cues") if row["alone"] in ("yes", "no")]
    phrases = "|".join(lexicon.phrase_regex(row["phrase"]) for row in rows)
    after_noun = frozenset(row["phrase"].lower() for row in rows if row["alone"] == "no")
    return re.compile(rf"\b(?:{phrases})\b", re.IGNORECASE), after_noun


@dataclass
class _Found:
    """A troop mention in a sentence: its number, the span of its words, where its noun phrase ends,
    and whose personnel (an actor cue), once known."""

    number: NumberMention
    start: int
    end: int
    owner: ActorCue | None
    noun_end: int = -1
    antecedent: _Found | None = None  # the mention whose noun (and owner) a count without its noun takes
    as_of: str | None = None
    sentence: str = ""
    phrase: tuple[int, int] = (0, 0)  # the words that name the personnel, where the parse looks for the owner


def _clause_before(text: str, position: int, words: int) -> tuple[int, str]:
    """Where the up to ``words`` words before ``position`` start, and their text; a comma or a
    clause break ends the search."""
    start = position
    offset = max(0, position - 40 * words)  # the words looked at lie in a bounded window
    for _ in range(words):
        match = _WORD_BEFORE.search(text, offset, start)
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


def _phrase_owner(text: str, number: NumberMention, noun: re.Match | None, noun_class: str | None,
                  cues: list[ActorCue]) -> ActorCue | None:
    """Whose personnel the mention's own words say: a possessor before the number ("the Taliban's
    5,000 fighters"), a cue among its modifiers ("Russian troops", not one inside a dashed
    insertion), or the noun's own class ("militiamen")."""
    words_end = noun.start("dash") if noun is not None and noun["dash"] else (
        noun.start("noun") if noun is not None else number.end)
    inside = [c for c in cues if number.start <= c.start and c.end <= words_end]
    possessor = [c for c in cues if 0 <= number.start - c.end <= 12
                 and re.match(r"[’']s\s+(?:\w+\s+)?$", text[c.end:number.start])]
    owner = first_named(possessor or inside, text)
    if owner is None and noun_class:
        owner = ActorCue(number.start, number.end, text[number.start:number.end], noun_class)
    return owner


def _window_owner(text: str, found: _Found, cues: list[ActorCue]) -> ActorCue | None:
    """A cue in the few words after the mention ("troops from Turkey"), else before it in its clause."""
    after_text = _clause_after(text, found.noun_end, _WINDOW_WORDS)
    after = [c for c in cues if found.noun_end <= c.start < found.noun_end + len(after_text) + 20
             and c.text in after_text]
    if after:
        return after[0]
    before_start, _ = _clause_before(text, found.number.start, 10)
    before = [c for c in cues if before_start <= c.start < found.number.start]
    return before[-1] if before else None


def _excluded(text: str, start: int, noun_end: int) -> bool:
    """Casualties, captives, civilians or recruits close to the mention."""
    _, before = _clause_before(text, start, 4)
    span = text[start:noun_end]
    after = _clause_after(text, noun_end, _WINDOW_WORDS)
    return any(_exclusion_pattern().search(part) for part in (before, span, after))


@lexicon.derived
def _trigger_words() -> frozenset[str]:
    """Words one of which a sentence must hold to have a troop mention: the last word of each
    noun and of each level phrase that names personnel itself (the phrases that need a noun before
    them, and the verbs of change, whose object is one, are found through that noun)."""
    nouns = {row["noun"].split()[-1].lower() for row in lexicon.load("troop_nouns")}
    levels = {row["phrase"].split()[-1].lower() for row in lexicon.load("troop_level_cues") if row["alone"] == "yes"}
    return frozenset(nouns | levels)


_LOWER_WORDS = re.compile(r"[a-z]+")


def find_troop_mentions(text: str, *, host: str | None = None, previous: _Found | None = None) -> list[_Found]:
    """The troop-count mentions in one sentence (without location and date). ``previous`` is the
    last mention of the sentence before, which a count without its noun may continue ("Another 150
    will assess ...")."""
    words = _LOWER_WORDS.findall(text.lower())
    if _trigger_words().isdisjoint(words) and (previous is None or (
            _SEQUENCE_WORDS.isdisjoint(words) and not _DEFINITE_COUNT.search(text))):
        return []  # no personnel noun, nor a count that continues one: skip the number scan
    pattern, nouns = _noun_pattern()
    numbers = [n for n in find_numbers(text) if n.kind == "count" and not n.weak]
    found: list[_Found] = []
    for i, number in enumerate(numbers):
        noun = _noun_after(text, number, pattern)
        start, end = number.start, number.end
        antecedent = shared = changed = None  # antecedent: the count whose noun and owner this one takes
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
            antecedent = found[-1]
            if link.group().lower().startswith("another"):
                start = number.start - len(link.group())  # "another 200"
        elif (found or previous) and (elided := _elliptical(text, number)) is not None:
            antecedent = (found or [previous])[-1]
            start = elided
            if more := re.match(r"\s+more\b", text[number.end:]):
                end = number.end + more.end()  # "thousands more"
        elif (level := _level_cue(text, number, bool(found))) is not None:
            start, totals = level
            antecedent = found[-1] if totals else None  # "bringing the total to ...": of the count before
        elif (changed := _changed_to(text, number)) is not None:
            pass  # "will reduce U.S. troops in Afghanistan to 4,500"
        else:
            continue
        if _excluded(text, number.start, noun.end() if noun else end):
            continue
        owner = None
        # The words that name the personnel: the object of a verb of change, a level phrase, or the
        # count and its noun.
        phrase = changed or ((start, number.start) if noun is None else (number.number_start, noun.end()))
        if antecedent is None and noun is None:
            owner = first_named(cues_within(find_actor_cues(text, host=host), phrase), text)
        elif antecedent is None:
            owner = _phrase_owner(text, number, noun, noun_class, find_actor_cues(text, host=host))
        found.append(_Found(number, start, end, owner, noun.end() if noun else end, antecedent, sentence=text,
                            phrase=phrase))
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


def _level_cue(text: str, number: NumberMention, counted: bool) -> tuple[int, bool] | None:
    """Where a troop-level phrase that this bare number completes starts, if any, and whether it
    totals the personnel named before it ("bringing the total", which needs ``counted``: the
    sentence has named personnel before)."""
    if _NOUN_AFTER.match(text, number.end):
        return None  # "2,500 miles": the number counts something else
    pattern, after_noun = _level_pattern()
    window_start = max(0, number.start - 120)
    cues = list(pattern.finditer(text, window_start, number.start))
    if not cues or re.search(r"[;:.]\s", text[cues[-1].end():number.start]):
        return None
    cue = cues[-1]
    start = cue.start() - (4 if text[max(0, cue.start() - 4):cue.start()].lower() == "the " else 0)
    if re.sub(r"\s+", " ", cue.group().lower()) in after_noun:
        return (start, True) if counted else None
    return start, False


@lexicon.derived
def _change_pattern() -> re.Pattern:
    """A verb of change, its object naming personnel, then "to" before the count ("reduce U.S.
    troops in Afghanistan to 4,500")."""
    from .analysis import word_forms

    verbs = []
    for row in lexicon.load("troop_level_cues"):
        if row["alone"] == "verb":
            head, *rest = row["phrase"].lower().split()
            verbs.append(r"\s+".join([f"(?:{word_forms(head)})", *map(re.escape, rest)]))
    nouns = "|".join(lexicon.phrase_regex(row["noun"]) for row in lexicon.load("troop_nouns") if row["size_only"] == "no")
    return re.compile(rf"\b(?:{'|'.join(verbs)})\b(?P<object>[^;:]{{0,80}}?\b(?i:{nouns})\b[^;:]{{0,60}}?)\bto\s+$",
                      re.IGNORECASE)


@lexicon.derived
def _subject_pattern() -> re.Pattern:
    """A subject that names personnel, then words that give its level ("U.S. forces in Afghanistan
    number about 13,000", "the force grew to 5,000")."""
    words = "|".join(lexicon.phrase_regex(r["phrase"]) for r in lexicon.load("troop_level_cues") if r["alone"] == "subject")
    nouns = "|".join(lexicon.phrase_regex(row["noun"]) for row in lexicon.load("troop_nouns"))
    return re.compile(rf"(?P<object>\b(?i:{nouns})\b[^;:,]{{0,60}}?)\s(?i:{words})\s+$")


def _changed_to(text: str, number: NumberMention) -> tuple[int, int] | None:
    """The personnel that this bare count gives the level of, as a span, if any: the object of a
    verb of change ("reduce U.S. troops ... to 4,500"), or the subject of words of level ("U.S.
    forces in Afghanistan number about 13,000")."""
    if _NOUN_AFTER.match(text, number.end):
        return None
    found = _change_pattern().search(text, max(0, number.start - 160), number.start)
    if found is None:
        found = _subject_pattern().search(text, max(0, number.start - 120), number.start)
        if found:  # the subject's own modifiers name the owner too: "U.S. forces"
            before = re.search(r"(?:[A-Z][\w.’'-]*\s+){1,3}$", text[max(0, found.start() - 40):found.start()])
            return (found.start() - (len(before.group()) if before else 0), found.end("object"))
    return found.span("object") if found else None


def _elliptical(text: str, number: NumberMention) -> int | None:
    """Where a count whose noun is left out starts ("Another 150 will ...", "the final 125",
    "thousands more"): a determiner of a sequence before it, or "more" after it, and no noun."""
    after = text[number.end:]
    if re.match(r"^\s+[a-z]+s\b(?<!\bis)|^\s*-", after) and not re.match(r"^\s+more\b", after):
        return None  # a plural noun of its own follows: "another 150 miles"
    if re.match(r"^\s+more\b(?!\s+(?:than|[a-z]+s)\b)", after):
        return number.start
    lead = _SEQUENCE.search(text[max(0, number.start - 30):number.start])
    if lead:
        return number.start - len(lead.group())
    # "the 3,000 sent there since May", "the 2,500 still in Iraq": a definite count told by what
    # they do or where they are
    lead = re.search(r"\b(?:the|those|these|its|their)\s+$", text[max(0, number.start - 8):number.start], re.IGNORECASE)
    if lead and _DEFINITE_TAIL.match(after):
        return number.start - len(lead.group())
    return None


def _tense(text: str, found: _Found) -> str | None:
    """``present`` or ``past``: from the words after the mention (its relative clause too: "the 50
    special operators, who have worked"), else before it, else the sentence."""
    relative = re.match(r",\s+(?:who|which|that)\s+", text[found.end:])
    after = _clause_after(text, found.end + (relative.end() if relative else 0), _WINDOW_WORDS)
    _, before = _clause_before(text, found.start, _WINDOW_WORDS)
    for window in (after, before, text):
        if _PRESENT.search(window):
            return "present"
        if _PAST.search(window):
            return "past"
    return None


@lexicon.derived
def _time_words() -> tuple[re.Pattern, re.Pattern]:
    """Words of plans ("could be deployed"), and undated past periods ("during the Cold War")."""
    rows = lexicon.load("time_words")
    plan = "|".join(re.escape(r["word"]) for r in rows if r["group"] == "plan")
    period = "|".join(re.escape(r["word"]) for r in rows if r["group"] == "period")
    return (re.compile(rf"\b(?:{plan})\b", re.IGNORECASE),
            re.compile(rf"\b(?i:during|in|throughout)\s+the\s+(?:[A-Z][\w.’'-]*\s+){{1,3}}(?i:{period})\b"))


def _future(date, published: str | None) -> bool:
    """Whether a date is a plan's: "by May 1", "next week", or a period after ``published``."""
    if not published:  # a post with no date line: only an absolute plan's date ("after 2014") says when
        return date.preposition in ("by", "until", "after")
    return date.preposition in ("by", "until") or re.search(r"\b(?:next|coming)\b", date.text, re.IGNORECASE) \
        is not None or date.value > published[:len(date.value)]


# A plan's span ahead of the article: "in 18 months", "within two years".
_IN_SPAN = re.compile(r"\b(?:in|within)\s+(?:the\s+next\s+)?(?P<n>\d+|a|one|two|three|four|five|six|twelve|eighteen)\s+"
                      r"(?P<unit>months?|years?)\b", re.IGNORECASE)
_WORD_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "twelve": 12, "eighteen": 18}


def _after(value: str) -> str:
    """The period after a date: "after 2014" and "after the end of 2014" are 2015.

    >>> _after("2014"), _after("2014-12-31"), _after("2014-06")
    ('2015', '2015', '2014-06')
    """
    if len(value) == 4 or value.endswith("-12-31"):
        return f"{int(value[:4]) + 1:04d}"
    return value


def _ahead(published: str, span: re.Match) -> str:
    """The year a span ahead of ``published`` ends in ("in 18 months" from 2014-05-29: 2015)."""
    n = int(span["n"]) if span["n"].isdigit() else _WORD_NUMBERS[span["n"].lower()]
    months = n * (12 if span["unit"].lower().startswith("year") else 1)
    year, month = int(published[:4]), int(published[5:7] or 1)
    return f"{year + (month - 1 + months) // 12:04d}"


def _as_of(text: str, found: _Found, published: str | None, narrative: _Narrative) -> str | None:
    """When the count holds: a dated source's date ("an April report"), a plan's date ("by May 1",
    "in the next week", else ``published``), a past statement's date (in the sentence, else the
    narrative's last year), none for an undated past period ("during the Cold War"), else
    ``published``."""
    dates = find_dates(text, published)
    antecedent = found.antecedent
    if antecedent is not None and antecedent.as_of and (antecedent.sentence == found.sentence or not dates):
        return antecedent.as_of  # "Another 150 ...", "bringing the total to ...": the time of the count continued
    plan, period = _time_words()
    _, before = _clause_before(text, found.start, _WINDOW_WORDS)
    near = f"{before} {text[found.start:found.end]} {_clause_after(text, found.end, _WINDOW_WORDS)}"
    planned = plan.search(near) is not None
    for date in dates:
        if _SOURCE_DATED.match(text[date.end:]) and not planned:
            return date.value
    if re.search(r"\b(?:currently|still|now|today|current)\b", near, re.IGNORECASE):
        return published
    plans = [d for d in dates if d.preposition != "since" and _future(d, published)
             and (planned or d.preposition in ("by", "until", "after"))]
    if plans:
        chosen = min(plans, key=lambda d: abs(d.start - found.start))
        return _after(chosen.value) if chosen.preposition == "after" else chosen.value
    if published and (ahead := _IN_SPAN.search(near)):
        return _ahead(published, ahead)  # "cut ... to 5,000 troops in 18 months"
    if planned:
        return published
    if _tense(text, found) != "past":
        return published
    if not dates and period.search(text):
        return None
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


def troops(thread, *, host: str | None = None, parse: bool = True, post_time: bool = False) -> pd.DataFrame:
    """One row per troop-count mention in the thread's article bodies and commentary.

    Columns: post_id, published, sentence, text, value, low, high, qualifier, actor, location,
    as_of, and where ``text`` is: field (body or commentary), start, end (character offsets).
    ``host`` is the country the thread is about (default: from its title or its posts).

    Whose personnel a count is comes from its own words ("Russian troops"); where they name
    nobody, from the parse of the sentence (``parse=True``: "Turkey has deployed 3,000 troops"),
    then the words around it, the mentions just before it and the headline. With ``post_time``,
    ``as_of`` in a post with no date line (a comment) is resolved against the day it was posted.
    """
    thread = as_thread(thread)  # a path or the thread's text too
    host = host or host_country(thread)
    return batched_frame(([row for rows in troop_rows(chunk, host, parse=parse, post_time=post_time) for row in rows]
                          for chunk in post_batches(thread, CHUNK_POSTS)), COLUMNS)


CHUNK_POSTS = 200      # posts read (and their sentences parsed) at a time


def troop_rows(posts: list, host: str | None, *, parse: bool = True, post_time: bool = False) -> list[list[dict]]:
    """The troop-count records of each of ``posts`` (one list a post, in order): each post's records
    depend on that post alone and the thread's ``host``, so that posts can be extracted in batches,
    in parallel and from a cache."""
    chunk = [(post, post_sentences(post), _post_mentions(post, host)) for post in posts]
    if parse:
        _owners_from_parse(chunk, host)
    out = []
    for post, sentences, mentions in chunk:
        rows: list[dict] = []
        headline_cues = find_actor_cues(post.headline or "", host=host)
        headline_places = locations(post.headline or "")
        earlier: list[tuple[int, _Found]] = []
        for index, found, others in mentions:
            text = sentences[index].text
            if found.antecedent is not None:
                found.owner = found.antecedent.owner
            if found.owner is None:
                cues = find_actor_cues(text, host=host)
                found.owner = _window_owner(text, found, cues) or next(
                    (f.owner for i, f in reversed(earlier) if index - i <= _CONTEXT_SENTENCES and f.owner),
                    None) or _context_owner(cues, sentences, index, host) or (headline_cues or [None])[0]
            earlier.append((index, found))
            rows.append(_row(post, sentences, index, found, others, host, headline_places, post_time))
        out.append(rows)
    return out
_CONTEXT_SENTENCES = 3  # a count whose sentence names no owner takes that of a mention this close before


def _post_mentions(post, host: str | None) -> list[tuple[int, _Found, list[_Found]]]:
    """(sentence index, mention, the sentence's mentions) for every troop mention of a post."""
    found = []
    previous, previous_index = None, -1
    for index, sentence in enumerate(post_sentences(post)):
        # A count without its noun continues a mention of the last two sentences.
        recent = previous if index - previous_index <= _ELLIPSIS_SENTENCES else None
        mentions = find_troop_mentions(sentence.text, host=host, previous=recent)
        if mentions:
            previous, previous_index = mentions[-1], index
        found += [(index, mention, mentions) for mention in mentions]
    return found


def _context_owner(cues: list[ActorCue], sentences, index: int, host: str | None) -> ActorCue | None:
    """The first actor the sentence names, else the sentences just before it."""
    if cues:
        return cues[0]
    for before in range(index - 1, max(-1, index - 1 - _ELLIPSIS_SENTENCES), -1):
        if found := find_actor_cues(sentences[before].text, host=host):
            return found[0]
    return None


def _owners_from_parse(chunk, host: str | None) -> None:
    """Owners from the parse, for mentions whose words name none (parsed in one batch)."""
    from .analysis import parse_around
    from .roles import force_owner

    needed = [(post, sentences[index], found) for post, sentences, mentions in chunk
              for index, found, _ in mentions if found.owner is None and found.antecedent is None]
    parses = parse_around([(post, sentence, *found.phrase) for post, sentence, found in needed])
    for (post, sentence, found), (doc, offset) in zip(needed, parses):
        cues = find_actor_cues(sentence.text, host=host)
        for low, high in force_owner(doc, found.phrase[0] - offset, found.phrase[1] - offset):
            owner = first_named(cues_within(cues, (low + offset, high + offset)), sentence.text)
            if owner is not None:
                found.owner = owner
                break


# Forces massed on a border with another country stand on their own side of it.
_AT_OWN_BORDER = re.compile(r"[^.;]{0,40}?\b(?:on|along|near|at|to)\s+(?:the|its|their)\s+(?:\w+\s+)?border\s+with\b",
                            re.IGNORECASE)


def _row(post, sentences, index, found: _Found, others: list[_Found], host, headline_places,
         post_time: bool = False) -> dict:
    sentence = sentences[index]
    text = sentence.text
    owner = found.owner
    # A state's forces abroad are not in their own country ("Moscow sent troops to Syria").
    exclude = {owner.country} if owner and owner.country and owner.actor not in ("host", "militia", "insurgent") \
        else set()
    position = others.index(found)
    place = nearby_locations(text, found.start, max(found.end, found.noun_end), exclude=exclude,
                             after_to=next((f.start for f in others[position + 1:] if f.start >= found.noun_end), None),
                             before_from=others[position - 1].end if position else 0)
    if place is None:
        place = locations(text, exclude=exclude)
        for neighbour in (index - 1, index + 1):
            if place or not 0 <= neighbour < len(sentences):
                continue
            place = locations(sentences[neighbour].text, exclude=exclude)
        place = place or [p for p in headline_places if p not in exclude]
    actor = owner.actor if owner else "other"
    if owner is not None and owner.country:
        if _AT_OWN_BORDER.match(text, max(found.end, found.noun_end)):
            place = [owner.country]  # massed on their own side of a border: in their own country
        elif actor == "host" and place and owner.country not in place:
            actor = country_class(owner.country, None)  # the thread's own state's forces abroad are not host (spec v1.3)
    number = found.number
    reference = reference_date(post, post_time=post_time)
    found.as_of = _as_of(text, found, reference, _Narrative(sentences, index, reference))
    return {
        "post_id": post.post_id, "published": post.published, "sentence": collapse(text),
        "text": collapse(text[found.start:found.end]), "value": number.value, "low": number.low,
        "high": number.high, "qualifier": number.qualifier, "actor": actor,
        "location": place[0] if len(place) == 1 else (place or None),
        "as_of": found.as_of,
        "field": sentence.field, "start": sentence.start + found.start, "end": sentence.start + found.end,
    }


_INCREMENT = re.compile(r"\b(?:another|more|additional|extra|further|new|fresh|reinforcements?)\b", re.IGNORECASE)


def is_increment(text: str) -> bool:
    """Whether a mention counts troops added to a level ("500 more", "another 150", "450 additional
    troops"), not the level itself: increments are never compared with levels.

    >>> is_increment("another 150"), is_increment("500 more troops"), is_increment("3,100 troops")
    (True, True, False)
    """
    return _INCREMENT.search(text) is not None


def troop_disagreements(mentions: pd.DataFrame) -> pd.DataFrame:
    """Pairs of troop figures for the same actor and location, holding for the same month (or the
    same year, for a year), that no reading of their qualifiers reconciles ("about 2,500" and
    "900" US troops in Iraq in January 2024)."""
    import pandas as pd

    # Only figures of one actor, place and year can disagree: compare within those groups, not
    # every pair of the thread (which grew with the square of the mentions).
    records = mentions.to_dict("records")
    groups: dict[tuple, list[int]] = {}
    for index, record in enumerate(records):
        if isinstance(record["as_of"], str) and not is_increment(str(record["text"])):
            groups.setdefault((record["actor"], _place_key(record["location"]), record["as_of"][:4]), []).append(index)
    found = []
    for members in groups.values():
        for position, i in enumerate(members):
            first = records[i]
            for j in members[position + 1:]:
                second = records[j]
                if (first["post_id"], first["sentence"]) == (second["post_id"], second["sentence"]):
                    continue  # parts of one sentence ("about 700 ... and another 200") add up
                a, b = first["as_of"], second["as_of"]
                precision = min(len(a), len(b), 7)
                if a[:precision] != b[:precision]:
                    continue
                one = bounds(_na(first["value"]), first["qualifier"], _na(first["low"]), _na(first["high"]))
                two = bounds(_na(second["value"]), second["qualifier"], _na(second["low"]), _na(second["high"]))
                if one and two and (one[1] < two[0] or two[1] < one[0]):
                    found.append((i, j, {"actor": first["actor"], "location": first["location"],
                                         "when": a[:precision], "first_text": first["text"],
                                         "first_post_id": first["post_id"], "second_text": second["text"],
                                         "second_post_id": second["post_id"]}))
    rows = [row for _, _, row in sorted(found, key=lambda item: item[:2])]  # in thread order, as before
    return pd.DataFrame(rows, columns=["actor", "location", "when", "first_text", "first_post_id", "second_text",
                                       "second_post_id"])


def _na(value):
    import pandas as pd

    return None if value is None or value is pd.NA or value != value else value


def _place_key(value) -> tuple:
    import pandas as pd

    if isinstance(value, (list, tuple)):
        return tuple(sorted(value))
    return () if value is None or value is pd.NA or (isinstance(value, float) and value != value) else (value,)
