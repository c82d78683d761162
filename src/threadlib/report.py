"""HTML reports: run each analysis notebook on a thread (papermill's parameters, nbclient, one kernel
for many notebooks), export it with nbconvert.

Reports go to ``<out>/<key>/<notebook>.html`` (``key``: the thread's id, as in ``threadlib extract``),
with ``<out>/index.html`` and ``<out>/manifest.json`` listing threads, reports, generation time,
checksums and version. They open with no network: every page reads the chart code and the page
style from two files of ``<out>`` (``threadlib-charts.js``, ``threadlib-page.css``) and fetches nothing.
Each thread is extracted once; the notebooks read its tables (`report_tables`).

A thread's reports are rendered in a temporary folder beside the old ones and swapped in only when
every notebook has run, so a failed run leaves the previous reports as they were. One run at a
time writes to a reports folder (a lock file; a second run waits). ``--if-changed`` skips a thread
whose input, notebooks, code, lexicons and parameters are those of its reports, and whose report
files are still as written.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import functools
import html
import json
import keyword
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import threadlib

from .errors import ReportError, ThreadFormatError  # noqa: F401 (ReportError is raised here)
from .notebook_session import KERNEL_STOPPED
from .fingerprint import code_fingerprint, file_sha256
from .output import swap_in_folder
from .ownership import mark, refuse_foreign, refuse_input_as_output, remove_leftovers, user_mode, work_dir, work_file
from .corpora import default_cache_dir
from .thread import load_thread

NOTEBOOKS = ("00_overview", "01_troop_counts", "02_attack_frequency", "03_position_shifts")
TITLES = {"00_overview": "Overview: posts and articles", "01_troop_counts": "Troop counts",
          "02_attack_frequency": "Attack frequency", "03_position_shifts": "Positions and their shifts",
          "04_corpus": "All the threads read together"}


@dataclass
class ReportResult:
    """What happened to one thread: ``written`` or ``skipped`` (unchanged), and its report files."""

    thread: str
    status: str
    reports: list[str] = field(default_factory=list)
    seconds: float = 0.0


def find_notebooks(folder: str | os.PathLike | None = None) -> Path:
    """The notebooks folder: the one given, ``./notebooks``, the one beside the source tree, or the
    copy installed with the package."""
    package = Path(__file__).resolve().parent
    candidates = [Path(folder)] if folder else [Path("notebooks"), package.parents[1] / "notebooks",
                                                package / "notebooks"]
    for candidate in candidates:
        if all((candidate / f"{name}.ipynb").is_file() for name in NOTEBOOKS):
            return candidate.resolve()
    where = ", ".join(str(c) for c in candidates)
    raise ReportError(f"no analysis notebooks found (looked in {where}); give the folder with --notebooks")


VEGA_FILE = "threadlib-charts.js"  # the chart code, once in a reports folder, shared by its pages
CSS_FILE = "threadlib-page.css"    # the page style (JupyterLab's), likewise


def export_html(notebook, *, with_code: bool = False, vega_src: str | None = None) -> str:
    """The executed notebook (a path or an nbformat node) as one offline HTML page: code hidden unless
    ``with_code``; cells tagged ``answer``, the exercises' answers, left out. The chart code and
    the page style are read from the local files ``vega_src`` and the `CSS_FILE` beside it (relative
    links, see `write_shared_files`) or, without it, inlined in the page."""
    import nbformat

    from .charts import html_outputs, vega_script

    executed = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, (str, os.PathLike)) else notebook
    html_outputs(executed)
    script = (f'<script src="{html.escape(vega_src, quote=True)}"></script>' if vega_src else vega_script())
    css = str(Path(vega_src).with_name(CSS_FILE)) if vega_src else ""
    body, _ = _exporter(with_code).from_notebook_node(executed, resources={"threadlib_vega_script": script,
                                                                          "threadlib_css_href": css})
    return body


@functools.cache
def _exporter(with_code: bool):
    """The page exporter (made once: its templates are read once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    templates = resources.files("threadlib").joinpath("templates")
    exporter = HTMLExporter(template_name="threadlib", extra_template_basedirs=[str(templates)])
    exporter.exclude_input = not with_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.embed_images = True
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"answer"}, enabled=True), enabled=True)
    return exporter


