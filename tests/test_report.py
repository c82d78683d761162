"""`threadlib report`: offline HTML, escaping of thread text, atomic replacement, --if-changed."""

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import EMPTY_THREAD, ROOT, SAMPLE, report_key

from threadlib import ownership
from threadlib.report import NOTEBOOKS, ReportError, run_reports

HOSTILE = "<script>alert('x')</script>"
HOSTILE_THREAD = """IRAQ <script>alert('title')</script>

mallory
Member
Posts: 3
Joined: Mon Jan 04, 2016 9:12 am

Re: IRAQ

Post by mallory » Tue Mar 13, 2018 4:05 pm

Read this <img src=x onerror=alert('comment')> and click javascript:alert('link')

NEWS <script>alert('outlet')</script>

"Troops <img src=x onerror=alert('headline')> stay in Iraq"

By Eve <script>alert('byline')</script>

2024-01-19

BAGHDAD — About 900 troops <script>alert('sentence')</script> remain in Iraq, officials said.

President Joe Biden said the U.S. combat mission in Iraq would end <img src=x onerror=alert('quote')>.

Since Oct. 17, U.S. forces have been attacked at least 55 times in Iraq <b onmouseover=alert('b')>here</b>.

javascript:alert('url')
"""


def _executable(page: str) -> list[str]:
    """Executable markup that only thread text could have put there."""
    found = re.findall(r"<script>alert|<img[^>]*onerror|<b\s+onmouseover|href=[\"']?\s*javascript:", page,
                       flags=re.IGNORECASE)
    return found + [m for m in re.findall(r"alert\('\w+'\)", page) if "&#x27;" not in m and "\\u0027" not in m
                    and not _inside_escaped(page, m)]


def _inside_escaped(page: str, marker: str) -> bool:
    """Whether every occurrence of ``marker`` sits in escaped text (&lt;...) or in script-safe JSON."""
    for match in re.finditer(re.escape(marker), page):
        before = page[max(0, match.start() - 60):match.start()]
        if "&lt;" not in before and "\\u003c" not in before and "javascript:" not in before:
            return False
    return True


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    thread = folder / "hostile.txt"
    thread.write_text(HOSTILE_THREAD, encoding="utf-8")
    out = folder / "reports"
    results = run_reports([thread], out=out, log=lambda message: None)
    return out, results


def test_reports_and_index_are_written(hostile_reports):
    out, results = hostile_reports
    assert [r.status for r in results] == ["written"]
    key = report_key(out.parent / "hostile.txt")
    assert key.startswith("iraq-script-alert")  # the thread's id, as in `threadlib extract`
    assert sorted(p.name for p in (out / key).iterdir() if p.name != ownership.MARKER) == [f"{name}.html" for name in NOTEBOOKS]
    manifest = json.loads((out / "manifest.json").read_text())
    entry = manifest["threads"][key]
    assert len(entry["input_sha256"]) == 64 and entry["reports"][0] == f"{key}/00_overview.html"
    assert f"{key}/03_position_shifts.html" in (out / "index.html").read_text()


def test_thread_text_is_escaped_in_every_report(hostile_reports):
    out, _ = hostile_reports
    pages = {path.name: path.read_text(encoding="utf-8") for path in out.rglob("*.html")}
    assert len(pages) == 5
    for name, page in pages.items():
        assert _executable(page) == [], name
    # The words themselves are there, as text: tables, tooltips (chart data) and the headline.
    overview = pages["00_overview.html"]
    assert re.search(r"<td>NEWS &lt;script&gt;alert\((?:&#x27;|')outlet(?:&#x27;|')\)&lt;/script&gt;</td>", overview)
    troops = pages["01_troop_counts.html"]
    assert "\\u003cscript\\u003ealert('sentence')\\u003c/script\\u003e" in troops


