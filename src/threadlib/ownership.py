"""What threadlib made and may therefore replace or remove, and nothing else.

* A folder threadlib makes to hold a whole output (a thread's reports, a kind's Parquet dataset)
  carries a marker file, ``.threadlib-made``; an existing folder in the way without one is refused,
  never replaced.
* Work in progress (a file being written, a folder being rendered, an old folder being swapped
  out) has a name of threadlib's own, ``.threadlib-work-<host>-<pid>-...``, and is removed on a
  later run only when it was made on this machine by a process that is no longer running.
* Whatever threadlib creates gets the mode the user's umask gives.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ForeignPathError

MARKER = ".threadlib-made"
WORK_PREFIX = ".threadlib-work-"


def _host() -> str:
    return hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def user_mode(folder: bool) -> int:
    """The mode an ordinary new file (0666) or folder (0777) gets under the user's umask."""
    return (0o777 if folder else 0o666) & ~_umask()


def mark(folder: Path, what: str) -> None:
    """Say in ``folder`` that threadlib made it (``what``: "report", "dataset" ...)."""
    from . import __version__

    marker = folder / MARKER
    marker.write_text(json.dumps({"made_by": "threadlib", "what": what, "version": __version__}) + "\n",
                      encoding="utf-8")
    os.chmod(marker, user_mode(folder=False))


def is_marked(folder: Path) -> bool:
    """Whether ``folder`` carries threadlib's marker."""
    return (folder / MARKER).is_file()


def refuse_foreign(target: Path, shown: str | None = None, *,
                   ours: Callable[[Path], bool] = lambda path: False) -> None:
    """Raise `ForeignPathError` when ``target`` exists and is neither a folder carrying the marker
    nor something ``ours`` recognises (outputs of earlier versions, which had no marker)."""
    if not os.path.lexists(target):
        return
    if (target.is_dir() and not target.is_symlink() and is_marked(target)) or ours(target):
        return
    what = "folder" if target.is_dir() else "file"
    raise ForeignPathError(f"{shown or target}: a {what} that threadlib did not make is in the way, and it is left "
                           f"as it is; move it, or write the output somewhere else")


def work_dir(parent: Path, label: str) -> Path:
    """A new folder for work in progress in ``parent``, named as threadlib's, with the umask's mode."""
    work = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{_host()}-{os.getpid()}-{_safe(label)}-", dir=parent))
    os.chmod(work, user_mode(folder=True))
    mark(work, "work")
    return work


def work_file(parent: Path, label: str) -> tuple[int, str]:
    """A new file for work in progress in ``parent`` (``mkstemp``'s descriptor and path)."""
    return tempfile.mkstemp(prefix=f"{WORK_PREFIX}{_host()}-{os.getpid()}-{_safe(label)}-", suffix=".part",
                            dir=parent)


def _safe(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in label)[:40]


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the work in progress that runs killed on this machine left in ``parent``; return it.
    A name is threadlib's only with its prefix, this host and the pid of a process that has ended;
    a folder must carry the marker too."""
    removed: list[Path] = []
    host = _host()
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(WORK_PREFIX):
            continue
        host_part, _, rest = entry.name[len(WORK_PREFIX):].partition("-")
        pid_text = rest.partition("-")[0]
        if host_part != host or not pid_text.isdigit() or _running(int(pid_text)):
            continue
        path = Path(entry.path)
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                if not is_marked(path):
                    continue
                shutil.rmtree(path)
            else:
                path.unlink()
            removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a pid this system cannot name: not ours to judge
    return True


def same_file(first: str | os.PathLike, second: str | os.PathLike) -> bool:
    """Whether two paths name one existing file (the same inode), however they are written."""
    try:
        return os.path.samefile(first, second)
    except (OSError, ValueError):
        return False


def refuse_input_as_output(output: str | os.PathLike, inputs: list, shown: str | None = None) -> None:
    """Raise `ForeignPathError` when ``output`` is one of the ``inputs`` (the same file)."""
    for given in inputs:
        if same_file(output, given):
            raise ForeignPathError(f"{shown or output}: this is the input {os.fspath(given)}, which the output would "
                                   "overwrite; write the output somewhere else")