def write_shared_files(out: Path) -> None:
    """The Vega, Vega-Lite and vega-embed code as ``out/threadlib-charts.js`` and JupyterLab's page
    style as ``out/threadlib-page.css``, which every page of the folder loads from disk (no network);
    each written unless it is there already as it would be written."""
    from .charts import vega_code

    for name, text in ((VEGA_FILE, vega_code()), (CSS_FILE, _lab_css())):
        target = out / name
        if not target.is_file() or target.read_text(encoding="utf-8", errors="replace") != text:
            _write_atomically(target, text)


def _lab_css() -> str:
    """The style that nbconvert's lab template inlines in each page (its light theme)."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("nbconvert", "templates", "lab", "static"):
        if (Path(folder) / "index.css").is_file():
            return "\n".join((Path(folder) / name).read_text(encoding="utf-8") for name in ("index.css", "theme-light.css"))
    raise ReportError("nbconvert's lab template is not installed (pip install nbconvert)")


def _default_log() -> Callable[[str], None]:
    """Log lines to stderr; with the time in front when stderr is not a terminal (a log file)."""
    if sys.stderr.isatty():
        return lambda message: print(message, file=sys.stderr)
    return lambda message: print(f"{dt.datetime.now().isoformat(timespec='seconds')} {message}", file=sys.stderr)


def _local_kernels(folder: str):
    """A kernel manager that talks to its kernel over local sockets (IPC) in ``folder``, not over
    TCP: no port is opened, and the kernel has no "running over TCP without encryption" warning
    to print. The kernel's own stderr (its log, such as the "KeyboardInterrupt caught in kernel"
    it prints while shutting down) goes to ``folder/kernel.log``, not to the user's log: what a
    notebook prints, and why a cell failed, come back as its outputs."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(folder, "kernel"))
            super().__init__(**kwargs)
            # the connection file in the run's own folder too, not in Jupyter's runtime folder
            self.connection_file = os.path.join(folder, f"kernel-{os.getpid()}-{id(self)}.json")

        async def start_kernel(self, **kw):
            with open(os.path.join(folder, "kernel.log"), "ab") as log:
                kw.setdefault("stderr", log)
                return await super().start_kernel(**kw)

    return LocalKernelManager


@contextlib.contextmanager
def _locked(out: Path, log: Callable[[str], None]):
    """Hold the lock of a reports folder (`filelock`, on every platform): a second run into it waits
    until the first is done. The work that runs killed left behind (threadlib's own names only) is
    removed once it is held."""
    from filelock import FileLock, Timeout

    lock = FileLock(out / ".threadlib.lock", thread_local=False, is_singleton=False)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log(f"threadlib: another report run is writing to {out}; waiting for it to finish")
        lock.acquire()
    try:
        remove_leftovers(out)
        yield
    finally:
        lock.release()


_SLUG_DROPS = re.compile(r"[^A-Za-z0-9_-]+")


def _slug(text: str) -> str:
    return _SLUG_DROPS.sub("-", text).strip("-") or "thread"


def report_keys(ids: list[str]) -> list[str]:
    """A folder name per thread: its id, as in ``threadlib extract`` and the corpus tables
    (`corpora.thread_id`: its title and a hash of its first post, the same when it grows or moves),
    numbered as the corpus numbers them (`corpora.numbered_ids`: a second snapshot gets ``~2``)."""
    from .corpora import numbered_ids

    return numbered_ids(ids)


def _read_manifest(out: Path) -> dict:
    path = out / "manifest.json"
    if path.is_file():
        with contextlib.suppress(ValueError, OSError):
            manifest = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(manifest, dict) and isinstance(manifest.get("threads"), dict):
                return manifest
    return {"threads": {}}


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = work_file(path.parent, path.name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temp, user_mode(folder=False))
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)


def _check_ownership(out: Path, keys: list[str], manifest: dict, inputs: list[Path]) -> None:
    """Refuse, before any notebook runs, to write where something threadlib did not make is in the
    way: a thread's folder without the marker (or, from an earlier version, not listed in the
    manifest with only report pages in it), the index or corpus page of a folder with no manifest,
    a manifest that is not threadlib's, or an input thread among the files written."""
    manifest_file = out / "manifest.json"
    if manifest_file.exists() and not _read_manifest(out).get("threadlib_version"):
        refuse_foreign(manifest_file)
    for page in ("index.html", "corpus.html", VEGA_FILE, CSS_FILE):
        if not manifest_file.exists():
            refuse_foreign(out / page)
    for name in ("index.html", "corpus.html", "manifest.json", VEGA_FILE, CSS_FILE):
        refuse_input_as_output(out / name, inputs)
    listed = manifest.get("threads", {})

    def old_report_folder(folder: Path) -> bool:
        pages = {f"{name}.html" for name in NOTEBOOKS}
        return (folder.name in listed and folder.is_dir() and not folder.is_symlink()
                and all(entry.name in pages for entry in folder.iterdir()))

    for key in keys:
        refuse_foreign(out / key, ours=old_report_folder)


