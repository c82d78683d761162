"""Build small threads in tests: posts that each hold an article with a given body."""

import threadlib

POST = """reader
Member
Posts: 10
Joined: Mon Jan 04, 2016 9:12 am

Re: {title}

Post by reader »

THE WIRE

"{headline}"

Staff Writer

{published}

{body}

https://example.com/story
"""


def thread_of_posts(posts, *, title: str = "AFGHANISTAN", headline: str = "News"):
    """A thread about ``title`` with one post per (published, body) pair."""
    text = title + "\n\n" + "".join(POST.format(title=title, published=published, body=body, headline=headline)
                                    for published, body in posts)
    return threadlib.load_thread(text)


def thread_of(body: str, *, title: str = "AFGHANISTAN", published: str = "2021-04-14", headline: str = "News"):
    """A one-post thread about ``title`` whose article (dated ``published``) has ``body``."""
    return thread_of_posts([(published, body)], title=title, headline=headline)


def dies_once_then_extracts(path, settings):
    """A corpus worker's job that kills its own process the first time it meets a thread named
    ``*die*.txt`` (a marker file beside it says it did), then extracts as usual."""
    import os
    from pathlib import Path

    from threadlib.corpora import extract_thread

    marker = Path(path).with_suffix(".died")
    if "die" in Path(path).name and not marker.exists():
        marker.write_text("once")
        os._exit(9)
    return extract_thread(path, settings)
