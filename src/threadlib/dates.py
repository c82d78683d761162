"""Dates: the date lines of articles and the times of posts.

Dates are ISO strings at the precision the text gives (``"2021-07-08"``, ``"2023-10"``, ``"2007"``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?"

# A calendar date written in one of the ways news sites and forums print it.
_DATE = re.compile(
    rf"""
    (?:{_WEEKDAY}\s+)?                                   # optional weekday: "Thu", "Thursday,"
    (?:
        (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>\d{{4}})   # 8 JULY 2021, 8 Jul 2021
      | (?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})   # July 8, 2021
      | (?P<y3>\d{{4}})-(?P<m3>\d{{1,2}})-(?P<d3>\d{{1,2}})                        # 2021-07-08
      | (?P<d4>\d{{1,2}})\.(?P<m4>\d{{1,2}})\.(?P<y4>\d{{4}})                       # 08.07.2021 (day first)
    )
    """, re.VERBOSE | re.IGNORECASE)

# A clock time after a date: "4:05 pm", "16:05", "at 4:05 p.m. ET".
_TIME = re.compile(
    r"""
    ,?\s*(?:at\s+)?
    (?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?     # 4:05, 16:05:30
    \s*(?P<ampm>[ap]\.?m\.?)?                           # am / p.m.
    (?:\s*[A-Z]{2,4})?                                  # a zone abbreviation, ignored
    """, re.VERBOSE | re.IGNORECASE)

# The optional words some sites put before a date line.
_DATE_LINE_PREFIX = re.compile(r"^(?:published|updated|posted)(?:\s+on)?:?\s+", re.IGNORECASE)


def _ymd(match: re.Match) -> date | None:
    g = match.groupdict()
    if g["y3"]:
        year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
    elif g["y4"]:
        year, month, day = int(g["y4"]), int(g["m4"]), int(g["d4"])
    else:
        year = int(g["y1"] or g["y2"])
        month = MONTHS[(g["m1"] or g["m2"]).rstrip(".").lower()]
        day = int(g["d1"] or g["d2"])
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date_line(line: str) -> str | None:
    """The ISO date of a line that is only a date (an article's date line), else None.

    >>> [parse_date_line(s) for s in ["8 JULY 2021", "July 8, 2021", "8 Jul 2021", "2021-07-08", "08.07.2021"]]
    ['2021-07-08', '2021-07-08', '2021-07-08', '2021-07-08', '2021-07-08']
    >>> parse_date_line("Thursday, July 8, 2021 at 4:05 pm"), parse_date_line("In July 8, 2021 he said")
    ('2021-07-08', None)
    """
    text = _DATE_LINE_PREFIX.sub("", line.strip())
    match = _DATE.match(text)
    if not match:
        return None
    rest = text[match.end():]
    if rest.strip() and not _TIME.fullmatch(rest):
        return None
    day = _ymd(match)
    return day.isoformat() if day else None


def parse_post_time(text: str) -> str | None:
    """The ISO datetime of a forum post time such as ``Tue Mar 13, 2018 4:05 pm``, else None.

    >>> parse_post_time("Tue Mar 13, 2018 4:05 pm"), parse_post_time("13 Mar 2018, 16:05")
    ('2018-03-13T16:05:00', '2018-03-13T16:05:00')
    >>> parse_post_time("2018-03-13"), parse_post_time("yesterday")
    ('2018-03-13T00:00:00', None)
    """
    text = text.strip().lstrip("↑ ").strip()
    match = _DATE.match(text)
    if not match or not (day := _ymd(match)):
        return None
    rest = text[match.end():]
    if not rest.strip():
        return datetime(day.year, day.month, day.day).isoformat()
    clock = _TIME.fullmatch(rest)
    if not clock:
        return None
    hour, minute, second = int(clock["h"]), int(clock["mi"]), int(clock["s"] or 0)
    ampm = (clock["ampm"] or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    try:
        return datetime(day.year, day.month, day.day, hour, minute, second).isoformat()
    except ValueError:
        return None


# --- dates inside sentences, resolved against the article's date ------------------------------------

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_CAP_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
              r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])")
_YEAR = r"(?:1[89]\d\d|20\d\d|2100)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_PART = r"(?:(?:early|mid|late)-?\s*|(?:the\s+)?(?:beginning|start|middle|end|turn)\s+of\s+)"
_SEASON = r"(?:spring|summer|fall|autumn|winter)"

# Each rule: a name and a pattern; `_resolve_rule` turns a match into a date at its precision.
# Longer rules come first: where two matches overlap, the earlier rule wins.
_RULES = [
    ("end_of_year", rf"(?:the\s+)?(?:end\s+of\s+(?:the|this)\s+year|year'?s\s+end|end\s+of\s+(?P<year>{_YEAR}))"),
    ("full", rf"(?P<m>{_CAP_MONTH})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b"
             rf"|(?P<d2>{_DAY})\s+(?P<m2>{_CAP_MONTH}),?\s+(?P<y2>{_YEAR})\b"
             rf"|(?P<iso>{_YEAR}-\d\d-\d\d)\b|(?P<us>\d{{1,2}}/\d{{1,2}}/{_YEAR})\b"),
    ("month_year", rf"{_PART}?(?P<m>{_CAP_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    ("month_day", rf"(?P<m>{_CAP_MONTH})\s+(?P<d>{_DAY})\b(?!\s*[,:]?\s*\d)|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_CAP_MONTH})(?!\s*,?\s*\d)"),
    ("weekday", r"(?:(?P<rel>last|this|next|on)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)s?\b"),
    ("rel_year", r"(?:(?:early|late|earlier|later)\s+)?(?P<rel>this|last|next|that|the\s+previous|the\s+following)\s+year\b"),
    ("rel_month", r"(?:(?:early|late|earlier|later)\s+)?(?P<rel>this|last|next)\s+month\b"),
    ("rel_week", r"(?:(?:early|late|earlier|later)\s+)?(?P<rel>this|last|next)\s+week\b"),
    ("day_word", r"\b(?P<word>yesterday|today|tonight)\b"),
    ("ago", r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b"),
    ("short_year", r"(?:(?<=\bsince\s)|(?<=\bin\s)|(?<=\bfrom\s)|(?<=\buntil\s)|(?<=\bby\s))['’](?P<sy>\d\d)\b(?!['’])"),
    ("season_year", rf"(?:the\s+)?{_SEASON}\s+(?:of\s+)?(?P<y>{_YEAR})\b"),
    ("season", rf"(?:(?P<rel>this|last|next|the)\s+)?{_SEASON}\b"),
    ("month", rf"{_PART}?(?:(?P<rel>last|this|next|early|late)\s+)?(?P<m>{_CAP_MONTH})(?![\w-])"),
    ("year", rf"(?:(?<=\bin\s)|(?<=\bsince\s)|(?<=\bby\s)|(?<=\bof\s)|(?<=\bduring\s)|(?<=\buntil\s)"
             rf"|(?<=\bfrom\s)|(?<=\bthrough\s)|(?<=\bafter\s)|(?<=\bbefore\s)|(?<=\bearly\s)|(?<=\blate\s)"
             rf"|(?<=\bmid-)|(?<=\bmid\s)|(?<=\bfor\s)|(?<=\band\s)|(?<=\bor\s)|(?<=\bto\s))(?P<y>{_YEAR})\b(?![-,]\d|\s+(?:troops|soldiers))"),
]
_RULE_PATTERNS = [(name, re.compile(pattern, re.IGNORECASE if name in (
    "end_of_year", "rel_year", "rel_month", "rel_week", "day_word", "ago", "season_year", "season", "year")
    else 0))
    for name, pattern in _RULES]
# What a text must hold for a rule to match: a digit (True), or one of these words.
_MONTH_WORDS = frozenset(w for m in re.findall(r"[A-Za-z]+", _CAP_MONTH) for w in (m,))
_TRIGGERS = {
    "end_of_year": frozenset({"end", "End"}),
    "full": True, "short_year": True, "month_year": True, "month_day": True, "season_year": True, "year": True,
    "weekday": frozenset(day.capitalize() for day in _WEEKDAYS) | frozenset(f"{d.capitalize()}s" for d in _WEEKDAYS),
    "rel_year": frozenset({"year", "Year"}),
    "rel_month": frozenset({"month", "Month"}),
    "rel_week": frozenset({"week", "Week"}),
    "day_word": frozenset({"yesterday", "today", "tonight", "Yesterday", "Today", "Tonight"}),
    "ago": frozenset({"ago"}),
    "season": frozenset(w for s in ("spring", "summer", "fall", "autumn", "winter") for w in (s, s.capitalize())),
    "month": _MONTH_WORDS,
}
_WORDS = re.compile(r"[A-Za-z]+")
_DIGIT = re.compile(r"\d")
_PREPOSITION = re.compile(r"\b(?P<prep>since|from|after|by|until|till|before|on|in|at|during|over)\s+(?:the\s+)?$",
                          re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_MAY_VERB = re.compile(r"^May\s+(?:be|have|not|also|still|take|help|need|seek|come|soon)\b")


@dataclass(frozen=True)
class DateMention:
    """A date expression in a text, resolved: ``value`` is ISO at the precision the words give."""

    start: int
    end: int
    text: str
    value: str
    preposition: str | None = None  # the word before it: since, by, on, in ...


def _as_date(published) -> date | None:
    """The article date as a `date`, from an ISO string, a date or a timestamp; None if missing."""
    if published is None or published != published:  # None, NaN or NaT
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    text = str(published)
    if len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _month_number(text: str) -> int:
    return MONTHS[text.rstrip(".").lower()]


def _past_month(month: int, pub: date) -> str:
    year = pub.year if month <= pub.month else pub.year - 1
    return f"{year:04d}-{month:02d}"


def _future_month(month: int, pub: date) -> str:
    year = pub.year if month >= pub.month else pub.year + 1
    return f"{year:04d}-{month:02d}"


def _month_day(month: int, day: int, pub: date, prep: str | None) -> str | None:
    """A month and day without a year: the occurrence nearest the article's date (the last one
    on or before it after 'since', 'after' or 'from')."""
    candidates = []
    for year in (pub.year - 1, pub.year, pub.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if prep in ("since", "after", "from"):
        candidates = [c for c in candidates if c <= pub]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs((c - pub).days), c > pub)).isoformat()


def _week(pub: date, offset_weeks: int) -> str:
    """A calendar week (Monday to Sunday) as the month it lies in, or the year when it spans two."""
    monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=offset_weeks)
    sunday = monday + timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return f"{monday.year:04d}-{monday.month:02d}"
    return f"{monday.year:04d}" if monday.year == sunday.year else f"{pub.year:04d}"


def _shift_month(pub: date, months: int) -> str:
    index = pub.year * 12 + pub.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _resolve_rule(name: str, m: re.Match, pub: date | None, prep: str | None,
                  context_year: str | None) -> str | None:
    g = m.groupdict()
    if name == "full":
        if g.get("iso"):
            return g["iso"]
        if g.get("us"):
            month, day, year = (int(part) for part in g["us"].split("/"))
        else:
            month = _month_number(g["m"] or g["m2"])
            day = int(re.match(r"\d+", g["d"] or g["d2"]).group())
            year = int(g["y"] or g["y2"])
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    if name == "month_year":
        return f"{int(g['y']):04d}-{_month_number(g['m']):02d}"
    if name in ("year", "season_year"):
        return g["y"]
    if name == "short_year":  # "since '07": the latest such year not after the article (else before 2030)
        year = 2000 + int(g["sy"])
        return f"{year - 100 if year > (pub.year if pub else 2029) else year:04d}"
    if name == "end_of_year":
        year = g.get("year") or (pub and pub.year)
        return f"{int(year):04d}-12-31" if year else None
    if pub is None:
        if name == "rel_year" and g["rel"].lower() == "that" and context_year:
            return context_year
        return None
    if name == "month_day":
        month = _month_number(g["m"] or g["m2"])
        day = int(re.match(r"\d+", g["d"] or g["d2"]).group())
        return _month_day(month, day, pub, prep)
    if name == "month":
        month = _month_number(g["m"])
        rel = (g.get("rel") or "").lower()
        if rel == "next" or prep in ("by", "until"):  # "by May", said in October: next May
            return _future_month(month, pub)
        if rel == "this":
            return f"{pub.year:04d}-{month:02d}"
        return _past_month(month, pub)
    if name == "weekday":
        weekday = _WEEKDAYS.index(g["wd"].lower())
        back = (pub.weekday() - weekday) % 7
        rel = (g.get("rel") or "").lower()
        if rel == "next":
            return (pub + timedelta(days=(weekday - pub.weekday()) % 7 or 7)).isoformat()
        if rel == "last" and back == 0:
            back = 7
        return (pub - timedelta(days=back)).isoformat()
    if name == "rel_year":
        rel = g["rel"].lower()
        if rel == "that":
            return context_year
        offset = {"this": 0, "last": -1, "the previous": -1, "next": 1, "the following": 1}[re.sub(r"\s+", " ", rel)]
        return f"{pub.year + offset:04d}"
    if name == "rel_month":
        return _shift_month(pub, {"this": 0, "last": -1, "next": 1}[g["rel"].lower()])
    if name == "rel_week":
        return _week(pub, {"this": 0, "last": -1, "next": 1}[g["rel"].lower()])
    if name == "day_word":
        return (pub - timedelta(days=1 if g["word"].lower() == "yesterday" else 0)).isoformat()
    if name == "ago":
        n = int(g["n"]) if g["n"].isdigit() else _NUMBER_WORDS[g["n"].lower()]
        unit = g["unit"].lower()
        if unit == "day":
            return (pub - timedelta(days=n)).isoformat()
        if unit == "week":
            return _week(pub, -n)
        if unit == "month":
            return _shift_month(pub, -n)
        return f"{pub.year - n:04d}"
    if name == "season":
        return f"{pub.year - (1 if (g.get('rel') or '').lower() == 'last' else 0):04d}"
    return None


def find_dates(text: str, published=None, *, context_year: str | None = None) -> list[DateMention]:
    """The date expressions in ``text``, resolved against the article's ``published`` date.

    Relative dates ("Oct. 17", "last year", "on Friday") need ``published``; without it only
    absolute dates ("in 2007", "January 2020") are returned. A missing part is never filled with
    today's date. ``context_year`` resolves "that year".

    >>> [d.value for d in find_dates("Since Oct. 17, forces have been attacked", "2024-01-19")]
    ['2023-10-17']
    >>> [(d.text, d.value) for d in find_dates("in 2007 and since mid-October", "2024-01-19")]
    [('2007', '2007'), ('mid-October', '2023-10')]
    """
    return list(_find_dates(text, _as_date(published), context_year))


@functools.lru_cache(maxsize=8192)  # a sentence is read by troops, attacks, and as a neighbour
def _find_dates(text: str, pub: date | None, context_year: str | None) -> tuple[DateMention, ...]:
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    words = frozenset(_WORDS.findall(text))
    has_digit = _DIGIT.search(text) is not None
    for name, pattern in _RULE_PATTERNS:
        trigger = _TRIGGERS.get(name)
        if trigger is not None and not (words & trigger if isinstance(trigger, frozenset) else has_digit):
            continue  # the rule cannot match: skip its (slow) scan
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if name in ("month", "month_day") and _MAY_VERB.match(text[start:]) and "May" in m.group():
                continue
            before = _PREPOSITION.search(text[max(0, start - 12):start])
            prep = before["prep"].lower() if before else None
            try:
                value = _resolve_rule(name, m, pub, prep, context_year)
            except (OverflowError, ValueError):
                value = None  # "on Friday" in an article of the year 1: no such day to resolve to
            if value is None:
                continue
            taken.append((start, end))
            found.append(DateMention(start, end, m.group(), value, prep))
    return tuple(sorted(found, key=lambda d: d.start))


def resolve_date(expression: str, published=None, *, context_year: str | None = None) -> str | None:
    """The first date in ``expression``, resolved (see `find_dates`), or None.

    >>> resolve_date("by the end of the year", "2021-07-24"), resolve_date("last year", "2024-01-19")
    ('2021-12-31', '2023')
    """
    dates = find_dates(expression, published, context_year=context_year)
    return dates[0].value if dates else None


def reference_date(post, *, post_time: bool = False) -> str | None:
    """The date a post's relative dates resolve against: its article's ``published`` date; with
    ``post_time``, a post with no date line (a comment) falls back to the day it was posted.

    The spec keeps such dates null (section 1: ``published``); the post time is what an analyst
    following a thread as it grows usually wants.
    """
    if post.published or not post_time or not post.post_time:
        return post.published
    return str(post.post_time)[:10]
