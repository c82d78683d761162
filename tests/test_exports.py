"""Threads as users have them (issue 22, first part): a saved phpBB page, a Discourse topic's JSON and
a Reddit thread's JSON give the posts and tables that the same thread copied as text gives; quotes
are kept apart; what is none of these is one line."""

import json

import pytest
from conftest import ROOT

import threadlib
from threadlib.errors import ThreadFormatError

FORUMS = ROOT / "tests" / "fixtures" / "forums"
COPIED = {"iraq": ROOT / "data" / "threads" / "iraq.txt", "practice_sahel": ROOT / "data" / "threads" / "practice_sahel.txt"}
# What a copied page and an export both carry (an export has no post count or join date, no subject
# on replies, and always a post time; line numbers are the text file's).
SHARED_FIELDS = ["author", "author_rank", "commentary", "quotes", "outlet", "headline", "authors", "published",
                 "dateline", "body", "url", "n_paragraphs", "last_edited"]


@pytest.mark.parametrize("engine", ["phpbb.html", "xenforo.html", "discourse.json", "reddit.json"])
@pytest.mark.parametrize("name", sorted(COPIED))
def test_a_page_or_an_export_gives_the_posts_and_tables_of_the_text_copy(name, engine):
    copied = threadlib.load_thread(COPIED[name])
    exported = threadlib.load_thread(FORUMS / f"{name}.{engine}")
    assert exported.title == copied.title and len(exported) == len(copied)
    shared = SHARED_FIELDS + {"phpbb.html": ["subject", "author_posts", "author_joined"],
                              "xenforo.html": ["author_posts", "author_joined"]}.get(engine, [])
    assert exported.posts[shared].equals(copied.posts[shared])
    for kind in ("troops", "attacks", "positions"):
        assert getattr(threadlib, kind)(exported).equals(getattr(threadlib, kind)(copied)), kind
    assert threadlib.shifts(threadlib.positions(exported)).equals(threadlib.shifts(threadlib.positions(copied)))


def test_discourse_posts_keep_author_time_quotes_and_link_previews():
    cooked = ('<aside class="quote no-group" data-username="ann" data-post="1" data-topic="7">\n'
              '<div class="title">\n<img alt="" src="/a.png"> ann:</div>\n<blockquote>\n'
              '<p>They will never leave.</p>\n</blockquote>\n</aside>\n<p>They are leaving <em>now</em>.</p>\n'
              '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n'
              '<aside class="onebox allowlistedgeneric" data-onebox-src="https://news.example/a">'
              '<header class="source"><a href="https://news.example/a">news.example</a></header></aside>')
    topic = {"title": "T", "post_stream": {"posts": [
        {"post_number": 2, "username": "bob", "created_at": "2024-01-19T17:05:09.512Z", "cooked": cooked,
         "user_title": "Regular"},
        {"post_number": 1, "username": "ann", "created_at": "2024-01-19T10:00:00Z", "cooked": "<p>Hello.</p>"}]}}
    thread = threadlib.load_thread(json.dumps(topic))
    first, second = thread
    assert (first.author, first.post_time, first.commentary) == ("ann", "2024-01-19T10:00:00", "Hello.")
    assert (second.author, second.author_rank, second.post_time) == ("bob", "Regular", "2024-01-19T17:05:09")
    assert [(q.author, q.text) for q in second.quotes] == [("ann", "They will never leave.")]
    assert second.commentary.startswith("They are leaving now.") and "one" in second.commentary
    assert second.url == "https://news.example/a"


def test_reddit_comments_come_in_page_order_with_quotes_apart():
    def comment(name, body, when, replies=""):
        return {"kind": "t1", "data": {"author": name, "body": body, "created_utc": when, "replies": replies}}

    replies = {"kind": "Listing", "data": {"children": [comment("cat", "Agreed.", 1705700000)]}}
    thread = [
        {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {
            "title": "US troops in Iraq", "author": "ann", "created_utc": 1705600000, "is_self": False,
            "selftext": "", "url": "https://news.example/iraq"}}]}},
        {"kind": "Listing", "data": {"children": [
            comment("bob", "> They will stay\n\nThey say so every year &amp; stay.", 1705650000, replies),
            comment("[deleted]", "gone", 1705800000), {"kind": "more", "data": {"count": 3}}]}},
    ]
    posts = list(threadlib.load_thread(json.dumps(thread)))
    assert [p.author for p in posts] == ["ann", "bob", "cat", None]  # the reply right after its parent
    assert posts[0].subject == "US troops in Iraq" and posts[0].url == "https://news.example/iraq"
    assert posts[0].post_time == "2024-01-18T17:46:40"
    assert [q.text for q in posts[1].quotes] == ["They will stay"]
    assert posts[1].commentary == "They say so every year & stay."


