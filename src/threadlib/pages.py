"""Threads saved from a browser as HTML pages ("Save page as ..."), read with selectolax (Lexbor).

Read today:

* phpBB's default style (prosilver, 3.x): the topic's title (``h2.topic-title``), and for each
  post (``div.post``) its subject (``h3``), author and time (``p.author``, the ``time`` element's
  ``datetime``), the author's profile (``dl.postprofile``: rank, posts, joined) and its content
  (``div.content``), whose quotes of earlier posts (``blockquote`` with a ``cite`` "NAME wrote:")
  are kept apart;
* XenForo 2's default style: the thread's title (``h1.p-title-value``), and for each post
  (``article.message--post``) its author (``data-author``), time (``time.u-dt``), the author's
  title and "Joined"/"Messages" pairs, and its text (``div.bbWrapper``), whose quotes
  (``blockquote.bbCodeBlock--quote`` with ``data-quote``) are kept apart.

A post's text is a line a ``<br>`` and goes through the same article reader as a text copy. A page
of another engine is refused, naming the engines read.
"""

from __future__ import annotations

import re

from .article import Quote
from .dates import parse_post_time
from .errors import ThreadFormatError
from .exports import ExportedPost, utc_time

ENGINES = ("phpBB", "XenForo")
_PHPBB = re.compile(r"<body[^>]*\bid=[\"']phpbb[\"']", re.IGNORECASE)
_XENFORO = re.compile(r"<html[^>]*\bid=[\"']XF[\"']", re.IGNORECASE)
_WROTE = re.compile(r"\s*wrote:?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"[\d,]+")


def engine_of(head: str) -> str | None:
    """The engine whose page this is (from its first 64 KiB), or None."""
    return "phpBB" if _PHPBB.search(head) else "XenForo" if _XENFORO.search(head) else None


def read_page(markup: str, name: str) -> tuple[str | None, list[ExportedPost]]:
    """The title and posts of a saved page; `ThreadFormatError` for a page with none (a login or an
    error page saved by mistake)."""
    from selectolax.lexbor import LexborHTMLParser

    engine = engine_of(markup[:1 << 16]) or "phpBB"
    page = LexborHTMLParser(markup)
    if engine == "XenForo":
        posts = [_xenforo_post(node) for node in page.css("article.message--post")]
        title = page.css_first("h1.p-title-value")
    else:
        posts = [_post(node) for node in page.css("div.post") if (node.attributes.get("id") or "").startswith("p")]
        title = page.css_first("h2.topic-title")
    if not posts:
        raise ThreadFormatError(f"{name}: a {engine} page with no posts (a login or error page saved by mistake?); "
                                "save the page of the thread itself")
    return _text(title), posts


def _text(node) -> str | None:
    return " ".join(node.text(separator="").split()) or None if node is not None else None


def _post(node) -> ExportedPost:
    author = node.css_first("p.author a.username, p.author a.username-coloured, p.author strong, "
                            "dl.postprofile a.username, dl.postprofile a.username-coloured")
    time = node.css_first("p.author time")
    post = ExportedPost(author=_text(author), post_time=utc_time(time.attributes.get("datetime")) if time else None,
                        subject=_text(node.css_first("div.postbody h3")),
                        author_rank=_text(node.css_first("dd.profile-rank")))
    posts = _text(node.css_first("dd.profile-posts"))
    if posts and (digits := _DIGITS.search(posts.split(":", 1)[-1])):
        post.author_posts = int(digits.group().replace(",", ""))
    joined = _text(node.css_first("dd.profile-joined"))
    if joined:
        post.author_joined = joined.split(":", 1)[-1].strip()
    content = node.css_first("div.content")
    if content is not None:
        post.lines, post.quotes = _content(content)
    return post


def _xenforo_post(node) -> ExportedPost:
    time = node.css_first("header.message-attribution time.u-dt") or node.css_first("time.u-dt")
    post = ExportedPost(author=node.attributes.get("data-author") or _text(node.css_first("h4.message-name")),
                        post_time=utc_time(time.attributes.get("datetime")) if time else None,
                        author_rank=_text(node.css_first(".message-userTitle")))
    for pair in node.css(".message-userExtras dl.pairs"):
        label, value = _text(pair.css_first("dt")) or "", _text(pair.css_first("dd")) or ""
        if label.lower() == "joined":
            post.author_joined = value
        elif label.lower() in ("messages", "posts") and (digits := _DIGITS.search(value)):
            post.author_posts = int(digits.group().replace(",", ""))
    content = node.css_first("div.bbWrapper")
    if content is not None:
        quotes = []
        for quote in content.css("blockquote.bbCodeBlock--quote"):
            if _nested(quote):
                continue
            said = quote.css_first(".bbCodeBlock-expandContent") or quote.css_first(".bbCodeBlock-content") or quote
            quotes.append(Quote(author=quote.attributes.get("data-quote") or "", text=_text(said) or ""))
        post.lines, _ = _content(content)
        post.quotes = quotes
    return post


def _content(content) -> tuple[list[str], list[Quote]]:
    """A post's content as lines (one a ``<br>``) and the quotes of earlier posts."""
    quotes = []
    for quote in content.css("blockquote"):
        if _nested(quote):
            continue  # a quote inside a quote: part of the outer one
        cite = quote.css_first("cite")
        said_by = _WROTE.sub("", (cite.css_first("a") or cite).text(separator="")).strip() if cite else ""
        when = _text(cite.css_first("span")) if cite else None
        if cite is not None:
            cite.decompose()
        quotes.append(Quote(author=said_by, text=" ".join(quote.text(separator="").split()),
                            time=parse_post_time(when or "")))
    for quote in content.css("blockquote"):
        quote.decompose()
    for br in content.css("br"):
        br.replace_with("\n")
    return [" ".join(line.split()) for line in content.text(separator="").split("\n")], quotes


def _nested(node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag == "blockquote":
            return True
        parent = parent.parent
    return False
