"""The parser: the sample thread against the gold posts, and the variations of real phpBB copies."""

import json
import re

import pandas as pd
import pytest
from conftest import FIXTURE_THREADS, FIXTURES, SAMPLE

import threadlib
from threadlib.dates import parse_post_time
from threadlib.thread import POST_DTYPES


def test_sample_thread_has_ten_posts_and_its_title():
    thread = threadlib.load_thread(SAMPLE)
    assert len(thread) == 10
    assert thread.title == "IRAQ"
    assert [post.post_id for post in thread] == list(range(1, 11))


def test_sample_posts_equal_gold_on_every_field(gold):
    records = [post.to_record() for post in threadlib.load_thread(SAMPLE)]
    gold_posts = gold("posts")
    assert len(records) == len(gold_posts)
    mismatches = [(g["post_id"], key, g[key], rec.get(key))
                  for g, rec in zip(gold_posts, records) for key in g if rec.get(key) != g[key]]
    assert mismatches == []


def test_sample_posts_have_no_time_and_no_quotes():
    thread = threadlib.load_thread(SAMPLE)
    assert all(post.post_time is None and post.quotes == [] for post in thread)


def test_sample_line_ranges_cover_each_post():
    thread = threadlib.load_thread(SAMPLE)
    starts = [post.line_start for post in thread]
    assert starts == [3, 36, 148, 238, 309, 432, 476, 614, 670, 722]
    assert thread[-1].line_end == 889  # line 890, 'Post Reply', is chrome


def test_posts_frame_has_proper_dtypes():
    frame = threadlib.load_thread(SAMPLE).posts
    assert list(frame.columns) == list(POST_DTYPES)
    assert pd.api.types.is_datetime64_any_dtype(frame["published"])
    assert pd.api.types.is_datetime64_any_dtype(frame["post_time"])
    for column in ("author", "outlet", "headline", "body", "url"):
        assert pd.api.types.is_string_dtype(frame[column]) and frame[column].dtype != object, column
    assert frame["published"].min() == pd.Timestamp("2021-07-08")
    assert frame["author_posts"].dtype == "Int64"
    assert threadlib.posts(threadlib.load_thread(SAMPLE)).equals(frame)


def test_iter_posts_streams_the_same_posts_as_load_thread():
    streamed = [post.to_record() for post in threadlib.iter_posts(SAMPLE)]
    assert streamed == [post.to_record() for post in threadlib.load_thread(SAMPLE)]


def test_text_and_path_give_the_same_thread():
    text = SAMPLE.read_text(encoding="utf-8")
    assert [p.to_record() for p in threadlib.load_thread(text)] == \
           [p.to_record() for p in threadlib.load_thread(SAMPLE)]


# --- lose no text: every non-blank line lands in one field, or is chrome --------------------------

def _field_holds(post, role: str, line: str) -> bool:
    """Whether the field that ``role`` names holds this input line's text."""
    plain = line.replace("\u00a0", " ").strip().lstrip("\ufeff")
    if role == "post_by":
        return post.author in plain
    if role == "published":
        return post.published is not None
    if role == "authors":
        return all(name in plain for name in post.authors) and bool(post.authors)
    if role == "author_posts":
        return str(post.author_posts) in plain.replace(",", "")
    if role == "author_details":
        return any(value in plain for value in post.author_details.values())
    if role == "quotes":
        return any(plain in q.text or plain.startswith(f"{q.author} wrote:")
                   or (q.time and parse_post_time(plain) == q.time) for q in post.quotes)
    if role == "dateline+body":
        return post.dateline in plain and plain.endswith(post.body.split("\n\n")[0][-20:])
    if role == "headline":
        return post.headline in plain
    value = getattr(post, role)
    return value is not None and (plain in str(value) or str(value) in plain)


@pytest.mark.parametrize("path", [SAMPLE, *FIXTURE_THREADS], ids=lambda p: p.name)
def test_every_non_blank_line_lands_in_one_field_or_is_chrome(path):
    thread = threadlib.load_thread(path, trace=True)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    by_line = {}
    for post in thread:
        for number in range(post.line_start, post.line_end + 1):
            by_line[number] = post
    unplaced, wrong = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        role = thread.line_roles.get(number)
        if role is None:
            unplaced.append((number, line))
        elif role in ("chrome", "title"):
            assert role != "title" or line.strip() == thread.title
        elif role == "preamble":
            assert line.strip() in thread.preamble
        elif not _field_holds(by_line[number], role, line):
            wrong.append((number, role, line))
    assert unplaced == [] and wrong == []


# --- variations of real phpBB copies ----------------------------------------------------------------

def _posts(name: str) -> list[dict]:
    return [post.to_record() for post in threadlib.load_thread(FIXTURES / "threads" / name)]


