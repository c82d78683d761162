"""Split the lines of one post into the poster's words, quoted replies and a reposted article.

A reposted article is laid out as news sites print it:

    OUTLET
    "Headline"
    Byline                      (optional)
    8 JULY 2021                 (optional)
    DATELINE — body ...         (body paragraphs, one a line)
    https://...                 (optional)

Anything before the outlet or after the URL line is the poster's own commentary.
Every non-blank line gets one role (the field it went to), so no text is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import parse_date_line, parse_post_time

Line = tuple[int, str]

# A quoted reply: 'NAME wrote:' with, on the same or the next line, the quoted post's time.
_WROTE = re.compile(r"^(?P<who>\S.{0,60}?)\s+wrote:\s*(?:↑\s*)?(?P<time>.*)$")
# phpBB's note under an edited post.
# (Read as a head, an " on " and a tail, so that a long line costs linear time.)
_LAST_EDITED_HEAD = re.compile(r"Last edited by \S", re.IGNORECASE)
_LAST_EDITED_TAIL = re.compile(r", edited \d+ times? in total\.?$", re.IGNORECASE)


def _last_edited(text: str) -> bool:
    """ "Last edited by NAME on TIME, edited N times in total." (phpBB's note under an edited post)."""
    if not _LAST_EDITED_HEAD.match(text):
        return False
    tail = _LAST_EDITED_TAIL.search(text)
    return tail is not None and " on " in text[len("Last edited by "):tail.start()]
# A line that is the article's link: full, or shortened with " ... " as the forum prints long links.
_URL = re.compile(r"^(?:https?://|www\.)\S+(?: \.\.\. \S+)?$", re.IGNORECASE)
# A line wholly inside one pair of quotes: the headline.
_QUOTED = re.compile(r'^(?P<q>["“”\'‘’])(?P<inner>.+)["“”\'‘’]$')
# Byline prefixes and the "email (Name)" form.
_BY = re.compile(r"^(?:story\s+|written\s+|words\s+)?by:?\s+", re.IGNORECASE)
_EMAIL_NAME = re.compile(r"\S+@\S+\s*\((?P<name>[^()]+)\)")
_NAME_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.IGNORECASE)
# One person's name: capitalised words, initials and particles (al-, bin, van, de ...).
_NAME_PART = r"(?:[A-Z][\w'’.-]*|al-\w+|el-\w+|bin|ibn|van|von|de|da|del|der|la|le|du|di)"
_NAME = re.compile(rf"^{_NAME_PART}(?:\s+{_NAME_PART}){{0,5}}$")
# The place before the dash that opens the body: "BAGHDAD — ", "KARBALA, Iraq — ", "WASHINGTON—".
_DATELINE = re.compile(
    r"""^(?P<place>[A-Z][A-Z.'’ -]*[A-Z.]             # a place in capitals
         (?:,\s*[A-Z][\w.'’ -]*?)?)                   # optional ", Iraq"
        (?:\s*\([^)]{1,40}\))?                        # optional agency: "(Reuters)"
        \s*(?:—|–|--|-\s)\s*""", re.VERBOSE)

_OUTLET_MAX_WORDS = 7
_BYLINE_MAX_CHARS = 160
_HEADER_SPAN = 4  # how many lines before a date line the headline may stand


@dataclass
class Quote:
    """A quoted reply inside a post: whose words, when they were posted (if printed), and the words."""

    author: str
    text: str
    time: str | None = None


@dataclass
class PostContent:
    """The fields that a post's own lines give, with each line's role."""

    commentary: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    outlet: str | None = None
    headline: str | None = None
    byline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    dateline: str | None = None
    body: str | None = None
    url: str | None = None
    n_paragraphs: int = 0
    last_edited: str | None = None
    roles: list[tuple[int, str]] = field(default_factory=list)


def split_authors(byline: str) -> list[str]:
    """The names in a byline, without "By"/"Story by" and e-mail addresses.

    >>> split_authors("Story by rrommen@insider.com (Rebecca Rommen)")
    ['Rebecca Rommen']
    >>> split_authors("By Kareem Fahim, Mustafa Salim, Missy Ryan and Abigail Hauslohner")
    ['Kareem Fahim', 'Mustafa Salim', 'Missy Ryan', 'Abigail Hauslohner']
    """
    text = _EMAIL_NAME.sub(lambda m: m["name"], _BY.sub("", byline.strip()))
    return [name.strip() for name in _NAME_SPLIT.split(text) if name.strip()]


def looks_like_byline(line: str) -> bool:
    """A byline: "By ...", "Story by ...", an e-mail with a name, or a short list of personal names.

    >>> looks_like_byline("Jane Arraf and Eric Schmitt"), looks_like_byline("The attack came at night.")
    (True, False)
    """
    if len(line) > _BYLINE_MAX_CHARS:
        return False
    if _BY.match(line) or _EMAIL_NAME.search(line):
        return True
    if line.endswith((".", "!", "?", ":", ",")):
        return False
    names = split_authors(line)
    return bool(names) and all(_NAME.match(name) for name in names)


def _looks_like_outlet(line: str) -> bool:
    return (len(line.split()) <= _OUTLET_MAX_WORDS and not line.endswith((".", "!", "?", ":", ","))
            and not _QUOTED.match(line) and not _URL.match(line))


def _headline(line: str) -> str | None:
    match = _QUOTED.match(line)
    return match["inner"].strip() if match else None