def test_reports_fetch_nothing_from_the_network_and_share_one_chart_script(hostile_reports):
    out, _ = hostile_reports
    assert "window.vegaEmbed=" in (out / "threadlib-charts.js").read_text(encoding="utf-8")
    for path in out.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        scripts = re.findall(r"<script[^>]+src=\"([^\"]*)\"", page)
        styles = re.findall(r"<link[^>]+href=\"([^\"]*)\"", page)
        assert scripts == ([] if path.name == "index.html" else ["../threadlib-charts.js"]), path.name
        assert styles == ([] if path.name == "index.html" else ["../threadlib-page.css"]), path.name
        assert not re.search(r"<link[^>]+href=[\"']?(?:https?:)?//", page), path.name
        if path.name != "index.html":
            assert "window.vegaEmbed=" not in page and "vegaEmbed('#threadlib-chart-" in page
            assert len(page.encode()) < 300_000, path.name  # the chart code is not in the page


def test_if_changed_skips_an_unchanged_thread(hostile_reports):
    out, _ = hostile_reports
    thread = out.parent / "hostile.txt"
    before = (out / report_key(out.parent / "hostile.txt") / "00_overview.html").stat().st_mtime_ns
    (result,) = run_reports([thread], out=out, if_changed=True, log=lambda message: None)
    assert result.status == "skipped"
    assert (out / report_key(out.parent / "hostile.txt") / "00_overview.html").stat().st_mtime_ns == before


