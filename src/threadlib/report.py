"""HTML reports: run each analysis notebook on a thread with papermill, export it with nbconvert.

Reports go to ``<out>/<thread-stem>/<notebook>.html``, with ``<out>/index.html`` and
``<out>/manifest.json`` listing threads, reports, generation time, input checksum and version.
They open with no network: the page template inlines the chart code and fetches nothing.

A thread's reports are rendered in a temporary folder beside the old ones and swapped in only when
every notebook has run, so a failed run leaves the previous reports as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import html
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from . import __version__
from .thread import load_thread

NOTEBOOKS = ("00_overview", "01_troop_counts", "02_attack_frequency", "03_position_shifts")
TITLES = {"00_overview": "Overview: posts and articles", "01_troop_counts": "Troop counts",
          "02_attack_frequency": "Attack frequency", "03_position_shifts": "Positions and their shifts"}


class ReportError(Exception):
    """A report that could not be made (a notebook failed); the message names notebook and cell."""


@dataclass
class ReportResult:
    """What happened to one thread: ``written`` or ``skipped`` (unchanged), and its report files."""

    thread: str
    status: str
    reports: list[str] = field(default_factory=list)
    seconds: float = 0.0


def find_notebooks(folder: str | os.PathLike | None = None) -> Path:
    """The notebooks folder: the one given, ``./notebooks``, or the one beside the source tree."""
    candidates = [Path(folder)] if folder else [Path("notebooks"), Path(__file__).resolve().parents[2] / "notebooks"]
    for candidate in candidates:
        if all((candidate / f"{name}.ipynb").is_file() for name in NOTEBOOKS):
            return candidate.resolve()
    where = ", ".join(str(c) for c in candidates)
    raise ReportError(f"no analysis notebooks found (looked in {where}); give the folder with --notebooks")


def _sha256(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def export_html(notebook: Path, *, with_code: bool = False) -> str:
    """The executed notebook as one offline HTML page (code hidden unless ``with_code``)."""
    from nbconvert import HTMLExporter

    from .charts import vega_script

    templates = resources.files("threadlib").joinpath("templates")
    exporter = HTMLExporter(template_name="threadlib", extra_template_basedirs=[str(templates)])
    exporter.exclude_input = not with_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    body, _ = exporter.from_filename(str(notebook), resources={"threadlib_vega_script": vega_script()})
    return body


def _execute(notebook: Path, output: Path, parameters: dict, cwd: Path, progress: bool) -> None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .charts import CODE_ENV

    previous = os.environ.get(CODE_ENV)
    os.environ[CODE_ENV] = "page"  # the kernel inherits it: the report page carries the chart code once
    try:
        papermill.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name="python3",
                                   cwd=str(cwd), progress_bar=progress, log_output=False,
                                   request_save_on_cell_execute=False)
    except PapermillExecutionError as exc:
        first_line = str(exc.evalue).splitlines()[0] if exc.evalue else ""
        raise ReportError(f"{notebook.name} failed at cell {exc.exec_count or exc.cell_index} "
                          f"({exc.ename}: {first_line})") from None
    finally:
        if previous is None:
            os.environ.pop(CODE_ENV, None)
        else:
            os.environ[CODE_ENV] = previous


def _swap_in(new: Path, target: Path) -> None:
    """Put the folder ``new`` in place of ``target``; the old one goes only once the new is in place."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _read_manifest(out: Path) -> dict:
    path = out / "manifest.json"
    if path.is_file():
        with contextlib.suppress(ValueError, OSError):
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(manifest, dict) and isinstance(manifest.get("threads"), dict):
                return manifest
    return {"threads": {}}


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(temp, 0o644)
    os.replace(temp, path)