def parse_content(lines: list[Line]) -> PostContent:
    """Read a post's lines (after its 'Post by' line, chrome removed) into its fields."""
    out = PostContent()
    rest: list[Line] = []
    index = 0
    while index < len(lines):
        number, text = lines[index]
        index += 1
        if not text:
            rest.append((number, text))
        elif _last_edited(text):
            out.last_edited = text
            out.roles.append((number, "last_edited"))
        elif match := _WROTE.match(text):
            index = _read_quote(lines, index, number, match, out)
        else:
            rest.append((number, text))
    _read_article([(n, t) for n, t in rest if t], out)
    return out


def _read_quote(lines: list[Line], index: int, number: int, match: re.Match, out: PostContent) -> int:
    """Read a quoted reply: the 'wrote:' line, an optional time line, then one paragraph."""
    out.roles.append((number, "quotes"))
    time_text = match["time"].strip()
    if not time_text and index < len(lines) and parse_post_time(lines[index][1]):
        time_text = lines[index][1]
        out.roles.append((lines[index][0], "quotes"))
        index += 1
    quoted = []
    while index < len(lines) and lines[index][1]:
        quoted.append(lines[index][1])
        out.roles.append((lines[index][0], "quotes"))
        index += 1
    out.quotes.append(Quote(author=match["who"].strip(), text="\n".join(quoted),
                            time=parse_post_time(time_text) if time_text else None))
    return index


def _find_header(lines: list[Line]) -> tuple[int | None, int | None]:
    """Indexes of the headline and the date line among non-blank lines (either may be None)."""
    for d, (_, text) in enumerate(lines):
        if parse_date_line(text):
            for h in range(d - 1, max(-1, d - 1 - _HEADER_SPAN), -1):
                if _headline(lines[h][1]):
                    return h, d
            return None, d
    for h, (_, text) in enumerate(lines):
        # Without a date line, a quoted line counts as a headline only under an outlet line.
        if _headline(text) and (h == 0 or _looks_like_outlet(lines[h - 1][1])):
            return h, None
    return None, None


def _read_article(lines: list[Line], out: PostContent) -> None:
    headline_at, date_at = _find_header(lines)
    if headline_at is None and date_at is None:
        _read_comment_only(lines, out)
        return
    before: list[Line] = []
    if headline_at is not None:
        out.headline = _headline(lines[headline_at][1])
        out.roles.append((lines[headline_at][0], "headline"))
        first = headline_at
        if headline_at > 0 and _looks_like_outlet(lines[headline_at - 1][1]):
            out.outlet = lines[headline_at - 1][1]
            out.roles.append((lines[headline_at - 1][0], "outlet"))
            first -= 1
        before = lines[:first]
        byline_lines = lines[headline_at + 1:date_at] if date_at is not None else []
        if date_at is None and headline_at + 1 < len(lines) and looks_like_byline(lines[headline_at + 1][1]):
            byline_lines = [lines[headline_at + 1]]
        body_from = headline_at + 1 + len(byline_lines)
    else:
        # A date line with no quoted headline: byline, headline, outlet read upwards from it.
        byline_lines = [lines[date_at - 1]] if date_at > 0 and looks_like_byline(lines[date_at - 1][1]) else []
        first = date_at - len(byline_lines)
        if first > 0:
            out.headline = lines[first - 1][1]
            out.roles.append((lines[first - 1][0], "headline"))
            first -= 1
            if first > 0 and _looks_like_outlet(lines[first - 1][1]):
                out.outlet = lines[first - 1][1]
                out.roles.append((lines[first - 1][0], "outlet"))
                first -= 1
        before = lines[:first]
    if date_at is not None:
        out.published = parse_date_line(lines[date_at][1])
        out.roles.append((lines[date_at][0], "published"))
        body_from = date_at + 1
    if byline_lines:
        out.byline = " ".join(text for _, text in byline_lines)
        out.authors = split_authors(out.byline)
        out.roles.extend((number, "authors") for number, _ in byline_lines)
    _read_body(lines[body_from:], out, before)


def _read_body(lines: list[Line], out: PostContent, before: list[Line]) -> None:
    url_at = max((i for i, (_, text) in enumerate(lines) if _URL.match(text)), default=None)
    after: list[Line] = []
    if url_at is not None:
        out.url = lines[url_at][1]
        out.roles.append((lines[url_at][0], "url"))
        lines, after = lines[:url_at], lines[url_at + 1:]
    paragraphs = [text for _, text in lines]
    if paragraphs and (match := _DATELINE.match(paragraphs[0])) and len(paragraphs[0]) > match.end():
        out.dateline = match["place"].strip()
        paragraphs[0] = paragraphs[0][match.end():]
    out.n_paragraphs = len(paragraphs)
    out.body = "\n\n".join(paragraphs) or None
    out.roles.extend((number, "body") for number, _ in lines)
    if lines and out.dateline:
        out.roles[-len(lines)] = (lines[0][0], "dateline+body")
    _set_commentary(before + after, out)


def _read_comment_only(lines: list[Line], out: PostContent) -> None:
    """A post with no article: its lines are the poster's words (and a link, if one ends it)."""
    if lines and _URL.match(lines[-1][1]):
        out.url = lines[-1][1]
        out.roles.append((lines[-1][0], "url"))
        lines = lines[:-1]
    _set_commentary(lines, out)


def _set_commentary(lines: list[Line], out: PostContent) -> None:
    if lines:
        out.commentary = "\n\n".join(text for _, text in lines)
        out.roles.extend((number, "commentary") for number, _ in lines)