@pytest.mark.parametrize(("text", "message"), [
    ('{"post_stream": {"posts": [}', "not valid JSON (line 1, column 28)"),
    ('{"name": "a package.json"}', "JSON, but not a forum export threadlib reads"),
    ('{"title": "T", "post_stream": {"posts": []}}', "a discourse-json export with no posts"),
    ('[{"kind": "Listing", "data": {"children": []}}]', "JSON, but not a forum export"),
])
def test_json_that_is_not_an_export_is_one_line_naming_the_file(tmp_path, text, message):
    path = tmp_path / "topic.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ThreadFormatError) as info:
        threadlib.load_thread(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value) and "\n" not in str(info.value)


def test_a_format_that_is_asked_for_is_the_one_read():
    topic = (FORUMS / "practice_sahel.discourse.json").read_text(encoding="utf-8")
    assert len(threadlib.load_thread(topic, format="discourse-json")) == 2
    with pytest.raises(ThreadFormatError, match="is a discourse-json export, not reddit-json"):
        threadlib.load_thread(topic, format="reddit-json")
    with pytest.raises(ThreadFormatError, match="no posts found.*the formats read are: text, phpbb-html, xenforo-html, discourse-json"):
        threadlib.load_thread(topic, format="text")
    with pytest.raises(ValueError, match="unknown format 'xenforo'"):
        threadlib.load_thread(topic, format="xenforo")


def test_an_export_goes_through_the_command_line_and_the_corpus(tmp_path):
    from threadlib.cli import main

    out = tmp_path / "troops.csv"
    assert main(["extract", "troops", str(FORUMS / "iraq.reddit.json"), str(COPIED["iraq"]), "-o", str(out),
                 "--jobs", "1"]) == 0
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * 17  # both threads, the same 17 mentions each


def test_a_copied_page_whose_title_opens_with_a_bracket_is_text():
    text = "[Merged] IRAQ\n\nann\nPosts: 3\n\nRe: IRAQ\n\nPost by ann »\n\nHello all.\n"
    thread = threadlib.load_thread(text)
    assert thread.title == "[Merged] IRAQ" and thread[0].commentary == "Hello all."


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": 5}]}}]',
                                  '{"post_stream": {"posts": {"a": 1}}}',
                                  '{"title": 7, "post_stream": {"posts": [{"cooked": 3, "created_at": "year 99999"}]}}'])
def test_hostile_exports_are_one_line_or_read(text):
    try:
        thread = threadlib.load_thread(text)
    except ThreadFormatError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(post.post_time is None for post in thread)


def test_a_phpbb_page_keeps_quotes_apart_and_a_login_page_is_one_line(tmp_path):
    page = (FORUMS / "practice_sahel.phpbb.html").read_text(encoding="utf-8")
    quoted = page.replace('<div class="content">', '<div class="content"><blockquote><div><cite>'
                          '<a href="./memberlist.php?u=3">ann</a> wrote: <a href="#p1">\u2191</a><span '
                          'class="responsive-hide">Mon Feb 14, 2022 8:00 am</span></cite>They will '
                          '<strong>never</strong> leave.</div></blockquote>', 1)
    first = threadlib.load_thread(quoted)[0]
    assert [(q.author, q.text, q.time) for q in first.quotes] == [("ann", "They will never leave.", "2022-02-14T08:00:00")]
    assert first.commentary == "Practice text, not real news."
    login = tmp_path / "login.html"
    login.write_text('<!DOCTYPE html><html><body id="phpbb" class="section-ucp"><form id="login">'
                     '<input name="username"></form></body></html>', encoding="utf-8")
    with pytest.raises(ThreadFormatError, match="a phpBB page with no posts .a login or error page"):
        threadlib.load_thread(login)
    other = tmp_path / "vbulletin.html"
    other.write_text('<!DOCTYPE html>\n<html dir="ltr" lang="en">\n<body class="vb5">\n<div id="postlist">\n'
                     '</div></body></html>\n', encoding="utf-8")
    with pytest.raises(ThreadFormatError, match="not a saved page of an engine threadlib reads .phpBB, XenForo."):
        threadlib.load_thread(other)


def test_a_xenforo_page_keeps_quotes_apart():
    page = (FORUMS / "practice_sahel.xenforo.html").read_text(encoding="utf-8")
    quoted = page.replace('<div class="bbWrapper">', '<div class="bbWrapper"><blockquote data-attributes="member: 3" '
                          'data-quote="ann" data-source="post: 500" class="bbCodeBlock bbCodeBlock--expandable '
                          'bbCodeBlock--quote js-expandWatch"><div class="bbCodeBlock-title"><a href="/goto/post?id=500" '
                          'class="bbCodeBlock-sourceJump">ann said:</a></div><div class="bbCodeBlock-content">'
                          '<div class="bbCodeBlock-expandContent js-expandContent ">They will <b>never</b> leave.'
                          '</div><div class="bbCodeBlock-expandLink js-expandLink"><a role="button">Click to expand...'
                          '</a></div></div></blockquote>', 1)
    first = threadlib.load_thread(quoted)[0]
    assert [(q.author, q.text) for q in first.quotes] == [("ann", "They will never leave.")]
    assert first.commentary == "Practice text, not real news." and first.author_posts == 412
