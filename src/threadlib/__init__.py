"""threadlib: read forum threads that repost news articles, and extract evidence from them.

>>> import threadlib
>>> thread = threadlib.load_thread("data/threads/iraq.txt")   # doctest: +SKIP
>>> thread.posts[["post_id", "outlet", "published"]]           # doctest: +SKIP
"""

from importlib.metadata import PackageNotFoundError, version

from .attacks import attack_timeline, attacks
from .errors import ThreadFormatError
from .positions import positions, shifts
from .text import sentences
from .thread import Post, Thread, iter_posts, load_thread, posts
from .troops import troop_disagreements, troops

try:
    __version__ = version("threadlib")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["Post", "Thread", "ThreadFormatError", "__version__", "attack_timeline", "attacks", "iter_posts",
           "load_thread", "positions", "posts", "sentences", "shifts", "troop_disagreements", "troops"]
