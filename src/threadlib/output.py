"""Write tables as JSON Lines, CSV or Parquet, to standard output or atomically to a file."""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING
from urllib.parse import quote

from .errors import OutputError
from .ownership import mark, refuse_foreign, remove_leftovers, user_mode, work_dir, work_file

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("jsonl", "csv", "parquet")


def json_value(value):
    """A JSON-ready form of one cell: missing values as None, timestamps as ISO strings.

    >>> import pandas as pd
    >>> json_value(pd.NA), json_value(pd.Timestamp("2021-07-08")), json_value(float("nan"))
    (None, '2021-07-08T00:00:00', None)
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    pd = sys.modules.get("pandas")  # a value can only be of a pandas type when pandas is loaded
    if pd is not None and (value is pd.NA or value is pd.NaT):
        return None
    if pd is not None and isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return value.item()  # numpy scalars
    if isinstance(value, (list, tuple)):
        return [json_value(item) for item in value]
    if hasattr(value, "tolist"):
        return json_value(value.tolist())
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    return value


def frame_records(frame: pd.DataFrame) -> Iterator[dict]:
    """The rows of a table as JSON-ready dicts; a datetime column whose values are all
    midnight is written as dates (``"2021-07-08"``)."""
    import pandas as pd

    date_only = {column for column in frame.columns
                 if pd.api.types.is_datetime64_any_dtype(frame[column])
                 and (frame[column].dropna() == frame[column].dropna().dt.normalize()).all()}
    from .records import record_location

    for row in frame.to_dict("records"):
        record = {key: json_value(value) for key, value in row.items()}
        if "location" in record:
            record["location"] = record_location(record["location"])
        for column in date_only:
            if record[column] is not None:
                record[column] = record[column][:10]
        yield record


def write_jsonl(records: Iterable[dict], handle: IO[str]) -> int:
    """Write one JSON object a line; return how many."""
    count = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


LIST_SEPARATOR = "; "  # between the values of a list in a CSV cell ("Iraq; Syria")


def _nested_as_json(frame: pd.DataFrame, *, keep_flat_lists: bool) -> pd.DataFrame:
    """Columns of dicts (or nested lists) become JSON text, so that a CSV cell or a Parquet column
    holds them.

    With ``keep_flat_lists`` (Parquet), lists of plain values stay lists, and a lone value in such a
    column becomes a list of one. Without it (CSV), a list of plain values is written as its values
    joined by ``"; "`` and a lone value as itself, as a spreadsheet shows them ("Iraq; Syria", "Iraq").
    """
    def nested(value) -> bool:
        return isinstance(value, dict) or (isinstance(value, list) and any(isinstance(i, (dict, list)) for i in value))

    def plain(value):
        return None if value is None or (isinstance(value, float) and value != value) else value

    out = frame.copy(deep=False)  # the columns changed below are replaced, not changed in place
    for column in out.columns:
        if out[column].dtype != object:
            continue
        if out[column].map(nested).any():
            out[column] = out[column].map(lambda v: json.dumps(json_value(v), ensure_ascii=False))
        elif keep_flat_lists and out[column].map(lambda v: isinstance(v, list)).any():
            # One type a column: a lone value ("Iraq") becomes a list of one, as in ["Iraq", "Syria"].
            out[column] = out[column].map(lambda v: v if isinstance(v, list) or v is None or v != v else [v])
        elif not keep_flat_lists:
            out[column] = out[column].map(
                lambda v: LIST_SEPARATOR.join(str(json_value(i)) for i in v) if isinstance(v, list) else plain(v))
    return out


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike | None, *, binary: bool = False):
    """Yield a handle that writes to ``path``; a regular file changes only if the block succeeds.

    * ``None`` or ``-``: standard output.
    * A regular file (new or existing): written to a temporary file beside it, then renamed over
      it, keeping an existing file's mode (and owner, where allowed).
    * A symbolic link: its target is replaced, the link stays.
    * A character device, a pipe or a socket (``/dev/null``, a FIFO): written through in place.
    * A directory: refused, naming it.
    """
    if path is None or str(path) == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    shown = os.fspath(path)
    target = Path(os.path.realpath(path))
    mode = "wb" if binary else "w"
    text_options = {} if binary else {"encoding": "utf-8", "newline": ""}
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise OutputError(f"{shown}: cannot be written ({exc.strerror})") from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise OutputError(f"{shown}: is a directory; give a file name, e.g. {shown.rstrip('/')}/out.jsonl")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _named_errors(shown), open(target, mode, **text_options) as handle:
            yield handle  # a device or a pipe: nothing to rename over
        return
    with _named_errors(shown):
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target.parent)
        fd, temp = work_file(target.parent, target.name)
    try:
        with _named_errors(shown), os.fdopen(fd, mode, **text_options) as handle:
            yield handle
        with _named_errors(shown):
            if existing is not None:
                os.chmod(temp, stat.S_IMODE(existing.st_mode))
                with contextlib.suppress(OSError):  # only root may give a file to another owner
                    os.chown(temp, existing.st_uid, existing.st_gid)
            else:
                os.chmod(temp, user_mode(folder=False))  # as an ordinary new file, not mkstemp's owner-only mode
            os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


@contextlib.contextmanager
def _named_errors(shown: str):
    """Report an operating-system error as one about the output the user named."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise OutputError(f"{shown}: cannot be written ({exc.strerror or exc})") from None


