"""Read a plain-text copy of a forum thread (phpBB and alike) into posts.

A post starts with its author's profile block and subject, then the 'Post by NAME »' line:

    thelivyjr                  author
    Site Admin                 rank (optional)
    Posts: 73424               post count
    Joined: Thu Aug 30, ...    join date (as printed)

    Re: IRAQ                   subject

    Post by thelivyjr » Tue Mar 13, 2018 4:05 pm      (the time is optional)

and runs to the next post's profile block. The thread is read line by line, one post at a time,
so memory grows with the posts kept, not with a copy of the whole file.
"""

from __future__ import annotations

import dataclasses
import itertools
import hashlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from . import lexicon
from .article import Quote, parse_content
from .dates import parse_post_time
from .errors import ThreadFormatError
from .exports import FORMATS, looks_like_json, read_export
from .pages import engine_of, read_page
from .reading import SourceLike, is_text_source, read_lines, source_name

if TYPE_CHECKING:
    import pandas as pd

Line = tuple[int, str]

# The line that opens a post: "Post by NAME »" with an optional time after the ».
# (The author ends at a non-space before the first "»", found without re-scanning runs of spaces.)
_POST_BY = re.compile(r"^(?:Post\s+)?by\s+(?P<author>[^»\s](?:[^»]*[^»\s])?)\s*»\s*(?P<time>.*)$")
# "Label: value" lines of an author's profile block.
_PROFILE_FIELD = re.compile(r"^(?P<label>Posts|Joined|Location|Contact|Has thanked|Been thanked|"
                            r"Website|Occupation|Interests|Age|Gender)\s*:\s*(?P<value>.*)$", re.IGNORECASE)
_MAX_RANK_LINES = 2  # lines between the author's name and the first profile field

# Columns of the posts table, in order, with their pandas dtypes.
POST_DTYPES = {
    "post_id": "Int64", "author": "string", "author_rank": "string", "author_posts": "Int64",
    "author_joined": "string", "author_details": "object", "post_time": "datetime64[s]", "subject": "string",
    "commentary": "string", "quotes": "object", "outlet": "string", "headline": "string",
    "authors": "object", "published": "datetime64[s]", "dateline": "string", "body": "string",
    "url": "string", "line_start": "Int64", "line_end": "Int64", "n_paragraphs": "Int64",
    "last_edited": "string",
}


@dataclass
class Post:
    """One post: who wrote it, when, the poster's own words and the article it reposts."""

    post_id: int
    author: str | None = None
    author_rank: str | None = None
    author_posts: int | None = None
    author_joined: str | None = None
    author_details: dict[str, str] = field(default_factory=dict)
    post_time: str | None = None
    subject: str | None = None
    commentary: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    outlet: str | None = None
    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    dateline: str | None = None
    body: str | None = None
    url: str | None = None
    line_start: int = 0
    line_end: int = 0
    n_paragraphs: int = 0
    last_edited: str | None = None

    def to_record(self) -> dict:
        """The post as a JSON-ready dict (dates as ISO strings, quotes as dicts)."""
        return dataclasses.asdict(self)


@dataclass
class Thread:
    """A parsed thread: its title, its posts (iterate, index, ``len``), and the posts table.

    ``line_roles`` (kept when loaded with ``trace=True``) maps each non-blank input line to the
    field it went to, or to ``chrome``/``title`` for forum furniture.
    """

    source: str
    title: str | None
    post_list: list[Post]
    preamble: list[str] = field(default_factory=list)
    line_roles: dict[int, str] | None = None

    def __iter__(self) -> Iterator[Post]:
        return iter(self.post_list)

    def __len__(self) -> int:
        return len(self.post_list)

    def __getitem__(self, index: int) -> Post:
        return self.post_list[index]

    def __repr__(self) -> str:
        return f"Thread({self.title!r}, {len(self.post_list)} posts, source={self.source!r})"

    def _repr_html_(self) -> str:
        """A notebook's view: the title and a short table of the posts (all of it escaped)."""
        import html

        columns = ["post_id", "author", "post_time", "outlet", "headline", "published"]
        table = self.posts[columns].to_html(index=False, escape=True, na_rep="", max_rows=20)
        return (f"<p><strong>{html.escape(str(self.title or 'a thread'))}</strong>: {len(self.post_list)} posts "
                f"from <code>{html.escape(self.source)}</code></p>{table}")

    @cached_property
    def posts(self) -> pd.DataFrame:
        """The posts table: one row a post, dates as datetime64, text as string."""
        return posts_frame(self.post_list)


