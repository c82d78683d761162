"""Numbers in English news text: value, bounds and qualifier, and the numbers that are not counts.

`find_numbers` returns each count-like expression of a text with its span:

>>> [(m.text, m.value, m.qualifier) for m in find_numbers("about 900 troops from two dozen countries")]
[('about 900', 900, 'approx'), ('two dozen', 24, 'exact')]
>>> [(m.text, m.low, m.high, m.qualifier) for m in find_numbers("between 2,000 and 3,000 soldiers")]
[('between 2,000 and 3,000', 2000, 3000, 'range')]

Years, dates, money, percentages, clock times, ages and measures ("60-year-old", "six-month"),
and ID-like numbers ("Tower 22", "idUS1A2B") are left out. Ordinals ("fourth") and multiplicatives
("twice", "three times") are returned with their own ``kind`` so that an extractor can use or skip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

from . import lexicon
from .dates import MONTHS

MAX_COUNT = 10**9  # longer numbers are identifiers, not counts

_UNITS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen").split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = ("hundred", "thousand", "million", "billion")
_NUMBER_WORD = r"(?:" + "|".join(sorted(_UNITS + _TENS + list(_SCALES), key=len, reverse=True)) + r")"
_ORDINAL_WORDS = {word: value for value, word in enumerate(
    ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
     "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth").split(), start=1)}
_MULTIPLE_WORDS = {"once": 1, "twice": 2, "thrice": 3}
_DOZENS = {"a": 12, "one": 12, "two": 24, "three": 36, "four": 48, "five": 60, "six": 72, "half a": 6}

# One number, in the forms English news text writes them; the alternatives are tried in order.
_ATOM = re.compile(
    rf"""
    (?P<vague>                                              # amounts with no value
        (?:tens|hundreds)\s+of\s+thousands(?:\s+of)?
      | (?:several|a\s+few|many)[\s-]+(?:hundred|thousand|million)s?(?:\s+of)?
      | (?:hundreds|thousands|millions|dozens|scores)(?:\s+(?:and\s+)?(?:hundreds|thousands)\s+)?(?:\s+of)?
    )\b
  | (?P<weak>several|a\s+few|a\s+handful\s+of)\b            # vague, and too vague for most counts
  | (?P<dozen>(?:(?:half\s+a|a|one|two|three|four|five|six)\s+)dozen)\b
  | (?P<couple>a\s+(?:couple|pair)(?:\s+of)?)\b
  | (?P<digits>(?<![\w.,/#:])                            # not inside a word, decimal, date or amount
        (?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?
        (?:\s+(?:hundred|thousand|million|billion)\b)?
    )(?![\w/]|[.,:]\d)
  | (?P<ordinal>\d+(?:st|nd|rd|th)\b|\b(?:{"|".join(_ORDINAL_WORDS)})\b)
  | (?P<multiple>\b(?:once|twice|thrice)\b)
  | (?P<words>\b(?:a\s+(?=hundred|thousand|million))?{_NUMBER_WORD}(?:(?:\s+and\s+|\s+|-){_NUMBER_WORD})*\b)
    """, re.VERBOSE | re.IGNORECASE)

# Words that can open a number expression (see _ATOM), for the cheap first pass of `find_numbers`.
_FIRST_WORDS = frozenset(_UNITS + _TENS + list(_SCALES) + list(_ORDINAL_WORDS) + list(_MULTIPLE_WORDS) + (
    "a tens hundreds thousands millions dozens scores several many half".split()))
# Words of which a text without digits must hold one to hold a number ("a" alone is not enough).
_TRIGGER_WORDS = (_FIRST_WORDS - {"a", "half", "many"}) | {"dozen", "couple", "pair", "few", "handful"}
_DIGIT = re.compile(r"\d")
_LOWER_WORDS = re.compile(r"[a-z]+")
_CANDIDATE = re.compile(
    r"\d+|(?<![A-Za-z])(?:" + "|".join(sorted(_FIRST_WORDS, key=len, reverse=True)) + r")(?![A-Za-z])",
    re.IGNORECASE)

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_BEFORE = re.compile(rf"\b{_MONTH}\s*$", re.IGNORECASE)                       # "Oct. |17"
_DATE_AFTER = re.compile(rf"^(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?![a-z])", re.IGNORECASE)  # "17| October"
_MONEY_BEFORE = re.compile(r"(?:[$€£¥]|\bUS\$|\bUSD|\bEUR)\s*$")
_MONEY_AFTER = re.compile(r"^\s*(?:dollars|euros|pounds|yuan|rubles|roubles|USD|EUR|bucks)\b", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"^\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b)", re.IGNORECASE)
_CLOCK_AFTER = re.compile(r"^\s*(?::\d\d|[ap]\.?m\.?(?![a-z])|o'clock)", re.IGNORECASE)
_PHONE = re.compile(r"^[-–]\d{3,}")
# A hyphenated suffix that makes the number an adjective of size, time or age.
_SUFFIX = re.compile(r"^-(?P<word>[a-z]+)(?:-[a-z]+)*", re.IGNORECASE)
_FORCE_SUFFIXES = {"strong", "man", "member", "person", "soldier", "troop"}
_RANGE_TAIL = re.compile(r"^\s*(?P<link>to|-|–|—|or|and)\s*", re.IGNORECASE)
_PLUS = re.compile(r"-plus\b|\+(?!\d)", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+$", re.IGNORECASE)
_TIMES_AFTER = re.compile(r"^\s+times\b", re.IGNORECASE)
_YEAR_CONTEXT = re.compile(r"\b(?:in|since|by|until|till|from|of|during|through|after|before|early|late|mid|"
                           r"and|or|to|the|year|fiscal|spring|summer|autumn|fall|winter|between)\s*-?$",
                           re.IGNORECASE)
_PREV_WORD = re.compile(r"(?P<word>[A-Z][\w'’.-]*)\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”(—–]\s*)$")
_ONE_NOT_COUNT_AFTER = re.compile(r"^\s+(?:of|another|day|time|way|side)\b", re.IGNORECASE)


@dataclass(frozen=True)
class NumberMention:
    """A number in a text: the span (qualifier included), its value or bounds, qualifier and kind.

    ``kind`` is ``count`` (a cardinal number), ``times`` ("twice", "three times"), or ``ordinal``.
    ``strong`` marks a size adjective ("2,500-strong", "200-man").
    """

    start: int
    end: int
    number_start: int
    text: str
    value: int | None
    low: int | None
    high: int | None
    qualifier: str
    kind: str = "count"
    strong: bool = False
    weak: bool = False


@lexicon.derived
def _qualifier_pattern() -> re.Pattern:
    rows = sorted(lexicon.load("number_qualifiers"), key=lambda row: len(row["phrase"]), reverse=True)
    alternatives = "|".join(f"(?P<q{i}>{lexicon.phrase_regex(row['phrase'])})" for i, row in enumerate(rows))
    return re.compile(rf"(?:^|(?<![\w-]))(?:{alternatives})\s+$", re.IGNORECASE)


@lexicon.derived
def _qualifier_names() -> tuple[str, ...]:
    rows = sorted(lexicon.load("number_qualifiers"), key=lambda row: len(row["phrase"]), reverse=True)
    return tuple(row["qualifier"] for row in rows)


def word_value(words: str) -> int | None:
    """The value of number words: "forty-five" 45, "a hundred" 100, "two dozen" 24.

    >>> word_value("forty-five"), word_value("two thousand five hundred"), word_value("half a dozen")
    (45, 2500, 6)
    """
    text = re.sub(r"\s+", " ", words.strip().lower())
    if text.endswith("dozen"):
        return _DOZENS.get(text[: -len("dozen")].strip())
    text = re.sub(r"^a (?=hundred|thousand|million)", "one ", text)
    try:
        return int(text2num(text, "en"))
    except ValueError:
        return None


def _digits_value(text: str) -> int | None:
    parts = text.replace(",", "").split()
    if len(parts[0].split(".")[0]) > 15:
        return None  # hundreds of digits: an identifier, and more than a float holds
    number = float(parts[0])
    if len(parts) > 1:
        number *= {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9}[parts[1].lower()]
    if number != int(number) or number > MAX_COUNT:
        return None  # "2.5" alone is a measure, not a count; a longer string is an identifier
    return int(number)


def _atom_value(match: re.Match) -> tuple[int | None, str] | None:
    """(value, kind) of an atom, or None when it is no number."""
    group = match.lastgroup
    text = match.group(group)
    if group == "digits":
        value = _digits_value(text)
        return None if value is None else (value, "count")
    if group == "words":
        if text.lower() in _SCALES:
            return None  # "million" alone, as in "$300 million"
        value = word_value(text)
        if value is None:  # "one two": take the first word alone
            return None
        return value, "count"
    if group == "dozen":
        return word_value(text), "count"
    if group == "couple":
        return 2, "count"
    if group == "ordinal":
        lowered = text.lower()
        return (_ORDINAL_WORDS[lowered] if lowered in _ORDINAL_WORDS else int(lowered[:-2])), "ordinal"
    if group == "multiple":
        return _MULTIPLE_WORDS[text.lower()], "times"
    return None, "count"  # vague and weak


def _is_not_a_count(text: str, match: re.Match, value: int | None) -> bool:
    """Years, dates, money, percentages, clock times, measures, ages and identifiers."""
    start, end = match.span()
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    group = match.lastgroup
    if group not in ("digits", "words"):
        return False
    if _MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after) or _PERCENT_AFTER.match(after):
        return True
    if group == "digits":
        digits = match.group("digits")
        if re.search(r"['’]$", before) and len(digits) == 2:
            return True  # "since '07": a year
        if _CLOCK_AFTER.match(after) or _PHONE.match(after) or _DATE_BEFORE.search(before) \
                or _DATE_AFTER.match(after):
            return True
        if re.fullmatch(r"\d{4}", digits) and 1000 <= int(digits) <= 2100:
            followed_by_plural = re.match(r"^\s+[a-z]+s\b", after) and not re.match(r"^\s+(?:years|was|has|is)\b", after)
            if _YEAR_CONTEXT.search(before) or not followed_by_plural:
                return True
        previous = _PREV_WORD.search(before)
        if previous and not _SENTENCE_START.search(before[:previous.start()]) \
                and not previous["word"].endswith(("’s", "'s", "s’", "s'")) \
                and not _qualifier_pattern().search(before):
            return True  # "Tower 22", "Resolution 1546": a name with a number
    suffix = _SUFFIX.match(after)
    if suffix and suffix["word"].lower() not in _FORCE_SUFFIXES | {"plus"} and not re.match(r"^-\d", after):
        return True  # "60-year-old", "six-month truce", "20-year presence"
    if group == "words" and value == 1:
        lowered_before = before.lower()
        if _ONE_NOT_COUNT_AFTER.match(after) or re.search(r"\b(?:no|any|every|each|the)\s+$", lowered_before):
            return True
    return False


def find_numbers(text: str) -> list[NumberMention]:
    """Every count-like number in ``text``, in order, with its qualifier and (for ranges) bounds."""
    return list(_find_numbers(text))


@lexicon.derived_per_text(maxsize=lexicon.SENTENCES_KEPT)  # troops and attacks read the same sentences of a batch
def _find_numbers(text: str) -> tuple[NumberMention, ...]:
    mentions: list[NumberMention] = []
    if not _DIGIT.search(text) and _TRIGGER_WORDS.isdisjoint(_LOWER_WORDS.findall(text.lower())):
        return ()  # no digit and no number word: nothing to scan
    position = 0
    for candidate in _CANDIDATE.finditer(text):
        # A cheap pass finds where a number may start; the full pattern runs only there.
        if candidate.start() < position:
            continue
        match = _ATOM.match(text, candidate.start())
        if not match:
            continue
        position = match.end()
        parsed = _atom_value(match)
        if parsed is None or _is_not_a_count(text, match, parsed[0]):
            continue
        value, kind = parsed
        group = match.lastgroup
        start, end = match.span()
        qualifier = "vague" if group in ("vague", "weak") else "exact"
        low = high = None
        if kind == "count" and value is not None:
            after = text[end:]
            if _TIMES_AFTER.match(after):
                kind = "times"
            elif (tail := _range_tail(text, end, start)) is not None:
                high_value, end = tail
                low, high = min(value, high_value), max(value, high_value)
                qualifier = "range"
        plus = _PLUS.match(text, end) if qualifier == "exact" and kind == "count" else None
        if plus:  # "5,000-plus troops", "300+ strikes"
            qualifier, end = "at_least", plus.end()
        suffix = _SUFFIX.match(text[end:])
        strong = bool(suffix and suffix["word"].lower() in _FORCE_SUFFIXES)
        if strong:
            end += suffix.end()
        span_start = start
        if (qualifier == "exact" and not plus) or (qualifier == "range" and text[max(0, start - 8):start].lower().endswith("between ")):
            before = text[max(0, start - 40):start]
            if qualifier == "range":
                span_start = start - len("between ")
            elif found := _qualifier_pattern().search(before):
                qualifier = _qualifier_names()[int(found.lastgroup[1:])]
                span_start = start - (len(before) - found.start())
        if group in ("vague", "weak") and text[start:end].lower().endswith(" of"):
            end -= 3
        mentions.append(NumberMention(
            start=span_start, end=end, number_start=start, text=text[span_start:end], value=value,
            low=low, high=high, qualifier=qualifier, kind=kind, strong=strong, weak=group == "weak"))
        position = max(position, end)
    return tuple(mentions)


def _range_tail(text: str, end: int, start: int) -> tuple[int, int] | None:
    """The upper number of a range after ``end`` ("to 3,000", "-3,000", "or three"), and its end."""
    link = _RANGE_TAIL.match(text[end:end + 12])
    if not link:
        return None
    if _FROM_BEFORE.search(text[max(0, start - 6):start]) and link["link"].lower() in ("to", "-", "–", "—"):
        return None  # "from 50 to 300": a change between two levels, two numbers (spec v1.2)
    if link["link"].lower() == "and" and not text[max(0, start - 8):start].lower().endswith("between "):
        return None
    second = _ATOM.match(text, end + link.end())
    if not second or second.lastgroup not in ("digits", "words"):
        return None
    parsed = _atom_value(second)
    if parsed is None or parsed[0] is None or _is_not_a_count(text, second, parsed[0]):
        return None
    return parsed[0], second.end()


# How far a count may lie from the number written, by qualifier: (low factor, high factor; None: no limit).
_QUALIFIER_BOUNDS = {"exact": (1, 1), "approx": (0.9, 1.1), "at_least": (1, None), "more_than": (1, None),
                     "at_most": (0, 1), "fewer_than": (0, 1)}


def bounds(value, qualifier, low=None, high=None) -> tuple[float, float] | None:
    """The interval of counts a qualified number allows, or None when it allows any.

    >>> bounds(55, "at_least"), bounds(1000, "approx"), bounds(None, "range", 2000, 3000), bounds(None, "vague")
    ((55.0, inf), (900.0, 1100.0), (2000.0, 3000.0), None)
    """
    missing = lambda v: v is None or v != v  # noqa: E731 - None, NaN or NA
    if qualifier == "range" and not missing(low) and not missing(high):
        return float(low), float(high)
    if missing(value) or qualifier not in _QUALIFIER_BOUNDS:
        return None
    low_factor, high_factor = _QUALIFIER_BOUNDS[qualifier]
    lowest = value * low_factor + (1 if qualifier == "more_than" else 0)
    highest = float("inf") if high_factor is None else value * high_factor - (1 if qualifier == "fewer_than" else 0)
    return float(lowest), float(highest)