def test_if_changed_on_an_unchanged_thread_loads_no_notebook_machinery(hostile_reports):
    out, _ = hostile_reports
    code = ("import sys\nfrom threadlib.cli import main\n"
            f"status = main(['report', {str(out.parent / 'hostile.txt')!r}, '--out', {str(out)!r}, '--if-changed'])\n"
            "print(status, sorted(m for m in ('altair', 'pandas', 'papermill', 'spacy') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "0 []", done.stderr


def test_a_broken_notebook_fails_clearly_and_keeps_the_previous_reports(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    broken = nbformat.read(notebooks / "01_troop_counts.ipynb", as_version=4)
    broken.cells.insert(2, nbformat.v4.new_code_cell("raise RuntimeError('this notebook is broken')"))
    nbformat.write(broken, notebooks / "01_troop_counts.ipynb")
    out = tmp_path / "reports"
    key = report_key(SAMPLE)
    (out / key).mkdir(parents=True)
    (out / key / "00_overview.html").write_text("previous report")
    ownership.mark(out / key, "report")  # as a previous run left it
    with pytest.raises(ReportError) as info:
        run_reports([SAMPLE], out=out, notebooks=notebooks, log=lambda message: None)
    message = str(info.value)
    assert "01_troop_counts.ipynb failed at cell" in message and "RuntimeError: this notebook is broken" in message
    assert "previous reports" in message
    assert (out / key / "00_overview.html").read_text() == "previous report"
    assert not [p.name for p in out.iterdir() if p.name.startswith(ownership.WORK_PREFIX)]  # no half-written folder
    assert "Not updated" in (out / "index.html").read_text()  # the index says which thread failed


def test_report_command_rejects_a_bad_thread_and_a_bad_parameter(tmp_path):
    missing = subprocess.run([sys.executable, "-m", "threadlib", "report", str(tmp_path / "none.txt"),
                              "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    bad = subprocess.run([sys.executable, "-m", "threadlib", "report", str(SAMPLE), "-p", "nonsense"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "write NAME=VALUE" in bad.stderr


@pytest.mark.parametrize("page", [
    "<td><script>alert('x')</script></td>",
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    "var spec = {\"t\": \"</script><script>alert('x')</script>\"};",
])
def test_the_executable_markup_check_catches_raw_payloads(page):
    assert _executable(page) != []


def test_a_thread_with_nothing_to_extract_still_gets_its_reports(tmp_path):
    thread = tmp_path / "chat.txt"
    thread.write_text(EMPTY_THREAD)
    (result,) = run_reports([thread], out=tmp_path / "out", log=lambda message: None)
    assert result.status == "written"
    pages = {name: (tmp_path / "out" / report_key(thread) / f"{name}.html").read_text() for name in NOTEBOOKS}
    assert "The thread has no troop-count mention." in pages["01_troop_counts"]
    assert "The thread has no attack-frequency claim." in pages["02_attack_frequency"]
    assert "The thread has no stated position." in pages["03_position_shifts"]
    for name, page in pages.items():  # no empty chart, no header-only table, no Python warning
        assert "vegaEmbed('#" not in page or name == "00_overview", name
        assert "Warning" not in page and "site-packages" not in page and "Empty DataFrame" not in page, name


def test_one_unreadable_thread_of_three_does_not_block_the_others(tmp_path):
    good = [tmp_path / "a" / "iraq.txt", tmp_path / "b" / "iraq.txt"]
    for path in good:
        path.parent.mkdir()
        shutil.copy(SAMPLE, path)
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "threadlib", "report", str(good[0]), str(bad), str(good[1]),
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert "1 of 3 threads failed" in result.stderr and "broken" in result.stderr and "Traceback" not in result.stderr
    assert "IPKernelApp" not in result.stderr and "WARNING" not in result.stderr  # quiet kernels (local sockets)
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["threads"]) == 3 and manifest["threads"]["broken"]["failed"]
    written = [key for key, entry in manifest["threads"].items() if not entry.get("failed")]
    assert len(written) == 2 and all((out / key / "01_troop_counts.html").is_file() for key in written)
    assert "broken" in (out / "index.html").read_text()


def test_log_lines_carry_the_time_when_not_on_a_terminal_and_papermill_stays_quiet(tmp_path):
    result = subprocess.run([sys.executable, "-m", "threadlib", "report", str(SAMPLE), "--out", str(tmp_path / "out"),
                             "-p", 'targets=["US"]'], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if "done in" in line]
    assert len(progress) == len(NOTEBOOKS)
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d threadlib: ", line) for line in progress)
    assert "unknown parameter" not in result.stderr.lower() and "WARNING" not in result.stderr


@pytest.mark.slow
def test_a_plain_install_reports_the_sample_from_any_folder(tmp_path):
    """Built as a wheel and installed outside the repository, ``threadlib report`` with no
    arguments finds its notebooks and the sample thread in the package."""
    wheels, site, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True)
    (wheel,) = wheels.glob("threadlib-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True)
    env = {**__import__("os").environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import threadlib; print(threadlib.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(site))  # the installed copy, not the source tree
    result = subprocess.run([sys.executable, "-m", "threadlib", "report"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (elsewhere / "reports" / report_key(SAMPLE)).iterdir()
                  if p.name != ownership.MARKER) == [f"{n}.html" for n in NOTEBOOKS]


def test_many_threads_render_in_two_kernels_and_get_a_corpus_page(tmp_path):
    threads = [tmp_path / "iraq.txt", tmp_path / "sahel.txt"]
    shutil.copy(SAMPLE, threads[0])
    shutil.copy(ROOT / "data" / "threads" / "practice_sahel.txt", threads[1])
    out = tmp_path / "reports"
    lines: list[str] = []
    results = run_reports(threads, out=out, jobs=2, log=lines.append)
    assert [r.status for r in results] == ["written", "written"]
    assert sum("done in" in line and "iraq" in line for line in lines) == len(NOTEBOOKS)  # each kernel's lines
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(manifest["threads"]) == sorted(report_key(path) for path in threads)
    assert manifest["corpus"]["inputs"] == sorted(str(path.resolve()) for path in threads)
    page = (out / "corpus.html").read_text(encoding="utf-8")
    assert "2 threads read, 12 posts in all." in page and "iraq-3d2836c6c2" in page
    assert 'href="corpus.html"' in (out / "index.html").read_text()
    before = (out / "corpus.html").stat().st_mtime_ns
    lines.clear()
    again = run_reports(threads, out=out, jobs=2, if_changed=True, log=lines.append)
    assert [r.status for r in again] == ["skipped", "skipped"]
    assert "threadlib: corpus page unchanged, skipped" in lines
    assert (out / "corpus.html").stat().st_mtime_ns == before
