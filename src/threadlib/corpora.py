"""Many threads in one call: the extractors mapped over threads, in processes or on a Dask cluster.

``corpus(paths, kinds=("troops", "attacks"))`` reads every thread that ``paths`` name (files,
folders, globs) and returns one table a kind, each with a ``thread`` column first. The work for a
thread is a plain function, `extract_thread`, that runs the same in this process, in a pool of
processes (``jobs``) or on Dask workers (``scheduler``). A thread that fails is reported and left
out; the others go on.

A thread is read from its file in batches of posts, and each batch's records become a small frame at
once, so memory holds a batch and the tables found, not the thread nor its records as dicts. With a
``cache`` folder, each post's records are kept under a hash of the post, the thread's host country,
the options, and the code, lexicons and language model in use: a thread that grows has only its new
or changed posts extracted again, and a thread whose file did not change is not read at all.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import LexiconError, ModelError, ThreadFormatError

if TYPE_CHECKING:
    import pandas as pd

KINDS = ("posts", "troops", "attacks", "positions", "shifts")
POST_KINDS = ("troops", "attacks", "positions")  # made post by post: cached and spread per post
CACHE_VERSION = 1
BATCH_POSTS = 200  # posts extracted together (their sentences parsed in one batch)
_USER_ERRORS = (ThreadFormatError, LexiconError, ModelError, OSError, UnicodeError)


@dataclass(frozen=True)
class Settings:
    """What is extracted and how: the same for every thread of a run (sent to every worker)."""

    kinds: tuple[str, ...]
    parse: bool = True          # troops, attacks: roles from the parse where the words name none
    post_time: bool = False     # troops, attacks: date a comment by its post time
    cache: str | None = None    # the cache folder, or None for no cache
    fingerprint: str = ""       # code, lexicons and model (`fingerprint.code_fingerprint`)

    def needed(self) -> tuple[str, ...]:
        """The post-by-post kinds to extract: shifts need positions."""
        wanted = set(self.kinds) | ({"positions"} if "shifts" in self.kinds else set())
        return tuple(kind for kind in POST_KINDS if kind in wanted)


@dataclass
class ThreadResult:
    """One thread's tables and how they were made."""

    thread: str
    path: str
    # A kind's rows: frames made batch by batch, or (from the cache) records framed with the others' at the end.
    parts: dict[str, list[pd.DataFrame | list[dict]]] = field(default_factory=dict)
    posts: list = field(default_factory=list)  # the posts, when the posts table is asked for
    n_posts: int = 0
    extracted: int = 0  # posts whose records were extracted in this run (the others came from the cache)
    bytes: int = 0
    seconds: float = 0.0
    error: str | None = None
    # The SHA-256 of the file before it was read, kept when the records were made from the same bytes
    # (None when it changed while it was read, or for a stream); for a thread that failed, as hashed.
    input_sha256: str | None = None


@dataclass
class Corpus:
    """The tables of a corpus run: ``corpus["troops"]``, ``corpus.tables``; ``threads`` says, for
    each thread, where it came from, how many posts it has, how many were extracted in this run, and
    why it failed; ``failed`` maps the path of each thread that failed to its one-line error."""

    tables: dict[str, pd.DataFrame]
    threads: pd.DataFrame
    # Each file's real path and the SHA-256 of the bytes its records were made from (None when it
    # changed while it was read, or is a stream; for a thread that failed, as it was before).
    read_sha256: dict[str, str | None] = field(default_factory=dict)

    def __getitem__(self, kind: str) -> pd.DataFrame:
        return self.tables[kind]

    @property
    def failed(self) -> dict[str, str]:
        failed = self.threads[self.threads["error"].notna()]
        return dict(zip(failed["path"], failed["error"]))


# Finding the threads -------------------------------------------------------------------------------