def as_thread(thread) -> Thread | StreamedThread:
    """A thread from what a user may hand an extractor: a `Thread` (or a streamed one), a path, or
    the thread's text."""
    if isinstance(thread, (str, os.PathLike)):
        return load_thread(thread)
    return thread


def posts(thread: Thread) -> pd.DataFrame:
    """The posts table of a thread (the same as ``thread.posts``)."""
    return thread.posts


def posts_frame(post_list: list[Post]) -> pd.DataFrame:
    """Build the posts table with proper dtypes from a list of posts."""
    import pandas as pd  # only what makes a table needs pandas (start-up of the CLI)

    frame = pd.DataFrame([post.to_record() for post in post_list], columns=list(POST_DTYPES))
    for column, dtype in POST_DTYPES.items():
        if dtype.startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column]).astype(dtype)
        elif dtype != "object":
            frame[column] = frame[column].astype(dtype)
    return frame


def load_thread(source: SourceLike, *, trace: bool = False, format: str = "auto") -> Thread:  # noqa: A002
    """Read a thread from a path or from its text: a page copied as text, or a forum's JSON export
    (a Discourse topic, a Reddit thread; see `exports`), told apart by its content unless ``format``
    (``"text"``, ``"discourse-json"``, ``"reddit-json"``) says which.

    Raises `ThreadFormatError` (a ``ValueError``) with a one-line message for input that is
    not a thread: missing, empty, binary, not UTF-8, HTML, or with no 'Post by' lines.

    >>> thread = load_thread("IRAQ\\n\\nann\\nPosts: 3\\n\\nRe: IRAQ\\n\\nPost by ann »\\n\\nHello all.\\n")
    >>> thread.title, len(thread), thread[0].author, thread[0].commentary
    ('IRAQ', 1, 'ann', 'Hello all.')
    """
    roles: dict[int, str] | None = {} if trace else None
    reader = _PostReader(source, roles, form=format)
    post_list = list(reader)
    return Thread(source=source_name(source), title=reader.title, post_list=post_list,
                  preamble=reader.preamble, line_roles=roles)


def iter_posts(source: SourceLike) -> Iterator[Post]:
    """Yield the posts of a thread one at a time, holding only one post's lines in memory."""
    return iter(_PostReader(source, None))


def post_batches(posts: Iterable[Post], size: int) -> Iterator[list[Post]]:
    """The posts in lists of ``size`` (the last one shorter), read as they are needed.

    >>> [len(batch) for batch in post_batches(range(450), 200)]
    [200, 200, 50]
    """
    iterator = iter(posts)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class StreamedThread:
    """A thread that is read again from its file, one post at a time, each time it is iterated:
    the extractors go over it in batches, so memory holds a batch of posts, not the thread.

    ``title`` and errors in the file's opening (missing, binary, no posts) are known on creation.
    """

    def __init__(self, path: str | os.PathLike):
        self.source = source_name(path)
        self.path = path
        reader = _PostReader(path, None)
        self.first_post = next(iter(reader))  # reads the preamble (the title); raises for a bad file
        self.read_sha256: str | None = None  # the SHA-256 of what the last whole pass over the file read
        self.title = reader.title
        self.preamble = reader.preamble

    def __iter__(self) -> Iterator[Post]:
        digest = hashlib.sha256()
        self.read_sha256 = None
        yield from _PostReader(self.path, None, digest)
        self.read_sha256 = digest.hexdigest()  # of the bytes of a whole pass, once it is complete


CHROME_MAX = 200  # forum furniture is a short line: a longer one is never tried against its patterns


def _chrome_patterns() -> re.Pattern:
    rows = lexicon.load("forum_chrome")
    return re.compile("|".join(f"(?:{row['pattern']})" for row in rows), re.IGNORECASE)


def _is_chrome(pattern: re.Pattern, text: str) -> bool:
    """Whether a line is forum furniture; a long line is not tried, so that no pattern of the lexicon
    (the user's too) can take more than constant time on one."""
    return len(text) <= CHROME_MAX and pattern.fullmatch(text) is not None