def write_table(frame: pd.DataFrame, fmt: str, path: str | os.PathLike | None = None) -> int:
    """Write a table in ``fmt`` (jsonl, csv, parquet) to ``path`` or standard output; return rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "parquet":
        with atomic_output(path, binary=True) as handle:
            _nested_as_json(frame, keep_flat_lists=True).to_parquet(handle, index=False)
    elif fmt == "csv":
        with atomic_output(path) as handle:
            _nested_as_json(frame, keep_flat_lists=False).to_csv(handle, index=False, lineterminator="\n")
    else:
        with atomic_output(path) as handle:
            write_jsonl(frame_records(frame), handle)
    return len(frame)


def swap_in_folder(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place of ``target``, which is never absent: the two are exchanged
    in one step where the system can (Linux ``renameat2``), and the old one is removed after."""
    if target.exists() and _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old folder
        return
    old = None
    if target.exists():
        old = work_dir(target.parent, f"old-{target.name}")
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0


def write_folder(tables: dict[str, pd.DataFrame], fmt: str, folder: str | os.PathLike) -> list[Path]:
    """Write each table into ``folder``: in Parquet, a dataset a kind partitioned by thread
    (``troops/thread=<id>/part-0.parquet``, which pandas and DuckDB read as one table); in JSON Lines
    or CSV, and for the ``threads`` table, one file a kind (``troops.jsonl``, ``threads.parquet``).
    Each one replaces the one before in a single step; return what was written."""
    folder = Path(folder)
    with _named_errors(str(folder)):
        folder.mkdir(parents=True, exist_ok=True)
        remove_leftovers(folder)
    as_files = {kind: fmt != "parquet" or "thread" not in table.columns or kind == "threads"
                for kind, table in tables.items()}
    targets = {kind: folder / (f"{kind}.{fmt}" if as_files[kind] else kind) for kind in tables}
    for kind, target in targets.items():  # before anything is written: nothing of the user's is replaced
        refuse_foreign(target, ours=_table_file_of_threadlib if as_files[kind] else _dataset_of_threadlib)
    written = []
    for kind, table in tables.items():
        target = targets[kind]
        if as_files[kind]:
            write_table(table, fmt, target)
        else:
            with _named_errors(str(target)):
                work = work_dir(folder, kind)
            try:
                with _named_errors(str(target)):
                    _write_dataset(table, work)
                    mark(work, "dataset")
                    swap_in_folder(work, target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        written.append(target)
    return written


def _dataset_of_threadlib(folder: Path) -> bool:
    """A dataset written before folders carried the marker: only ``thread=*/part-0.parquet`` files
    (or the one ``empty.parquet`` of a table with no rows)."""
    if not folder.is_dir() or folder.is_symlink():
        return False
    entries = list(folder.iterdir())
    if [entry.name for entry in entries] == ["empty.parquet"]:
        return True
    return bool(entries) and all(entry.is_dir() and entry.name.startswith("thread=")
                                 and [part.name for part in entry.iterdir()] == ["part-0.parquet"] for entry in entries)


def _table_file_of_threadlib(path: Path) -> bool:
    """A table that ``-o DIR`` wrote: an empty file, or one whose first column is ``thread``."""
    if not path.is_file():
        return False
    if path.stat().st_size == 0:
        return True
    try:
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.read_schema(path).names[:1] == ["thread"]
        with path.open("rb") as handle:
            head = handle.read(12)
    except (OSError, ValueError, ImportError):
        return False
    return head.startswith((b'{"thread":', b"thread,", b'"thread",'))


DATASET_SLICE_ROWS = 20_000  # rows made Arrow and written at a time


def _write_dataset(table: pd.DataFrame, folder: Path) -> None:
    """One Parquet file a thread under ``thread=<id>/`` (hive partitioning), written a slice of rows
    at a time so that writing never holds a second copy of the whole table; a table with no rows is
    one file of its columns."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _nested_as_json(table.drop(columns="thread"), keep_flat_lists=True)
    schema = _arrow_schema(columns)
    if len(columns) == 0:
        pq.write_table(schema.empty_table(), folder / "empty.parquet")
        return
    codes, threads = pd.factorize(table["thread"], use_na_sentinel=False)
    if np.count_nonzero(np.diff(codes)) + 1 != len(threads):  # not thread by thread: put each thread's rows together
        columns, codes = columns.iloc[np.argsort(codes, kind="stable")], np.sort(codes, kind="stable")
    starts = np.flatnonzero(np.diff(codes)) + 1  # where each thread's rows begin (but the first)
    writer, written = None, -1
    try:
        for first in range(0, len(columns), DATASET_SLICE_ROWS):  # slices of the frame are views, not copies
            last = min(len(columns), first + DATASET_SLICE_ROWS)
            arrow = pa.Table.from_pandas(columns.iloc[first:last], schema=schema, preserve_index=False)
            inside = starts[np.searchsorted(starts, first, "right"):np.searchsorted(starts, last, "left")]
            cuts = [first, *inside.tolist(), last]
            for start, end in zip(cuts, cuts[1:]):
                if codes[start] != written:  # the next thread: its own file
                    if writer is not None:
                        writer.close()
                    written, thread = codes[start], threads[codes[start]]
                    name = "__HIVE_DEFAULT_PARTITION__" if pd.isna(thread) else quote(str(thread), safe="")
                    (folder / f"thread={name}").mkdir()
                    writer = pq.ParquetWriter(folder / f"thread={name}" / "part-0.parquet", schema)
                writer.write_table(arrow.slice(start - first, end - start))
    finally:
        if writer is not None:
            writer.close()


def _arrow_schema(frame: pd.DataFrame):
    """The Arrow schema of ``frame``: from its dtypes, and for a column of Python objects (lists of
    places) from all its values, which a first slice may not show."""
    import pyarrow as pa

    schema = pa.Schema.from_pandas(frame.head(DATASET_SLICE_ROWS), preserve_index=False)
    for index, field in enumerate(schema):
        if pa.types.is_null(field.type) and frame[field.name].dtype == object:
            schema = schema.set(index, field.with_type(pa.array(frame[field.name], from_pandas=True).type))
    return schema
