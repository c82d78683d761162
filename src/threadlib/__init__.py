"""threadlib: read forum threads that repost news articles, and extract evidence from them.

>>> import threadlib
>>> thread = threadlib.load_thread("data/threads/iraq.txt")   # doctest: +SKIP
>>> thread.posts[["post_id", "outlet", "published"]]           # doctest: +SKIP

The names below are loaded on first use, so that ``import threadlib`` and the command line start
in a few hundredths of a second: pandas, Altair and spaCy are imported only by what needs them.
"""

import sys
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType

# Public name -> the module that defines it.
_PUBLIC = {
    "Post": "thread", "Thread": "thread", "iter_posts": "thread", "load_thread": "thread", "posts": "thread",
    "ThreadFormatError": "errors", "sentences": "text",
    "troops": "troops", "troop_disagreements": "troops",
    "attacks": "attacks", "attack_timeline": "attacks",
    "positions": "positions", "shifts": "positions",
    "corpus": "corpora", "Corpus": "corpora",
}
# Functions that share their module's name: importing the module must not hide the function.
_SHADOWED = {name for name, module in _PUBLIC.items() if name == module}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("threadlib")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":
        value = _version()
    elif name in _PUBLIC:
        value = getattr(import_module(f".{_PUBLIC[name]}", __name__), name)
    elif not name.startswith("_") and find_spec(f"{__name__}.{name}") is not None:
        value = import_module(f".{name}", __name__)  # a module: threadlib.lexicon, threadlib.notebook ...
    else:
        raise AttributeError(f"module 'threadlib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC) | {"__version__"})


class _Package(ModuleType):
    """The package module: `threadlib.troops` stays the function when the module `threadlib.troops`
    is imported (the import system sets the submodule as an attribute of its package)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _SHADOWED and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["Corpus", "Post", "Thread", "ThreadFormatError", "__version__", "attack_timeline", "attacks", "corpus",
           "iter_posts", "load_thread", "positions", "posts", "sentences", "shifts", "troop_disagreements", "troops"]