class _PostReader:
    """Group the thread's lines into posts and parse each one as soon as it is complete."""

    def __init__(self, source: SourceLike, roles: dict[int, str] | None, digest=None, form: str = "auto"):
        if form not in ("auto", *FORMATS):
            raise ValueError(f"unknown format {form!r}; use auto or {', '.join(FORMATS)}")
        self.name = source_name(source)
        self.form = form
        self.source, self.digest = source, digest
        self.lines = read_lines(source, digest)
        self.roles = roles
        self.chrome = _chrome_patterns()
        self.title: str | None = None
        self.preamble: list[str] = []

    def __iter__(self) -> Iterator[Post]:
        if self.form in ("auto", "phpbb-html", "xenforo-html") and (page := self._saved_page()) is not None:
            self.title, exported = read_page(page, self.name)
            yield from self._posts_of(exported)
            return
        if self.form.endswith("-html"):
            raise ThreadFormatError(f"{self.name}: is not a saved page of an engine threadlib reads; the formats are: "
                                    f"{', '.join(FORMATS)}")
        lines = iter(self.lines)
        head: list[Line] = []
        for number, text in lines:  # up to the first line with text: a JSON export opens with { or [
            head.append((number, text))
            if text:
                break
        lines = itertools.chain(head, lines)
        if self.form != "text" and head and (self.form != "auto" or looks_like_json(head[-1][1])):
            yield from self._exported(lines)
        else:
            yield from self._copied(lines)

    def _saved_page(self) -> str | None:
        """The markup of a saved page of a forum engine threadlib reads (`pages`), or None (then the
        text reader goes on, and refuses any other HTML page)."""
        if is_text_source(self.source):
            return self.source if engine_of(self.source[:1 << 16]) else None
        if self.source == "-":
            return None
        try:
            if not stat.S_ISREG(os.stat(self.source).st_mode):
                return None  # a pipe or a FIFO is read once, by the text reader: never sniffed
            with open(self.source, "rb") as handle:
                head = handle.read(1 << 16)
                if not engine_of(head.decode("utf-8", "replace")):
                    return None
                data = head + handle.read()
        except OSError:
            return None  # the text reader says what is wrong with the path
        if self.digest is not None:
            self.digest.update(data)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ThreadFormatError(f"{self.name}: a saved page that is not UTF-8 (byte {exc.start}); save it "
                                    "again as UTF-8") from None

    def _exported(self, lines: Iterable[Line]) -> Iterator[Post]:
        """The posts of a forum's JSON export (`exports`), read as the text reader reads a post."""
        self.title, exported = read_export("\n".join(text for _, text in lines), self.name, self.form)
        yield from self._posts_of(exported)

    def _posts_of(self, exported: list) -> Iterator[Post]:
        for post_id, part in enumerate(exported, start=1):
            post = Post(post_id=post_id, author=part.author, post_time=part.post_time, subject=part.subject,
                        author_rank=part.author_rank, author_posts=part.author_posts,
                        author_joined=part.author_joined)
            self._fill(post, parse_content(list(enumerate(part.lines, start=1))))
            post.quotes = post.quotes + part.quotes
            yield post

    def _copied(self, lines: Iterable[Line]) -> Iterator[Post]:
        """The posts of a thread copied from a page as text ('Post by NAME »' lines)."""
        buffer: list[Line] = []
        opening: Line | None = None  # the 'Post by' line of the post being read
        header: list[Line] = []
        post_id = 0
        for number, text in lines:
            match = _POST_BY.match(text) if "»" in text else None
            if not match:
                buffer.append((number, text))
                continue
            start = _header_start(buffer, match["author"])
            if opening is None:
                self._read_preamble(buffer[:start])
            else:
                post_id += 1
                yield self._post(post_id, header, opening, buffer[:start])
            header, opening, buffer = buffer[start:], (number, text), []
        if opening is None:
            raise ThreadFormatError(
                f"{self.name}: no posts found; a thread copied as text has lines like 'Post by NAME »' "
                f"(see data/threads/iraq.txt); the formats read are: {', '.join(FORMATS)}")
        yield self._post(post_id + 1, header, opening, buffer)

    def _role(self, number: int, role: str) -> None:
        if self.roles is not None:
            self.roles[number] = role

    def _read_preamble(self, lines: list[Line]) -> None:
        for number, text in lines:
            if not text:
                continue
            if _is_chrome(self.chrome, text):
                self._role(number, "chrome")
            elif self.title is None:
                self.title = text
                self._role(number, "title")
            else:
                self.preamble.append(text)
                self._role(number, "preamble")

    def _post(self, post_id: int, header: list[Line], opening: Line, content: list[Line]) -> Post:
        number, text = opening
        match = _POST_BY.match(text)
        post = Post(post_id=post_id, author=match["author"], line_start=(header or [opening])[0][0])
        self._role(number, "post_by")
        if time_text := match["time"].strip():
            post.post_time = parse_post_time(time_text)
        self._read_header(header, post)
        content = self._trim_chrome(content)
        post.line_end = content[-1][0] if content else number
        if _profile_follows(content, post.author):
            content = self._read_profile_after(content, post)
        self._fill(post, parse_content(content))
        return post

    def _fill(self, post: Post, parsed) -> None:
        """A post's own words, quotes and article, from `article.parse_content`."""
        for name in ("commentary", "quotes", "outlet", "headline", "authors", "published",
                     "dateline", "body", "url", "n_paragraphs", "last_edited"):
            setattr(post, name, getattr(parsed, name))
        for line_number, role in parsed.roles:
            self._role(line_number, role)

    def _read_header(self, header: list[Line], post: Post) -> None:
        """The profile block (author, rank, counts) and the subject line before 'Post by'."""
        lines = [(n, t) for n, t in header if t]
        if lines and not _PROFILE_FIELD.match(lines[-1][1]):
            number, post.subject = lines.pop()
            self._role(number, "subject")
        self._read_profile(lines, post)

    def _read_profile(self, lines: list[Line], post: Post) -> None:
        for index, (number, text) in enumerate(lines):
            if field_match := _PROFILE_FIELD.match(text):
                label, value = field_match["label"].lower(), field_match["value"].strip()
                if label == "posts" and value.replace(",", "").isdigit():
                    post.author_posts = int(value.replace(",", ""))
                elif label == "joined":
                    post.author_joined = value
                else:
                    post.author_details[field_match["label"]] = value
                self._role(number, f"author_{label}" if label in ("posts", "joined") else "author_details")
            elif index == 0:
                self._role(number, "author")  # the name line; the 'Post by' line gives the name
            else:
                post.author_rank = text if post.author_rank is None else f"{post.author_rank} / {text}"
                self._role(number, "author_rank")

    def _read_profile_after(self, content: list[Line], post: Post) -> list[Line]:
        """Styles that print the profile block after the 'Post by' line: name, rank, fields."""
        start = next(i for i, (_, text) in enumerate(content) if text)
        end = start + 1
        while end < len(content) and content[end][1] and (
                _PROFILE_FIELD.match(content[end][1]) or end - start <= _MAX_RANK_LINES):
            end += 1
        self._read_profile(content[start:end], post)
        return content[end:]

    def _trim_chrome(self, content: list[Line]) -> list[Line]:
        """Drop the run of blank, chrome and repeated-title lines that ends a post."""
        end = len(content)
        while end and (not content[end - 1][1] or _is_chrome(self.chrome, content[end - 1][1])
                       or content[end - 1][1] == self.title):
            number, text = content[end - 1]
            if text:
                self._role(number, "title" if text == self.title else "chrome")
            end -= 1
        return content[:end]


