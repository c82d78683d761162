"""Threads from the exports that forums serve as JSON: a Discourse topic (``/t/SLUG/ID.json``) and a
Reddit thread (``/comments/ID.json``).

Each post becomes the parts the text reader finds in a copied page (author, time, subject, the
poster's words, quotes of earlier posts kept apart), and its text goes through the same article
reader (`article.parse_content`), so that an outlet, headline, byline, date, dateline, body and link
pasted into a post come out as they do from a text copy. Discourse's posts are HTML (``cooked``),
read with selectolax (the Lexbor parser): one line a block (paragraph, heading, list item), a quote
of another post (``aside.quote``) kept apart with its author, a link preview (``aside.onebox``) as
its address. Reddit's are Markdown: one line a paragraph, a ``>`` quote kept apart (Reddit's quotes
name no one).

Times are given in UTC by both; they are written as the text reader writes a post's time
(``2022-02-14T09:02:00``), without a zone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

from .article import Quote
from .errors import ThreadFormatError

FORMATS = ("text", "phpbb-html", "xenforo-html", "discourse-json", "reddit-json")  # what `load_thread(format=...)` takes; "auto" finds it


@dataclass
class ExportedPost:
    """One post of an export, before its text is read as an article."""

    author: str | None
    post_time: str | None
    subject: str | None = None
    author_rank: str | None = None
    author_posts: int | None = None
    author_joined: str | None = None
    lines: list[str] = field(default_factory=list)  # its own text, a line a paragraph, "" between
    quotes: list[Quote] = field(default_factory=list)


_JSON_OPENING = re.compile(r"\{|\[\s*(?:[{\[\]\"]|$)")


def looks_like_json(first_line: str) -> bool:
    """Whether a file whose first non-blank line is this is a JSON export: a brace, or a bracket
    and what a JSON array holds (a copied page's title may open with "[Merged] ...").

    >>> looks_like_json('[{"kind": "Listing"'), looks_like_json("{"), looks_like_json("[Merged] IRAQ")
    (True, True, False)
    """
    return _JSON_OPENING.match(first_line) is not None


def read_export(text: str, name: str, wanted: str = "auto") -> tuple[str | None, list[ExportedPost]]:
    """The title and posts of a JSON export; `ThreadFormatError` (one line, naming the file and,
    for broken JSON, the line) for anything else."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ThreadFormatError(f"{name}: JSON nested too deeply to be a forum export") from None
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        raise ThreadFormatError(f"{name}: not valid JSON{where}: {getattr(exc, 'msg', exc)}; an export must be "
                                f"the whole file a forum serves") from None
    found = ("discourse-json" if isinstance(data, dict) and isinstance(data.get("post_stream"), dict)
             else "reddit-json" if _is_reddit(data) else None)
    if found is None or wanted not in ("auto", found):
        raise ThreadFormatError(
            f"{name}: " + (f"is not a {wanted} export" if wanted != "auto" and found is None else
                           f"is a {found} export, not {wanted}" if found else "JSON, but not a forum export threadlib reads")
            + f"; the formats are: {', '.join(FORMATS)}")
    title, posts = (_discourse(data) if found == "discourse-json" else _reddit(data))
    if not posts:
        raise ThreadFormatError(f"{name}: a {found} export with no posts")
    return title, posts


def utc_time(value) -> str | None:
    """An ISO time or a Unix time (seconds) as ``YYYY-MM-DDTHH:MM:SS`` in UTC; None if neither."""
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            moment = dt.datetime.fromtimestamp(value, dt.UTC)
        elif isinstance(value, str):
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            moment = moment.astimezone(dt.UTC) if moment.tzinfo else moment
        else:
            return None
    except (ValueError, OverflowError, OSError):
        return None
    return moment.replace(tzinfo=None, microsecond=0).isoformat()


def _text(value) -> str:
    return value if isinstance(value, str) else ""


# Discourse ----------------------------------------------------------------------------------------

_BLOCKS = "p, h1, h2, h3, h4, h5, h6, li, pre, blockquote, aside.quote, aside.onebox, div.lightbox-wrapper"


def _discourse(data: dict) -> tuple[str | None, list[ExportedPost]]:
    posts = [post for post in data["post_stream"].get("posts") or [] if isinstance(post, dict)]
    posts.sort(key=lambda post: post.get("post_number") if isinstance(post.get("post_number"), int) else 0)
    out = []
    for post in posts:
        lines, quotes = _cooked(_text(post.get("cooked")))
        out.append(ExportedPost(author=_text(post.get("username")) or None, post_time=utc_time(post.get("created_at")),
                                author_rank=_text(post.get("user_title")) or None, lines=lines, quotes=quotes))
    return _text(data.get("title")) or None, out


def _cooked(markup: str) -> tuple[list[str], list[Quote]]:
    """A Discourse post's HTML as lines (a block each, "" between) and the quotes of other posts."""
    from selectolax.lexbor import LexborHTMLParser

    root = LexborHTMLParser(f"<body>{markup}</body>").body
    lines: list[str] = []
    quotes: list[Quote] = []
    if root is None:
        return lines, quotes
    for node in root.css(_BLOCKS):
        if _inside(node, ("aside", "blockquote")):
            continue  # read with the quote or preview it belongs to
        if node.tag == "aside" and "quote" in (node.attributes.get("class") or "").split():
            said = node.css_first("blockquote")
            quotes.append(Quote(author=node.attributes.get("data-username") or "",
                                text=" ".join((said or node).text(separator="").split())))
            continue
        if node.tag == "aside":  # a link's preview: its address, as a copied page shows the link
            link = node.attributes.get("data-onebox-src") or next(
                (a.attributes.get("href") for a in node.css("a[href]")), None)
            text = link or ""
        else:
            text = " ".join(node.text(separator="").split())
        if node.tag in ("li", "p") and node.parent is not None and node.parent.tag == "li":
            continue  # a paragraph inside a list item: the item is the line
        if text:
            lines += [text, ""]
    return lines, quotes


def _inside(node, tags: tuple[str, ...]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in tags:
            return True
        parent = parent.parent
    return False


# Reddit --------------------------------------------------------------------------------------------

def _is_reddit(data) -> bool:
    return (isinstance(data, list) and len(data) >= 1 and all(isinstance(part, dict) for part in data)
            and all(part.get("kind") == "Listing" for part in data)
            and any(child.get("kind") == "t3" for child in _children(data[0])))


def _children(listing) -> list[dict]:
    children = (listing.get("data") or {}).get("children") if isinstance(listing, dict) else None
    return [child for child in children or [] if isinstance(child, dict)]


def _reddit(data: list) -> tuple[str | None, list[ExportedPost]]:
    opening = next(child.get("data") for child in _children(data[0]) if child.get("kind") == "t3")
    opening = opening if isinstance(opening, dict) else {}
    title = _text(opening.get("title")) or None
    lines, quotes = _markdown(_text(opening.get("selftext")))
    link = _text(opening.get("url"))
    if link and not opening.get("is_self"):
        lines += [link, ""]
    posts = [ExportedPost(author=_author(opening), post_time=utc_time(opening.get("created_utc")), subject=title,
                          author_rank=_text(opening.get("author_flair_text")) or None, lines=lines, quotes=quotes)]
    for comment in _comments(data[1] if len(data) > 1 else {}):
        lines, quotes = _markdown(_text(comment.get("body")))
        posts.append(ExportedPost(author=_author(comment), post_time=utc_time(comment.get("created_utc")),
                                  author_rank=_text(comment.get("author_flair_text")) or None, lines=lines,
                                  quotes=quotes))
    return title, posts


def _author(item: dict) -> str | None:
    author = _text(item.get("author"))
    return author if author and author != "[deleted]" else None


def _comments(listing) -> list[dict]:
    """The comments in the order a page shows them: each followed by its replies (depth first)."""
    out, stack = [], list(reversed(_children(listing)))
    while stack:
        child = stack.pop()
        if child.get("kind") != "t1" or not isinstance(child.get("data"), dict):
            continue  # "more" stubs: comments the export left out
        out.append(child["data"])
        replies = child["data"].get("replies")
        stack += list(reversed(_children(replies))) if isinstance(replies, dict) else []
    return out


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _markdown(text: str) -> tuple[list[str], list[Quote]]:
    """Reddit's Markdown as lines (a paragraph each, "" between) and its ``>`` quotes."""
    lines: list[str] = []
    quotes: list[Quote] = []
    for paragraph in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip()):
        rows = [row.strip() for row in paragraph.split("\n") if row.strip()]
        if not rows:
            continue
        if all(row.startswith(">") for row in rows):
            quotes.append(Quote(author="", text=" ".join(row.lstrip("> ").strip() for row in rows)))
            continue
        lines += [" ".join(rows).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"), ""]
    return lines, quotes