def _unchanged(previous: dict, entry: dict, out: Path) -> bool:
    """Whether a thread's reports are those its inputs would make now: the same inputs, notebooks,
    code, lexicons and parameters, and every report file still as it was written."""
    if any(previous.get(key) != value for key, value in entry.items()):
        return False
    recorded = previous.get("report_sha256", {})
    reports = previous.get("reports") or []
    return bool(reports) and all((out / report).is_file() and recorded.get(report) == file_sha256([out / report])
                                 for report in reports)


def run_reports(threads: list[str | os.PathLike], *, out: str | os.PathLike = "reports",
                parameters: dict | None = None, with_code: bool = False, if_changed: bool = False,
                notebooks: str | os.PathLike | None = None,
                log: Callable[[str], None] | None = None, jobs: int = 1) -> list[ReportResult]:
    """Make the reports of each thread; see the module's docstring. Raises `ThreadFormatError`
    for a thread that cannot be read and `ReportError` for a notebook that fails. Every kind is
    extracted from each thread once, here, and the notebooks read those tables (`report_tables`);
    ``jobs`` kernels run the notebooks, a thread's four in one kernel, while the next thread is
    extracted. The manifest and the index
    are written once, by this process, when all are done. With several threads, a corpus page
    (``corpus.html``, notebook 04) reads them together."""
    log = log or _default_log()
    parameters = dict(parameters or {})
    _skip_unused_imports()
    folder = find_notebooks(notebooks)
    notebook_paths = [folder / f"{name}.ipynb" for name in NOTEBOOKS]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out, log), _private_folder() as private:
        threads = _streams_read_once(threads, private)
        run = _Run(out, parameters, with_code, folder, private, log, max(1, jobs))
        try:
            return _run_locked(run, threads, if_changed, notebook_paths)
        finally:
            for kernel in run.kernels:
                kernel.close()


@dataclass
class _Run:
    """What every part of one report run shares."""

    out: Path
    parameters: dict
    with_code: bool
    folder: Path     # the notebooks
    private: Path    # the run's own temporary folder: kernels' sockets, the extracted tables
    log: Callable[[str], None]
    jobs: int
    kernels: list = field(default_factory=list)  # NotebookSessions, started by `warm_kernels`

    def warm_kernels(self, count: int) -> None:
        """Start ``count`` kernels (in all) and their imports, which go on while the threads are extracted."""
        while len(self.kernels) < count:
            self.kernels.append(self.session())
            self.kernels[-1].warm_up(_WARM_UP)

    def session(self):
        """A kernel for notebook after notebook, started in the notebooks' folder, that reads the
        tables this run extracted and draws no static copy of each chart (the page draws them)."""
        from . import report_tables
        from .notebook_session import NotebookSession

        env = {**os.environ, report_tables.ENV: str(self.private / "tables"), "THREADLIB_CHART_SVG": "0"}
        return NotebookSession(self.folder, env=env,
                               kernel_manager_class=_local_kernels(str(self.private)) if os.name == "posix" else None)


# jsonschema's format checker builds a grammar of IRIs when rfc3987-syntax is installed (a second and a
# half at import, through nbformat and Altair); nothing in a report checks that format, so a report
# run and its kernels do without it, unless jsonschema is loaded already.
_WARM_UP = ("import sys\nif 'jsonschema' not in sys.modules:\n    sys.modules.setdefault('rfc3987_syntax', None)\n"
            "import threadlib, threadlib.notebook, threadlib.findings, matplotlib.pyplot, altair\n"
            "altair.Chart(altair.Data(values=[{'x': 1}])).mark_point().encode(x='x:Q').to_dict()  # the validator\n")