def _header_start(buffer: list[Line], author: str) -> int:
    """Where the next post's header (profile block, subject) begins at the end of ``buffer``.

    Walks up from the 'Post by' line: blank lines, the subject, blank lines, then the profile
    fields (Posts:, Joined: ...), at most two rank lines, and the author's name.
    """
    index = len(buffer)
    while index and not buffer[index - 1][1]:
        index -= 1
    if index and not _PROFILE_FIELD.match(buffer[index - 1][1]):
        subject_at = index - 1
        probe = subject_at
        while probe and not buffer[probe - 1][1]:
            probe -= 1
        if probe and _PROFILE_FIELD.match(buffer[probe - 1][1]):
            index = probe
        elif not _looks_like_subject(buffer[subject_at][1]):
            return len(buffer)  # no profile and no subject: the header is the 'Post by' line alone
        else:
            return subject_at
    fields_end = index
    while index and _PROFILE_FIELD.match(buffer[index - 1][1]):
        index -= 1
    if index == fields_end:
        return index
    for back in range(1, _MAX_RANK_LINES + 2):
        if index - back >= 0 and buffer[index - back][1].casefold() == author.casefold():
            return index - back
    return index


def _profile_follows(content: list[Line], author: str) -> bool:
    """Whether the post's first lines are its author's profile block (name, then fields)."""
    lines = [text for _, text in content if text][:_MAX_RANK_LINES + 2]
    return (len(lines) >= 2 and lines[0].casefold() == author.casefold()
            and any(_PROFILE_FIELD.match(text) for text in lines[1:]))


def _looks_like_subject(text: str) -> bool:
    return text.lower().startswith("re:")
