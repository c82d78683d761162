"""Dates: the date lines of articles and the times of posts.

Dates are ISO strings at the precision the text gives (``"2021-07-08"``, ``"2023-10"``, ``"2007"``).
"""

from __future__ import annotations

import re
from datetime import date, datetime

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

    >>> [parse_date_line(s) for s in ["8 JULY 2021", "July 8, 2021", "8 Jul 2021", "2021-07-08"]]
    ['2021-07-08', '2021-07-08', '2021-07-08', '2021-07-08']
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