def _skip_unused_imports() -> None:
    """What `_WARM_UP` does first, in this process."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


@contextlib.contextmanager
def _private_folder():
    """A folder of this run's own in the system's temporary folder (kernels' sockets, connection
    files and logs, threads read from a stream), removed at the end; what a killed run left there
    is removed by the next one (`ownership.remove_leftovers`)."""
    temporary = Path(tempfile.gettempdir())
    remove_leftovers(temporary)
    folder = work_dir(temporary, "report")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _streams_read_once(threads: list, folder: Path) -> list:
    """Threads given as a stream (``-``, a pipe, a FIFO) are read once, into a file of ``folder``
    named like the stream, which the notebooks then read (a stream cannot be read twice)."""
    import stat

    out = []
    for thread in threads:
        name = os.fspath(thread)
        try:
            mode = os.stat(name).st_mode if name != "-" else None
        except OSError:
            out.append(thread)  # missing: the check before any notebook runs says so
            continue
        if mode is not None and (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            out.append(thread)
            continue
        copy = folder / "streams" / (Path(name).name if name != "-" else "stdin.txt")
        copy.parent.mkdir(exist_ok=True)
        with (sys.stdin.buffer if name == "-" else open(name, "rb")) as source, copy.open("wb") as target:
            shutil.copyfileobj(source, target)
        out.append(copy)
    return out


def _run_locked(run: _Run, threads, if_changed: bool, notebook_paths: list[Path]) -> list[ReportResult]:
    from .corpora import thread_id_of

    out, log = run.out, run.log
    manifest = _read_manifest(out)
    paths = [Path(thread).resolve() for thread in threads]
    unreadable: dict[Path, ThreadFormatError] = {}
    ids = []
    for path in paths:
        try:
            load_thread(path)  # a thread that cannot be read fails here, before any notebook runs
            ids.append(thread_id_of(path))
        except ThreadFormatError as exc:
            unreadable[path] = exc
            ids.append(_slug(path.stem))
    if unreadable and len(unreadable) == len(paths):
        raise next(iter(unreadable.values()))  # nothing to render: the user's mistake, said as is
    code_sha256 = code_fingerprint()
    results, failures, todo = [], [], []
    for thread, path, key in zip(threads, paths, report_keys(ids)):
        if path in unreadable:
            failures.append(f"{key}: {unreadable[path]}")
            log(f"threadlib: {key}: skipped, it cannot be read: {unreadable[path]}")
            manifest["threads"][key] = {**manifest["threads"].get(key, {}), "input": str(thread),
                                        "input_path": str(path), "failed": str(unreadable[path])}
            results.append(ReportResult(str(thread), "failed", manifest["threads"][key].get("reports", [])))
            continue
        entry = {"input": str(thread), "input_path": str(path), "input_sha256": file_sha256([path]),
                 "notebooks_sha256": file_sha256(notebook_paths), "code_sha256": code_sha256,
                 "parameters": run.parameters, "threadlib_version": threadlib.__version__}
        previous = manifest["threads"].get(key, {})
        if if_changed and not previous.get("failed") and _unchanged(previous, entry, out):
            log(f"threadlib: {key}: unchanged since {previous.get('generated')}, skipped")
            results.append(ReportResult(str(thread), "skipped", previous.get("reports", [])))
            continue
        todo.append((thread, path, key, entry, previous))
    _check_ownership(out, [item[2] for item in todo], manifest, paths)
    corpus_inputs = _corpus_inputs(manifest, [(item[1], str(item[0])) for item in todo])
    needs_corpus = len(corpus_inputs) >= 2 and not (if_changed and not todo and _corpus_unchanged(out, manifest))
    if len(corpus_inputs) >= 2 and not needs_corpus:
        log("threadlib: corpus page unchanged, skipped")
    if todo or needs_corpus:
        write_shared_files(out)
    renders = _extract_and_render(run, todo, corpus_inputs if needs_corpus else [], notebook_paths,
                                  default_cache_dir() if if_changed else run.private / "cache")
    for (thread, path, key, entry, previous), (figures, seconds, error) in zip(todo, renders):
        if error is not None:
            failures.append(f"{key}: {error}; the previous reports in {out / key} are kept")
            log(f"threadlib: {failures[-1]}")
            manifest["threads"][key] = {**previous, "input": str(thread), "input_path": str(path), "failed": str(error)}
            results.append(ReportResult(str(thread), "failed", previous.get("reports", [])))
            continue
        reports = [f"{key}/{name}.html" for name in NOTEBOOKS]
        manifest["threads"][key] = {**entry, "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                    "reports": reports, "figures": figures,
                                    "report_sha256": {report: file_sha256([out / report]) for report in reports}}
        results.append(ReportResult(str(thread), "written", reports, seconds))
    if needs_corpus:
        _corpus_page(run, manifest)
    manifest["threadlib_version"] = threadlib.__version__
    # ASCII with escapes: a thread's path may hold bytes that are not UTF-8, which JSON keeps as "\udcff"
    _write_atomically(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
    _write_atomically(out / "index.html", index_html(manifest))
    if failures:
        raise ReportError(f"{len(failures)} of {len(paths)} threads failed ({'; '.join(failures)}); the others "
                          f"were written, see {out / 'index.html'}",
                          exit_status=2 if any(KERNEL_STOPPED in failure for failure in failures) else 1)
    return results


def _extract_and_render(run: _Run, todo: list, corpus_inputs: list[tuple[str, str]], notebook_paths: list[Path],
                        cache: Path) -> list[tuple[dict, float, str | None]]:
    """Extract every kind from each thread of ``todo`` once, in this process, and render it in a
    kernel while the next thread is extracted: ``run.jobs`` kernels, each driven from a thread of
    this process, take the threads whose tables are ready (`report_tables`). Each thread's records go
    through the corpus ``cache``, from which the corpus page's tables then come without extracting
    again. Returns (figures, seconds, error) a thread of ``todo``, in its order."""
    import queue
    from concurrent.futures import ThreadPoolExecutor

    from . import report_tables
    from .corpora import KINDS, corpus

    kinds = tuple(kind for kind in KINDS if kind != "posts")
    tables = run.private / "tables"

    def extract(files: list[Path], **options):
        return corpus(files, kinds, jobs=1, cache=cache, log=lambda line: None, progress=False, **options)

    ready: queue.Queue = queue.Queue()
    done: dict[int, tuple[dict, float, str | None]] = {}

    def drive(kernel) -> None:
        while (item := ready.get()) is not None:
            index, key, path = item
            done[index] = _render_timed(run, kernel, key, path, notebook_paths, run.log)

    run.warm_kernels(max(1, min(run.jobs, len(todo))) if todo or corpus_inputs else 0)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(run.kernels) or 1) as drivers:
        driving = [drivers.submit(drive, kernel) for kernel in run.kernels if todo]
        try:
            for index, (_, path, key, _, _) in enumerate(todo):
                report_tables.save(extract([path]), [path], tables)
                ready.put((index, key, path))
        finally:
            for _ in driving:
                ready.put(None)
        for driver in driving:
            driver.result()
    if corpus_inputs:  # the threads rendered above come from the cache
        inputs = [Path(path) for path, _ in corpus_inputs]
        report_tables.save(extract(inputs), inputs, tables, shown=[shown for _, shown in corpus_inputs])
    if todo:
        run.log(f"threadlib: {len(todo)} thread{'s' if len(todo) != 1 else ''} extracted and rendered in "
                f"{time.perf_counter() - started:.1f} s")
    return [done[i] for i in range(len(todo))]


def headline_figures(notebook) -> dict:
    """The figures an executed notebook's findings carry (posts, troop mentions, claims ...)."""
    from .findings import FIGURES_MIME

    figures: dict = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            found = output.get("data", {}).get(FIGURES_MIME)
            if isinstance(found, dict):
                figures.update(found)
    return figures