def find_threads(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The thread files that ``paths`` name: files as given, the ``*.txt`` files under a folder (at
    any depth, in name order), and the files a glob pattern matches. A file that does not exist is
    kept (its thread fails alone, as one that cannot be read); a folder or a pattern with no thread
    in it is a `ThreadFormatError` naming it. A file named twice is read once."""
    found: list[Path] = []
    for given in paths:
        text = os.fspath(given)
        path = Path(text)
        if path.is_dir():
            matches = sorted(p for p in path.rglob("*.txt") if p.is_file())
            if not matches:
                raise ThreadFormatError(f"{text}: a folder with no .txt threads in it")
        elif glob.has_magic(text) and not path.exists():
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
                raise ThreadFormatError(f"{text}: no file matches this pattern")
        else:
            matches = [path]
        found += matches
    unique = {}
    for path in found:
        unique.setdefault(os.path.realpath(path), path)
    return list(unique.values())


def thread_id(title: str | None, first_post) -> str:
    """A stable id for a thread: its title as a slug and a hash of its title and first post, which
    stay the same when the thread grows, is moved or renamed.

    >>> from threadlib.thread import Post
    >>> thread_id("Re: IRAQ", Post(1, author="ann", post_time="2021-07-08T10:00:00", body="Hello."))
    're-iraq-1b7ca0f5ba'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", (title or "thread").lower()).strip("-")[:40].strip("-") or "thread"
    first = [title, first_post.author, first_post.post_time, first_post.headline,
             (first_post.body or "")[:2000], (first_post.commentary or "")[:2000]]
    return f"{slug}-{hashlib.sha256(json.dumps(first).encode()).hexdigest()[:10]}"


def thread_id_of(path: str | os.PathLike) -> str:
    """The `thread_id` of the thread in the file at ``path`` (read up to its first post)."""
    from .thread import StreamedThread

    thread = StreamedThread(Path(path))
    return thread_id(thread.title, thread.first_post)


def numbered_ids(ids: list[str]) -> list[str]:
    """Thread ids made unique: a thread read twice (two snapshots) gets ``~2`` the second time.

    >>> numbered_ids(["re-iraq-1b7ca0f5ba", "kobani-aa090d2520", "re-iraq-1b7ca0f5ba"])
    ['re-iraq-1b7ca0f5ba', 'kobani-aa090d2520', 're-iraq-1b7ca0f5ba~2']
    """
    seen: dict[str, int] = {}
    numbered = []
    for one in ids:
        seen[one] = seen.get(one, 0) + 1
        numbered.append(one if seen[one] == 1 else f"{one}~{seen[one]}")
    return numbered


# One thread ----------------------------------------------------------------------------------------

def extract_thread(path: str | os.PathLike, settings: Settings,
                   map_batches: Callable[[Callable, Iterable], Iterator] = map) -> ThreadResult:
    """Extract the kinds of ``settings`` from the thread at ``path``; a thread that cannot be read
    or fails comes back with its ``error`` set (it never raises). ``map_batches`` maps the batch
    extraction over the thread's batches of posts (in order), e.g. over a pool of processes."""
    started = time.perf_counter()
    result = ThreadResult(thread=os.fspath(path), path=os.fspath(path))
    try:
        _extract(Path(path), settings, result, map_batches)
    except _USER_ERRORS as exc:
        result.error = _one_line(exc)
    except Exception as exc:  # a bug shown on one thread must not stop the others
        where = traceback.extract_tb(exc.__traceback__)[-1]
        result.error = f"{type(exc).__name__}: {_one_line(exc)} (at {Path(where.filename).name}:{where.lineno})"
    result.seconds = time.perf_counter() - started
    return result


def _one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.filename and str(exc.filename) not in text:
        text = f"{exc.filename}: {exc.strerror or text}"
    # a file name that is not UTF-8 comes back with its bytes escaped, so that any table can hold it
    return " ".join(text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace").split())


def _extract(path: Path, settings: Settings, result: ThreadResult, map_batches) -> None:
    from .actors import host_country
    from .fingerprint import file_sha256
    from .positions import position_records
    from .records import FrameParts
    from .thread import StreamedThread, load_thread, post_batches

    regular = path.is_file()
    input_sha256 = result.input_sha256 = file_sha256([path]) if regular else None  # before the file is read
    thread = StreamedThread(path) if regular else load_thread(path)  # pipes and devices are read once
    first = thread.first_post if regular else thread[0]
    result.thread = thread_id(thread.title, first)
    result.bytes = path.stat().st_size if regular else 0
    cache = PostCache.open(settings, result.thread) if settings.cache else None
    needed = settings.needed()
    if cache is not None and input_sha256 and cache.finished(input_sha256, needed) and "posts" not in settings.kinds:
        # The file is as it was: nothing to read, and the records are framed with the other threads'.
        result.parts = {kind: [rows] for kind, rows in cache.final_records(needed).items()}
        result.n_posts = cache.n_posts
        _add_shifts(result, settings)
        return
    host = host_country(thread)
    # Each batch's records become a small frame at once (dicts take several times the memory of
    # their columns); each post's dicts are kept only for the cache, and for positions, whose names
    # are joined over the whole thread.
    by_post: dict[str, list[list[dict]]] = {kind: [] for kind in needed if cache is not None or kind == "positions"}
    parts = {kind: FrameParts() for kind in needed if kind != "positions"}
    keys: list[str] = []
    batches = post_batches(thread, BATCH_POSTS)
    if "posts" in settings.kinds:
        batches = _keeping_posts(batches, result.posts)
    # The cache is read here; only the posts it does not hold go to `map_batches` (maybe other processes).
    waiting: deque = deque()

    def uncached() -> Iterator[list]:
        for batch in batches:
            batch_keys = [post_key(post, host, settings) for post in batch]
            entries = [cache.lookup(key) if cache else None for key in batch_keys]
            todo = [i for i, entry in enumerate(entries) if entry is None or any(k not in entry for k in needed)]
            waiting.append((batch_keys, entries, todo))
            yield [batch[i] for i in todo]

    for fresh in map_batches(_BatchJob(host, settings), uncached()):
        batch_keys, entries, todo = waiting.popleft()
        keys += batch_keys
        result.extracted += len(todo)
        for kind in needed:
            per_post = [entry.get(kind) if entry else None for entry in entries]
            for slot, rows in zip(todo, fresh[kind]):
                per_post[slot] = rows
            if kind in by_post:
                by_post[kind] += per_post
            if kind in parts:
                parts[kind].add(_frame(kind, [row for rows in per_post for row in rows]))
    result.n_posts = len(keys)
    if getattr(thread, "read_sha256", None) != input_sha256:
        result.input_sha256 = None  # changed while it was read (or a stream): the records are of no one file
    positions = position_records(by_post["positions"], thread) if "positions" in needed else None
    found = {kind: parts[kind].frames() if kind in parts else [_frame(kind, positions)] for kind in needed}
    result.parts = {kind: [part for part in frames if len(part)] for kind, frames in found.items()}
    if cache is not None:
        final = {kind: [row for rows in by_post[kind] for row in rows] for kind in needed if kind != "positions"}
        cache.store(keys, by_post, {**final, **({"positions": positions} if positions is not None else {})},
                    result.input_sha256, host)
    _add_shifts(result, settings)


def _keeping_posts(batches: Iterator[list], kept: list) -> Iterator[list]:
    """Pass the batches on, keeping a copy of each post without what the extractors attached to it."""
    for batch in batches:
        kept += [replace(post) for post in batch]
        yield batch


def _add_shifts(result: ThreadResult, settings: Settings) -> None:
    if "shifts" in settings.kinds:
        from .positions import shifts

        found = shifts(_concat("positions", [part if not isinstance(part, list) else _frame("positions", part)
                                             for part in result.parts["positions"]]))
        result.parts["shifts"] = [found] if len(found) else []


class _BatchJob:
    """Extract a batch of posts (`extract_posts`): a picklable callable, for pools of processes."""

    def __init__(self, host: str | None, settings: Settings):
        self.host, self.settings = host, settings

    def __call__(self, posts: list) -> dict[str, list[list[dict]]]:
        return extract_posts(posts, self.settings.needed(), self.host, self.settings)


def extract_posts(posts: list, kinds: Iterable[str], host: str | None, settings: Settings) -> dict[str, list[list[dict]]]:
    """Each kind's records for each of ``posts`` (one list a post): the post-by-post half of the
    extractors, sharing each post's sentences and parse."""
    from .attacks import attack_rows
    from .positions import position_rows
    from .troops import troop_rows

    out: dict[str, list[list[dict]]] = {}
    if not posts:
        return {kind: [] for kind in kinds}
    for kind in kinds:
        if kind == "troops":
            out[kind] = troop_rows(posts, host, parse=settings.parse, post_time=settings.post_time)
        elif kind == "attacks":
            out[kind] = attack_rows(posts, host, parse=settings.parse, post_time=settings.post_time)
        elif kind == "positions":
            out[kind] = position_rows(posts, host)
    from .analysis import release

    release(posts)  # the parses are not needed once the batch is done
    return out


def post_key(post, host: str | None, settings: Settings) -> str:
    """The cache key of a post's records: its content (not its line numbers, which move when an
    earlier post is edited), the thread's host, the options, and the code in use."""
    record = {key: value for key, value in post.to_record().items() if key not in ("line_start", "line_end")}
    text = json.dumps([record, host, settings.parse, settings.post_time, settings.fingerprint],
                      ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# The cache -----------------------------------------------------------------------------------------

class PostCache:
    """One JSON file a thread in the cache folder: each post's records by `post_key`, the thread's
    final records and the SHA-256 of the file they came from. Posts no longer in the thread are
    dropped when it is written again. Delete the folder to empty it."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data

    @classmethod
    def open(cls, settings: Settings, thread: str) -> PostCache:
        path = Path(settings.cache) / f"{thread}.json"
        data = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # no cache yet, or one that cannot be read: made again
        expected = {"version": CACHE_VERSION, "fingerprint": settings.fingerprint,
                    "options": [settings.parse, settings.post_time]}
        if not isinstance(data, dict) or any(data.get(k) != v for k, v in expected.items()):
            data = {**expected, "posts": {}, "final": {}}
        return cls(path, data)

    @property
    def n_posts(self) -> int:
        return len(self.data.get("order", []))

    def lookup(self, key: str) -> dict | None:
        return self.data["posts"].get(key)

    def finished(self, input_sha256: str, kinds: Iterable[str]) -> bool:
        """Whether the thread's final records of ``kinds`` were made from this very file."""
        return self.data.get("input_sha256") == input_sha256 and all(k in self.data["final"] for k in kinds)

    def final_records(self, kinds: Iterable[str]) -> dict[str, list[dict]]:
        return {kind: self.data["final"][kind] for kind in kinds}

    def store(self, keys: list[str], by_post: dict[str, list[list[dict]]], records: dict[str, list[dict]],
              input_sha256: str | None, host: str | None) -> None:
        """Keep this run's posts (merged with the kinds cached before) and write the file atomically."""
        posts = {}
        for i, key in enumerate(keys):
            entry = dict(self.data["posts"].get(key) or {})
            entry.update({kind: rows[i] for kind, rows in by_post.items()})
            posts[key] = entry
        same_input = self.data.get("input_sha256") == input_sha256
        final = {**(self.data["final"] if same_input else {}), **records}
        self.data.update(posts=posts, final=final, order=keys, input_sha256=input_sha256, host=host)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps(self.data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
            os.replace(temp, self.path)
        finally:
            temp.unlink(missing_ok=True)


def default_cache_dir() -> Path:
    """``THREADLIB_CACHE``, else ``$XDG_CACHE_HOME/threadlib``, else ``~/.cache/threadlib``."""
    if os.environ.get("THREADLIB_CACHE"):
        return Path(os.environ["THREADLIB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "threadlib"


# Many threads --------------------------------------------------------------------------------------

def corpus(paths: str | os.PathLike | Iterable[str | os.PathLike], kinds: str | Iterable[str] = ("troops",), *,
           jobs: int | None = None, scheduler: str | None = None, cache: str | os.PathLike | None = None,
           parse: bool = True, post_time: bool = False, log: Callable[[str], None] | None = None,
           progress: bool | None = None) -> Corpus:
    """Extract ``kinds`` from every thread that ``paths`` name; one table a kind, ``thread`` first.

    ``jobs`` processes (default: the cores this process may use; 1 runs here) share the threads, or
    the batches of posts of a single thread; ``scheduler`` runs them on Dask instead: ``"local"``
    (a `LocalCluster` of ``jobs`` workers) or a scheduler's address (``"tcp://host:8786"``, whose
    workers must see the same paths). ``cache`` is a folder for each post's records (see the module).
    ``log`` gets one line a thread (default: standard error); ``progress`` draws a bar (default:
    when standard error is a terminal).

    >>> table = corpus(["data/threads/"], kinds="troops", jobs=1)["troops"]   # doctest: +SKIP
    """
    from .fingerprint import code_fingerprint

    kinds = (kinds,) if isinstance(kinds, str) else tuple(dict.fromkeys(kinds))
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"unknown kind {', '.join(unknown) or '(none)'}; use {', '.join(KINDS)}")
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = find_threads(paths)
    settings = Settings(kinds=kinds, parse=parse, post_time=post_time,
                        cache=os.fspath(cache) if cache is not None else None,
                        fingerprint=code_fingerprint() if cache is not None else "")
    jobs = max(1, jobs or available_cores())
    progress = sys.stderr.isatty() if progress is None else progress
    runner = run_dask(scheduler, jobs) if scheduler else run_processes(jobs) if jobs > 1 else run_here
    results = []
    with _progress_bar(len(files), progress) as bar:
        emit = log or bar.write  # log lines go above the bar, not through it
        for result in runner(files, settings):
            results.append(result)
            emit(_log_line(result))
            bar.update(1)
    return _assemble(results, files, settings)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _log_line(result: ThreadResult) -> str:
    stamp = time.strftime("%H:%M:%S")
    if result.error:
        error = result.error if result.error.startswith(result.path) else f"{result.path}: {result.error}"
        return f"{stamp} threadlib: skipped {error}"
    counts = ", ".join(f"{sum(map(len, parts))} {kind}" for kind, parts in result.parts.items())
    cached = f", {result.n_posts - result.extracted} from the cache" if result.extracted < result.n_posts else ""
    return (f"{stamp} threadlib: {result.thread} ({result.path}): {result.n_posts} posts{cached}; "
            f"{counts or 'posts read'} in {result.seconds:.1f} s")


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass

    def write(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)


def _progress_bar(total: int, shown: bool):
    if not shown:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="thread", file=sys.stderr, leave=False)


def run_here(files: list[Path], settings: Settings) -> Iterator[ThreadResult]:
    """Run the threads one after another in this process."""
    for path in files:
        yield extract_thread(path, settings)


def run_processes(jobs: int, work: Callable[[Path, Settings], ThreadResult] | None = None
                  ) -> Callable[[list[Path], Settings], Iterator[ThreadResult]]:
    """Run the threads in a pool of ``jobs`` processes, largest first, yielding each as it is done;
    a lone thread (or fewer threads than processes) has its batches of posts spread instead. A
    process that dies (killed, out of memory) takes the pool's unfinished threads with it: each of
    them is tried once more in a fresh pool, and reported failed only if that fails too. ``work``
    is what is done with a thread (`extract_thread`)."""
    work = work or extract_thread

    def run(files: list[Path], settings: Settings) -> Iterator[ThreadResult]:
        from concurrent.futures import ProcessPoolExecutor

        if len(files) < jobs:  # one huge thread: its batches go to the processes
            with ProcessPoolExecutor(max_workers=jobs, mp_context=_process_context()) as pool:
                for path in files:
                    yield extract_thread(path, settings, map_batches=lambda job, batches: _ordered_map(pool, job, batches, 2 * jobs))
            return
        retry: list[Path] = []
        yield from _pool_run(sorted(files, key=_size, reverse=True), settings, work, jobs, retry)
        if retry:
            failed: list[Path] = []
            yield from _pool_run(retry, settings, work, min(jobs, len(retry)), failed)
            for path in failed:
                yield ThreadResult(os.fspath(path), os.fspath(path),
                                   error="its process failed twice (killed, or out of memory)")
    return run


def _pool_run(files: list[Path], settings: Settings, work, jobs: int, died: list[Path]) -> Iterator[ThreadResult]:
    """The results of ``files`` in a pool of ``jobs`` processes; the threads whose process died go to ``died``."""
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=jobs, mp_context=_process_context()) as pool:
        futures = {pool.submit(work, path, settings): path for path in files}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception:  # the process died (out of memory, killed): its pool is broken
                died.append(futures[future])


def _process_context():
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["threadlib.corpora", "threadlib.troops", "threadlib.attacks",
                                        "threadlib.positions", "pandas"])
        return context
    return multiprocessing.get_context("spawn")


def _ordered_map(pool, job: Callable, items: Iterable, ahead: int) -> Iterator:
    """``map(job, items)`` on ``pool`` in order, with at most ``ahead`` items sent and not yet
    returned, so that a huge thread is never all in memory."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(job, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def run_dask(scheduler: str, jobs: int) -> Callable[[list[Path], Settings], Iterator[ThreadResult]]:
    """Run the threads on Dask: ``"local"`` starts a `LocalCluster` of ``jobs`` single-threaded
    worker processes; any other value is the address of a running scheduler."""
    def run(files: list[Path], settings: Settings) -> Iterator[ThreadResult]:
        try:
            from distributed import Client, as_completed
        except ImportError:
            raise ModelError("--scheduler needs Dask: pip install 'threadlib[dask]' "
                             "(or pip install 'dask[distributed]')") from None
        cluster = local_cluster(jobs) if scheduler == "local" else None
        try:
            with Client(cluster or scheduler, timeout="30s") as client:
                largest_first = sorted(files, key=_size, reverse=True)
                futures = client.map(extract_thread, [os.fspath(p) for p in largest_first], settings=settings,
                                     pure=False)
                paths = {future.key: path for future, path in zip(futures, largest_first)}
                done = as_completed(futures)
                del futures  # each result is let go on its worker once it is here
                for future in done:
                    try:
                        result = future.result()
                    except Exception as exc:  # the worker died
                        path = paths[future.key]
                        result = ThreadResult(os.fspath(path), os.fspath(path), error=f"its worker failed: {_one_line(exc)}")
                    future.release()
                    yield result
        except OSError as exc:
            raise ModelError(f"cannot reach the Dask scheduler {scheduler}: {_one_line(exc)}") from None
        finally:
            if cluster is not None:
                cluster.close()
    return run


def local_cluster(workers: int):
    """A Dask `LocalCluster` of ``workers`` single-threaded worker processes, set for this work.

    Its workers do not sample their own stacks 100 times a second (Dask's profiler), and their C
    library (glibc) keeps the memory it frees in one arena, as a process of `run_processes` does.
    Dask starts workers with ``MALLOC_TRIM_THRESHOLD_`` at 64 KiB, which hands freed memory back to
    the system only to fault it in again, and a task runs in a thread of its own, whose allocations
    glibc serves from a second arena that it also shrinks eagerly. With the extractors' many small
    objects both cost: on 500 threads and 2 workers, 80 s of CPU a worker (7.5 s in the system)
    without either change, 72 s without the trim threshold, 62 s also with ``MALLOC_ARENA_MAX=1``.
    """
    import dask
    from distributed import LocalCluster

    environ = {name: value for name, value in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
               if name != "MALLOC_TRIM_THRESHOLD_"}
    with dask.config.set({"distributed.worker.profile.enabled": False,
                          "distributed.nanny.pre-spawn-environ": {**environ, "MALLOC_ARENA_MAX": 1}}):
        # No dashboard; and the scheduler's own HTTP server (which it starts anyway) on a free port of
        # the loopback interface, not on 8787, which a user's own dashboard or service may hold.
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# The tables ----------------------------------------------------------------------------------------

def _frame(kind: str, rows: list[dict]) -> pd.DataFrame:
    from importlib import import_module

    from .records import to_frame

    if kind == "shifts":
        return import_module("threadlib.positions").shift_frame(rows)
    return to_frame(rows, import_module(f"threadlib.{kind}").COLUMNS)


def _concat(kind: str, parts: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame of a kind's parts (an empty one of its columns when there is none)."""
    from .records import concat_frames

    parts = [part for part in parts if len(part)]
    return concat_frames(parts, []) if parts else _frame(kind, [])


def _assemble(results: list[ThreadResult], files: list[Path], settings: Settings) -> Corpus:
    """One table a kind, threads in the order their files were named, ``thread`` the first column."""
    import pandas as pd

    from .thread import posts_frame

    order = {os.fspath(path): i for i, path in enumerate(files)}
    results.sort(key=lambda r: order.get(r.path, len(order)))
    read = [result for result in results if not result.error]
    for result, numbered in zip(read, numbered_ids([result.thread for result in read])):
        result.thread = numbered
    tables = {}
    for kind in settings.kinds:  # one frame a kind, from every thread's
        if kind == "posts":
            table = posts_frame([post for result in read for post in result.posts])
            ids = [result.thread for result in read for _ in result.posts]
        else:
            frames, records, ids = [], [], []
            for result in read:
                for part in result.parts.pop(kind, []):  # each thread's parts go into the table
                    if isinstance(part, list):
                        records += part  # from the cache: framed together, not a small frame a thread
                    else:
                        frames += [_frame(kind, records), part] if records else [part]
                        records = []
                    ids += [result.thread] * len(part)
            table = _concat(kind, frames + [_frame(kind, records)] if records else frames)
        table.insert(0, "thread", pd.array(ids, dtype="string"))
        tables[kind] = table
    from .reading import shown_path

    threads = pd.DataFrame(
        [{"thread": r.thread if not r.error else None, "path": shown_path(r.path), "posts": r.n_posts,
          "extracted": r.extracted,
          "bytes": r.bytes, "seconds": round(r.seconds, 3), "error": r.error} for r in results],
        columns=["thread", "path", "posts", "extracted", "bytes", "seconds", "error"])
    threads = threads.astype({"thread": "string", "path": "string", "posts": "Int64", "extracted": "Int64",
                              "bytes": "Int64", "seconds": "Float64", "error": "string"})
    return Corpus(tables=tables, threads=threads,
                  read_sha256={os.path.realpath(r.path): r.input_sha256 for r in results})


# --if-changed ----------------------------------------------------------------------------------------

class OutputRecord:
    """What an output of ``threadlib extract`` was made from (in the cache folder): the threads'
    SHA-256, the code, lexicons and model, the options, and the SHA-256 of what was written. The
    output is unchanged when all of them are."""

    def __init__(self, output: str, kinds: list[str], fmt: str, options: dict, cache: str):
        from .fingerprint import code_fingerprint

        self.output = Path(output)
        real = os.path.realpath(output)
        self.path = Path(cache) / "outputs" / f"{hashlib.sha256(real.encode()).hexdigest()[:16]}.json"
        self.made_from = {"output": real, "kinds": kinds, "format": fmt, "fingerprint": code_fingerprint(),
                          "options": {k: options.get(k) for k in ("no_parse", "post_time")}}
        self._inputs: dict[str, str] | None = None

    def _input_hashes(self, paths: list[str]) -> dict[str, str]:
        from .fingerprint import file_sha256

        if self._inputs is None:
            self._inputs = {os.path.realpath(p): file_sha256([p]) for p in find_threads(paths) if p.is_file()}
        return self._inputs

    def _written(self) -> dict[str, str]:
        from .fingerprint import file_sha256

        files = [self.output] if self.output.is_file() else sorted(p for p in self.output.rglob("*") if p.is_file())
        return {os.path.relpath(p, self.output.parent): file_sha256([p]) for p in files}

    def unchanged(self, paths: list[str]) -> bool:
        try:
            previous = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        if not self.output.exists() or any(previous.get(k) != v for k, v in self.made_from.items()):
            return False
        try:
            inputs = self._input_hashes(paths)
        except (ThreadFormatError, OSError):
            return False  # let the run say what is wrong
        return previous.get("inputs") == inputs and previous.get("written") == self._written()

    def save(self, paths: list[str], read_sha256: dict[str, str | None]) -> list[str]:
        """Record what the output was made from: the SHA-256 of the bytes each thread's records were
        made from (``read_sha256``, by real path). When a thread changed while it was read, or is not
        as it was read any more, nothing is recorded (the next run does it again); return those."""
        self._inputs = None
        now = self._input_hashes(paths)
        unsure = sorted(path for path, digest in now.items() if read_sha256.get(path) != digest)
        if unsure:
            self.path.unlink(missing_ok=True)
            return unsure
        data = {**self.made_from, "inputs": now, "written": self._written()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temp.write_text(json.dumps(data, indent=1), encoding="utf-8")
            os.replace(temp, self.path)
        finally:
            temp.unlink(missing_ok=True)
        return []