def run_reports(threads: list[str | os.PathLike], *, out: str | os.PathLike = "reports",
                parameters: dict | None = None, with_code: bool = False, if_changed: bool = False,
                notebooks: str | os.PathLike | None = None,
                log: Callable[[str], None] | None = None) -> list[ReportResult]:
    """Make the reports of each thread; see the module's docstring. Raises `ThreadFormatError`
    for a thread that cannot be read and `ReportError` for a notebook that fails."""
    log = log or (lambda message: print(message, file=sys.stderr))
    parameters = dict(parameters or {})
    folder = find_notebooks(notebooks)
    notebook_paths = [folder / f"{name}.ipynb" for name in NOTEBOOKS]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(out)
    progress = sys.stderr.isatty()
    results = []
    for thread in threads:
        path = Path(thread).resolve()
        load_thread(path)  # a thread that cannot be read fails here, before any notebook runs
        key = path.stem
        entry = {"input": str(thread), "input_sha256": _sha256([path]), "notebooks_sha256": _sha256(notebook_paths),
                 "parameters": parameters, "threadlib_version": __version__}
        previous = manifest["threads"].get(key, {})
        if if_changed and all(previous.get(k) == v for k, v in entry.items()) and all(
                (out / r).is_file() for r in previous.get("reports", [None])):
            log(f"threadlib: {key}: unchanged since {previous.get('generated')}, skipped")
            results.append(ReportResult(str(thread), "skipped", previous.get("reports", [])))
            continue
        started = time.perf_counter()
        work = Path(tempfile.mkdtemp(prefix=f".{key}.new-", dir=out))
        work.chmod(0o755)
        try:
            for index, (name, notebook) in enumerate(zip(NOTEBOOKS, notebook_paths), start=1):
                begun = time.perf_counter()
                executed = work / f"{name}.ipynb"
                _execute(notebook, executed, {**parameters, "thread": str(path)}, folder, progress)
                (work / f"{name}.html").write_text(export_html(executed, with_code=with_code), encoding="utf-8")
                executed.unlink()
                log(f"threadlib: {key}: [{index}/{len(NOTEBOOKS)}] {name} done in {time.perf_counter() - begun:.1f} s")
            _swap_in(work, out / key)
        except BaseException as exc:
            shutil.rmtree(work, ignore_errors=True)
            if isinstance(exc, ReportError):
                raise ReportError(f"{key}: {exc}; the previous reports in {out / key} are kept") from None
            raise
        reports = [f"{key}/{name}.html" for name in NOTEBOOKS]
        manifest["threads"][key] = {**entry, "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                    "reports": reports}
        results.append(ReportResult(str(thread), "written", reports, time.perf_counter() - started))
    manifest["threadlib_version"] = __version__
    _write_atomically(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    _write_atomically(out / "index.html", index_html(manifest))
    return results



def index_html(manifest: dict) -> str:
    """The index page: one section a thread, with its reports and where they came from (escaped)."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8"><title>threadlib reports</title>',
             "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;}td,th{padding:2px 10px;"
             "text-align:left;}code{font-size:90%;}</style></head><body>", "<h1>threadlib reports</h1>"]
    for key, entry in sorted(manifest.get("threads", {}).items()):
        e = {k: html.escape(str(v)) for k, v in entry.items() if not isinstance(v, (list, dict))}
        parts.append(f"<h2>{html.escape(key)}</h2><table>"
                     f"<tr><th>input</th><td><code>{e.get('input', '')}</code></td></tr>"
                     f"<tr><th>input SHA-256</th><td><code>{e.get('input_sha256', '')}</code></td></tr>"
                     f"<tr><th>generated</th><td>{e.get('generated', '')}</td></tr>"
                     f"<tr><th>threadlib</th><td>{e.get('threadlib_version', '')}</td></tr>"
                     f"<tr><th>parameters</th><td><code>{html.escape(json.dumps(entry.get('parameters', {})))}"
                     "</code></td></tr></table><ul>")
        for report in entry.get("reports", []):
            name = Path(report).stem
            parts.append(f'<li><a href="{html.escape(report, quote=True)}">{html.escape(TITLES.get(name, name))}</a></li>')
        parts.append("</ul>")
    parts.append(f"<p>threadlib {html.escape(__version__)}</p></body></html>")
    return "\n".join(parts) + "\n"


def parse_parameter(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` from the command line; the value is read as JSON when it is JSON.

    >>> parse_parameter("start=2024-01-01"), parse_parameter('actors=["US"]'), parse_parameter("n=3")
    (('start', '2024-01-01'), ('actors', ['US']), ('n', 3))
    """
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier():
        raise ValueError(f"bad parameter {text!r}: write NAME=VALUE, e.g. -p start=2024-01-01")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


__all__ = ["NOTEBOOKS", "ReportError", "ReportResult", "export_html", "index_html", "run_reports"]