@pytest.mark.parametrize("post_id, field, expected", [
    (1, "post_time", "2018-03-13T16:05:00"),            # 'Post by NAME » Tue Mar 13, 2018 4:05 pm'
    (1, "author_rank", "Moderator"),
    (1, "author_posts", 1204),                          # a post count with a thousands separator
    (1, "author_joined", "Mon Jan 04, 2016 9:12 am"),
    (1, "author_details", {"Location": "Ohio"}),
    (1, "subject", "Afghanistan drawdown"),
    (1, "commentary", "Anyone following the drawdown news? I will post articles as I find them."),
    (1, "outlet", None),                                # only the poster's own comment, no article
    (1, "body", None),
    (2, "author_rank", "Member"),
    (2, "quotes", [{"author": "kabul_watcher", "text": "Anyone following the drawdown news?",
                    "time": "2018-03-13T16:05:00"}]),
    (2, "commentary", "Yes, and it does not look good."),
    (3, "author_rank", None),                           # no rank line
    (3, "author_posts", 3),
    (3, "commentary", "Worth a read, see the part about advisers.\n\nTold you so. They never leave."),
    (3, "outlet", "REUTERS"),
    (3, "authors", ["Idrees Ali"]),                     # 'By NAME'
    (3, "published", "2018-03-15"),
    (3, "dateline", "WASHINGTON"),                      # 'WASHINGTON (Reuters) - '
    (3, "body", "The United States will keep about 14,000 troops in Afghanistan, officials said on "
                "Thursday.\n\nThe advisers will train Afghan forces."),
    (4, "quotes", [{"author": "field_medic", "text": "Yes, and it does not look good.",
                    "time": "2018-03-13T16:05:00"}]),   # the quoted time on its own line
    (4, "commentary", "Agreed."),
    (4, "last_edited", "Last edited by kabul_watcher on Fri Mar 16, 2018 9:05 am, edited 2 times in total."),
], ids=lambda v: str(v)[:30])
def test_replies_fixture(post_id, field, expected):
    assert _posts("replies.txt")[post_id - 1][field] == expected


@pytest.mark.parametrize("post_id, field, expected", [
    (1, "outlet", "the kyiv independent"),              # outlet in lower case
    (1, "headline", "Ukraine says Russia has massed troops near Kharkiv"),  # curly quotes
    (1, "authors", ["Olena Goncharova"]),               # 'Story by NAME'
    (1, "published", "2022-07-08"),                     # '8 JULY 2022'
    (1, "url", "https://kyivindependent.com/ ... 0708&ei=3"),  # truncated with ' ... '
    (2, "authors", ["Jane Doe"]),                       # 'Story by e-mail (NAME)'
    (2, "published", "2022-07-09"),                     # 'July 9, 2022'
    (2, "url", "https://www.businessinsider.com/nato-allies-pledge-air-defense-2022-7"),  # full URL
    (3, "authors", ["Dan Sabbagh", "Luke Harding", "Isobel Koshiw"]),  # several names
    (3, "published", "2022-07-10"),                     # '10 Jul 2022'
    (3, "url", None),                                   # no URL line
    (4, "authors", []),                                 # no byline
    (4, "published", "2022-07-11"),                     # '2022-07-11'
    (4, "dateline", "ISTANBUL, Turkey"),
    (5, "published", None),                             # no date line
    (5, "authors", ["Al Jazeera Staff"]),
    (5, "body", "Explosions were heard near a Russian air base in Crimea, residents said.\n\n"
                "A second paragraph with more detail."),
], ids=lambda v: str(v)[:30])
def test_bylines_fixture(post_id, field, expected):
    assert _posts("bylines.txt")[post_id - 1][field] == expected


def test_pages_fixture_drops_page_chrome_and_the_repeated_title():
    thread = threadlib.load_thread(FIXTURES / "threads" / "pages.txt", trace=True)
    assert len(thread) == 2
    first, second = thread
    assert first.last_edited.startswith("Last edited by desk_editor")
    assert first.commentary is None  # 'Top', the title 'SYRIA', 'Post Reply', 'Page 2 of 2' are chrome
    assert first.url == "https://www.msn.com/en-us/news/world/u- ... d=msedgntp"
    assert second.author_posts == 5022 and second.published == "2023-03-05"
    roles = thread.line_roles
    assert [roles[n] for n in (30, 31, 32, 33)] == ["chrome", "title", "chrome", "chrome"]


def test_windows_endings_bom_and_non_breaking_spaces_read_like_plain_text(tmp_path):
    plain = (FIXTURES / "threads" / "bylines.txt").read_text(encoding="utf-8")
    messy = "\ufeff" + plain.replace("\n", "\r\n").replace("Olena Goncharova", "Olena\u00a0Goncharova\u00a0")
    path = tmp_path / "messy.txt"
    path.write_bytes(messy.encode("utf-8"))
    assert _posts_of(path) == _posts_of(FIXTURES / "threads" / "bylines.txt")
    assert _posts_of(messy) == _posts_of(plain)


def _posts_of(source):
    return [post.to_record() for post in threadlib.load_thread(source)]


def test_old_mac_line_endings(tmp_path):
    path = tmp_path / "cr.txt"
    path.write_bytes(SAMPLE.read_bytes().replace(b"\n", b"\r"))
    assert _posts_of(path) == _posts_of(SAMPLE)


def test_straight_and_curly_quotes_in_headlines_are_removed_only_outside():
    sample = _posts_of(SAMPLE)
    assert sample[0]["headline"].startswith("U.S. Military Says 'Ongoing Situation'")
    assert "‘blatantly’" in sample[8]["headline"]
    assert not re.match(r"^[\"“”]", sample[8]["headline"])


def test_post_record_is_json_ready():
    record = threadlib.load_thread(FIXTURES / "threads" / "replies.txt")[1].to_record()
    assert json.loads(json.dumps(record)) == record