def _render(run: _Run, session, key: str, path: Path, notebook_paths: list[Path], log: Callable[[str], None]) -> dict:
    """Run every notebook on one thread, write its pages in a temporary folder, then swap it in for
    ``out/key``; returns the headline figures of its findings. A page is written (in a thread of
    this process) while the kernel runs the next notebook."""
    from concurrent.futures import ThreadPoolExecutor

    work = work_dir(run.out, key)
    figures: dict = {}
    try:
        with ThreadPoolExecutor(max_workers=1) as writer:
            written = []
            for index, (name, notebook) in enumerate(zip(NOTEBOOKS, notebook_paths), start=1):
                begun = time.perf_counter()
                # Each notebook gets the parameters it declares, so papermill has nothing to warn about.
                own = {k: v for k, v in {**run.parameters, "thread": str(path)}.items()
                       if k in notebook_parameters(notebook)}
                executed = session.run(notebook, own)
                figures.update(headline_figures(executed))
                written.append(writer.submit(_write_page, executed, work / f"{name}.html", run.with_code))
                log(f"threadlib: {key}: [{index}/{len(NOTEBOOKS)}] {name} done in {time.perf_counter() - begun:.1f} s")
            for page in written:
                page.result()
        mark(work, "report")
        swap_in_folder(work, run.out / key)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures


def _write_page(executed, page: Path, with_code: bool) -> None:
    page.write_text(export_html(executed, with_code=with_code, vega_src=f"../{VEGA_FILE}"), encoding="utf-8")


def _render_timed(run: _Run, session, key: str, path: Path, notebook_paths: list[Path],
                  log: Callable[[str], None]) -> tuple[dict, float, str | None]:
    started = time.perf_counter()
    try:
        figures = _render(run, session, key, path, notebook_paths, log)
    except ReportError as exc:
        return {}, time.perf_counter() - started, str(exc)
    return figures, time.perf_counter() - started, None


CORPUS_NOTEBOOK = "04_corpus"


def _corpus_inputs(manifest: dict, todo: list[tuple[Path, str]]) -> list[tuple[str, str]]:
    """The threads of the corpus page, (path, name as given), in path order: every thread of the
    index whose reports are up to date, and those about to be rendered."""
    inputs = {entry["input_path"]: entry.get("input", entry["input_path"])
              for entry in manifest.get("threads", {}).values()
              if not entry.get("failed") and entry.get("input_path") and Path(entry["input_path"]).is_file()}
    inputs.update({str(path): given for path, given in todo})
    return sorted(inputs.items())


def _corpus_unchanged(out: Path, manifest: dict) -> bool:
    previous = manifest.get("corpus") or {}
    page = out / "corpus.html"
    return (previous.get("inputs") == [path for path, _ in _corpus_inputs(manifest, [])] and page.is_file()
            and previous.get("sha256") == file_sha256([page]))


def _corpus_page(run: _Run, manifest: dict) -> None:
    """Write ``out/corpus.html``: notebook 04 over every thread of the index whose reports are up to
    date, when there are two or more."""
    notebook = run.folder / f"{CORPUS_NOTEBOOK}.ipynb"
    inputs = [path for path, _ in _corpus_inputs(manifest, [])]
    previous = manifest.get("corpus") or {}
    if len(inputs) < 2 or not notebook.is_file():
        return
    started = time.perf_counter()
    page = run.out / "corpus.html"
    run.warm_kernels(1)
    try:
        executed = run.kernels[0].run(notebook, {"threads": inputs, "jobs": 1})
    except ReportError as exc:
        run.log(f"threadlib: corpus page not updated: {exc}")
        manifest["corpus"] = {**previous, "failed": str(exc)}
        return
    _write_atomically(page, export_html(executed, with_code=run.with_code, vega_src=VEGA_FILE))
    manifest["corpus"] = {"inputs": inputs, "report": "corpus.html", "sha256": file_sha256([page]),
                          "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    run.log(f"threadlib: corpus page ({len(inputs)} threads) done in {time.perf_counter() - started:.1f} s")


FIGURE_COLUMNS = (("posts", "posts"), ("articles", "articles"), ("troop_mentions", "troop figures"),
                  ("attack_claims", "attack claims"), ("positions", "positions"), ("shifts", "shifts"))


def index_html(manifest: dict) -> str:
    """The index page: a table of every thread's headline figures with links to its reports, then
    where each came from (input, checksum, parameters, time); a Jinja2 template, all of it escaped."""
    import jinja2

    folder = resources.files("threadlib").joinpath("templates", "index")
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), autoescape=True,
                                     undefined=jinja2.ChainableUndefined)
    threads = sorted(manifest.get("threads", {}).items())
    return environment.get_template("index.html.j2").render(
        threads=threads, corpus=manifest.get("corpus") or {}, figure_columns=FIGURE_COLUMNS,
        relative_link=_relative_link, title=lambda report: TITLES.get(Path(report).stem, Path(report).stem),
        shown_parameters=lambda parameters: ", ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in (parameters or {}).items()) or "defaults",
        version=threadlib.__version__) + "\n"


