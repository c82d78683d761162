"""The report pages in a real browser: headless Chromium (Debian's ``chromium``, which ``.ci/run``
installs), driven by Playwright. Each page of the sample's reports and of a thread with nothing to
extract must draw its charts, fetch nothing from the network, log no error and show no Python
warning. Screenshots go to the test's temporary folder. Without a browser these tests skip."""

import shutil

import pytest
from conftest import EMPTY_THREAD, ROOT, SAMPLE, report_key

from threadlib.report import CORPUS_NOTEBOOK, NOTEBOOKS, run_reports

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[dev]')")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (Debian: apt-get install chromium)")

PYTHON_NOISE = ("Warning:", "Traceback", "site-packages", "Empty DataFrame", "<threadlib.", "object at 0x")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    empty = folder / "chat.txt"
    empty.write_text(EMPTY_THREAD, encoding="utf-8")
    out = folder / "reports"
    run_reports([SAMPLE, empty], out=out, log=lambda message: None)
    return out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield launched
        launched.close()


def _visit(browser, path, screenshot):
    """Open a page; return what it requested beyond the reports folder's files, its console errors
    and warnings, its text and the charts vega-embed drew."""
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type in ("error", "warning") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)  # vega-embed draws after load
    drawn = page.locator(".threadlib-chart.vega-embed canvas, .threadlib-chart.vega-embed svg").count()
    text = page.inner_text("body")
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    # what it asked for beyond its own folder's files (the shared chart code is one of those)
    return [url for url in requests if not url.startswith(path.parent.parent.as_uri())], errors, text, drawn


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_sample_report_pages_draw_their_charts_offline(reports, browser, name, tmp_path):
    page = reports / report_key(SAMPLE) / f"{name}.html"
    requests, errors, text, drawn = _visit(browser, page, tmp_path / f"{name}.png")
    assert requests == [] and errors == []
    assert drawn == 1, f"{name}: the chart did not draw"
    assert "What the thread" in text  # the findings come first
    assert not [noise for noise in PYTHON_NOISE if noise in text]
    assert (tmp_path / f"{name}.png").stat().st_size > 10_000


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_pages_of_a_thread_with_nothing_to_extract_say_so(reports, browser, name, tmp_path):
    page = reports / report_key(reports.parent / "chat.txt") / f"{name}.html"
    requests, errors, text, drawn = _visit(browser, page, tmp_path / f"{name}.png")
    assert requests == [] and errors == []
    assert not [noise for noise in PYTHON_NOISE if noise in text]
    if name != "00_overview":  # the one post still has a place on the overview's chart
        assert drawn == 0 and "The thread has no " in text


def test_the_index_links_every_report_and_shows_figures(reports, browser, tmp_path):
    requests, errors, text, _ = _visit(browser, reports / "index.html", tmp_path / "index.png")
    assert requests == [] and errors == []
    assert "iraq" in text and "chat" in text and "troop figures" in text
    assert all((reports / report_key(SAMPLE) / f"{name}.html").is_file() for name in NOTEBOOKS)


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """JupyterLab serving a copy of the stored notebooks (so that Lab writes nothing into the repo)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    pytest.importorskip("jupyterlab", reason="JupyterLab is not installed (pip install -e '.[dev]')")
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)  # every cell rendered at once, not only those scrolled into view
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", f"--port={port}",
                               "--ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
                               f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
                               f"--LabApp.user_settings_dir={root / 'settings'}",
                               f"--LabApp.workspaces_dir={root / 'workspaces'}",
                               "--ServerApp.disable_check_xsrf=True"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("name", [*NOTEBOOKS, CORPUS_NOTEBOOK])
def test_jupyterlab_draws_the_stored_charts_without_running_the_notebook(jupyterlab, browser, name):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{jupyterlab}/lab/tree/notebooks/{name}.ipynb?reset")  # only this notebook open
    page.wait_for_selector(".jp-Notebook .vega-embed >> visible=true", timeout=60_000)
    page.wait_for_timeout(1000)
    drawn = page.locator(".jp-Notebook .vega-embed canvas, .jp-Notebook .vega-embed svg").count()
    garbled = page.locator(".jp-RenderedHTMLCommon .threadlib-chart").count()  # sanitised HTML, not a chart
    page.close()
    assert drawn >= 1 and garbled == 0


def test_jupyterlab_shows_the_exercises_and_keeps_their_answers_collapsed(jupyterlab, browser):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{jupyterlab}/lab/tree/notebooks/10_how_extraction_works.ipynb?reset")
    page.wait_for_selector(".jp-Notebook .jp-MarkdownCell >> visible=true", timeout=60_000)
    page.wait_for_timeout(1000)
    text = page.inner_text(".jp-Notebook")
    page.close()
    assert "Exercises" in text and "Answers" in text and "Find a sentence" in text
    assert "Many numbers are not troop counts" not in text  # the answers, folded under their heading


def test_make_lab_opens_the_project_root_with_the_environments_commands():
    import subprocess

    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert f'--ServerApp.root_dir="{ROOT}"' in dry and "--LabApp.default_url=/lab/tree/notebooks" in dry
    assert f'PATH="{ROOT}/.venv/bin:' in dry


def test_jupyterlab_runs_the_walk_through_end_to_end(jupyterlab, browser):
    """A student opens notebook 10 in Lab and runs every cell (Run > Run All Cells): every code cell
    gets its number, none shows an error."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{jupyterlab}/lab/tree/notebooks/10_how_extraction_works.ipynb?reset")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell >> visible=true", timeout=60_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=60_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Edit").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Clear Outputs of All Cells").first.click()
    page.wait_for_timeout(500)
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output")
    cleared = outputs.count()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    cells = page.locator(".jp-Notebook .jp-CodeCell")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
        ".every(p => /\\[\\d+\\]/.test(p.textContent))", timeout=180_000)
    page.wait_for_timeout(500)
    made = [outputs.nth(i).inner_text() for i in range(outputs.count())]
    errors = page.locator(".jp-Notebook .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    count, failed = cells.count(), [errors.nth(i).inner_text() for i in range(errors.count())]
    page.close()
    assert count >= 6 and not [message for message in failed if "Error" in message or "Traceback" in message]
    assert cleared == 0  # the stored outputs are gone ...
    assert any("troop mentions in the thread" in output for output in made)  # ... and made again in Lab
