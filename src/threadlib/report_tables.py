"""Tables a report run extracts once and its notebooks read, instead of each notebook extracting again.

`threadlib report` extracts every kind from all its threads in one pass (`threadlib.corpus`, in
processes) and saves them here, in the run's private folder, which its kernels get as
``THREADLIB_TABLES``. A notebook asks through `threadlib.notebook.extracted` and
`threadlib.notebook.corpus`: a saved table is used only for the same file with the same content
(SHA-256), otherwise the notebook extracts as it does outside a report. The tables are those the
extractors give (one thread's rows of the corpus tables are `threadlib.troops(thread)` and so on;
a test keeps it so).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

ENV = "THREADLIB_TABLES"
THREAD_KINDS = ("troops", "attacks", "positions")


def _key(paths: list[str | os.PathLike]) -> str:
    real = "\n".join(os.path.realpath(os.fspath(path)) for path in paths)
    return hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:24]


def save(result, files: list[Path], folder: Path, shown: list[str] | None = None) -> None:
    """Keep ``result`` (a `Corpus` of ``files``) in ``folder``: the whole for a corpus page, and each
    thread's rows for its own pages. ``shown``: the names to give the files in the corpus's
    ``path`` column (as the user gave them)."""
    folder.mkdir(parents=True, exist_ok=True)
    if shown is not None:  # a copy: the caller's corpus keeps its paths
        import dataclasses

        import pandas as pd

        result = dataclasses.replace(result, threads=result.threads.assign(path=pd.array(list(shown), dtype="string")))
    for path, thread in zip(files, result.threads["thread"]):
        if thread is None or str(thread) == "<NA>":
            continue
        tables = {}
        for kind in THREAD_KINDS:
            table = result.tables[kind]
            tables[kind] = table[table["thread"] == thread].drop(columns="thread").reset_index(drop=True)
        _dump(folder / f"thread-{_key([path])}.pkl", {"sha256": result.read_sha256.get(os.path.realpath(path)),
                                                     "tables": tables})
    _dump(folder / f"corpus-{_key(files)}.pkl", {"sha256": dict(result.read_sha256), "corpus": result})


def _dump(path: Path, value) -> None:
    with path.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _load(name: str):
    folder = os.environ.get(ENV)
    path = Path(folder) / name if folder else None
    if path is None or not path.is_file():
        return None
    with path.open("rb") as handle:
        return pickle.load(handle)  # noqa: S301 (written by this run, in its own private folder)


def thread_table(path: str | os.PathLike, kind: str):
    """The saved table of ``kind`` for the thread at ``path``, or None."""
    from .fingerprint import file_sha256

    saved = _load(f"thread-{_key([path])}.pkl") if kind in THREAD_KINDS else None
    if saved is None or saved["sha256"] != file_sha256([Path(path)]):
        return None
    return saved["tables"][kind].copy()


def corpus(files: list[Path], kinds: tuple[str, ...]):
    """The saved `Corpus` of exactly ``files`` holding ``kinds``, or None."""
    from .fingerprint import file_sha256

    saved = _load(f"corpus-{_key(files)}.pkl")
    if saved is None or any(kind not in saved["corpus"].tables for kind in kinds):
        return None
    if any(saved["sha256"].get(os.path.realpath(path)) != file_sha256([path]) for path in files):
        return None
    return saved["corpus"]