def _relative_link(report: str) -> str:
    """A link to a report inside the reports folder, percent-encoded: never a scheme
    ("javascript:"), an absolute path or a way out of the folder.

    >>> _relative_link("iraq/00_overview.html"), _relative_link("javascript:alert(1)//x.html")
    ('iraq/00_overview.html', './javascript%3Aalert%281%29/x.html')
    """
    parts = [part for part in report.split("/") if part not in ("", ".", "..")]
    link = "/".join(urllib.parse.quote(part, safe="") for part in parts)
    return link if parts and ":" not in parts[0] else f"./{link}"


def parse_parameter(text: str) -> tuple[str, object]:
    """``NAME=VALUE`` from the command line; the value is read as JSON when it is JSON.

    >>> parse_parameter("start=2024-01-01"), parse_parameter('actors=["US"]'), parse_parameter("n=3")
    (('start', '2024-01-01'), ('actors', ['US']), ('n', 3))
    """
    name, sep, value = text.partition("=")
    if not sep or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"bad parameter {text!r}: write NAME=VALUE, e.g. -p start=2024-01-01")
    try:
        return name, json.loads(value)
    except ValueError:
        return name, value


def notebook_parameters(notebook: Path) -> dict[str, object]:
    """The parameters one notebook declares: the names and literal defaults of its cell tagged
    ``parameters``, as papermill's inspection reads them (without a kernel)."""
    declared: dict[str, object] = {}
    for name, found in _inspected(str(notebook), notebook.stat().st_mtime_ns).items():
        with contextlib.suppress(ValueError, SyntaxError, TypeError):
            declared[name] = ast.literal_eval(found["default"])
    return declared


@functools.lru_cache(maxsize=32)
def _inspected(path: str, modified: int) -> dict:
    """papermill's reading of the parameters cell, with its Python translator (the notebooks run in
    Python, whether or not they name their kernel)."""
    _skip_unused_imports()
    from papermill.iorw import load_notebook_node
    from papermill.translators import PythonTranslator
    from papermill.utils import find_first_tagged_cell_index

    notebook = load_notebook_node(path)
    index = find_first_tagged_cell_index(notebook, "parameters")
    if index < 0:
        return {}
    return {found.name: found._asdict() for found in PythonTranslator.inspect(notebook.cells[index])}


def declared_parameters(folder: Path) -> dict[str, object]:
    """The parameters the notebooks declare, with their defaults; ``thread`` is set by the report."""
    declared: dict[str, object] = {}
    for name in NOTEBOOKS:
        for key, value in notebook_parameters(folder / f"{name}.ipynb").items():
            declared.setdefault(key, value)
    declared.pop("thread", None)
    return declared


def _no_constant(word: str):
    raise ValueError(f"{word} is no value a notebook can use")


def check_parameters(texts: list[str], folder: Path) -> dict[str, object]:
    """``-p NAME=VALUE`` pairs checked against what the notebooks declare, before any kernel starts.

    A value is read as JSON (``3``, ``["US"]``, ``null``); text that is not JSON is taken as a
    string only where the parameter's default is a string or None, else refused with how to quote it.
    Raises ``ValueError`` with a one-line message.
    """
    if not texts:
        return {}  # nothing to check: the notebooks are not read (an unchanged --if-changed run loads no papermill)
    declared = declared_parameters(folder)
    parameters = {}
    for text in texts:
        if any("\udc80" <= c <= "\udcff" for c in text):
            shown = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise ValueError(f"-p {shown}: not UTF-8 text; give the value in UTF-8")
        name, sep, value = text.partition("=")
        if not sep:
            raise ValueError(f"bad parameter {text!r}: write NAME=VALUE, e.g. -p start=2024-01-01")
        if name not in declared:
            raise ValueError(f"unknown parameter {name!r}; the notebooks take: {', '.join(sorted(declared))}")
        try:
            parameters[name] = json.loads(value, parse_constant=_no_constant)
        except ValueError:
            default = declared[name]
            if default is not None and not isinstance(default, str):
                raise ValueError(f"-p {name}: {value!r} is not a JSON value ({name} defaults to {default!r}); "
                                 f"to pass it as text, quote it: -p '{name}=\"{value}\"'") from None
            parameters[name] = value
    return parameters


__all__ = ["NOTEBOOKS", "ReportError", "ReportResult", "export_html", "index_html", "run_reports"]
