"""The conventions of the Jupyter/pandas world that users rely on (issue 21): kernelspecs, what the
extractors accept, reachable modules, short reprs, refused outputs and lexicons named in one line."""

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLE

import threadlib
from threadlib.cli import main
from threadlib.errors import LexiconError


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_names_its_kernel(notebook):
    metadata = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
    assert metadata["kernelspec"]["name"] == "python3" and metadata["language_info"]["name"] == "python"


@pytest.mark.parametrize("kind", ["troops", "attacks", "positions"])
def test_extractors_take_a_path_a_thread_or_text(kind):
    extract = getattr(threadlib, kind)
    options = {} if kind == "positions" else {"parse": False}
    thread = threadlib.load_thread(SAMPLE)
    from_thread = extract(thread, **options)
    assert extract(SAMPLE, **options).equals(from_thread)
    assert extract(str(SAMPLE), **options).equals(from_thread)
    assert extract(SAMPLE.read_text(encoding="utf-8"), **options).drop(columns=[], errors="ignore").shape == \
        from_thread.shape


def test_modules_are_reachable_after_import_threadlib():
    code = "import threadlib; threadlib.lexicon.reload(); print(callable(threadlib.troops), threadlib.notebook.__name__)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "threadlib.notebook"]


def test_a_thread_has_a_short_repr_and_an_escaped_html_view():
    thread = threadlib.load_thread(SAMPLE.read_text(encoding="utf-8").replace("IRAQ", "<script>x</script>", 1))
    assert repr(thread).startswith("Thread('<script>x</script>', 10 posts") and len(repr(thread)) < 200
    page = thread._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and page.count("<tr") == 11  # a header, 10 posts


def test_an_output_of_an_unknown_kind_is_refused_with_the_known_ones(tmp_path, capsys):
    assert main(["extract", "troops", str(SAMPLE), "-o", str(tmp_path / "t.xlsx")]) == 2
    error = capsys.readouterr().err
    assert "does not write .xlsx files" in error and ".csv" in error and ".parquet" in error
    assert not (tmp_path / "t.xlsx").exists()


def test_a_missing_lexicon_folder_or_a_lexicon_without_its_header_is_named(tmp_path, monkeypatch):
    from threadlib import lexicon

    monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path / "missing"))
    lexicon.reload()
    try:
        with pytest.raises(LexiconError, match="missing: no such folder of lexicons"):
            lexicon.load("troop_nouns")
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "troop_nouns.csv").write_text("legionnaires,no,\n", encoding="utf-8")
        monkeypatch.setenv(lexicon.ENV_VAR, str(tmp_path / "mine"))
        lexicon.reload()
        with pytest.raises(LexiconError, match="troop_nouns.csv: its first row must be the header noun,size_only"):
            lexicon.load("troop_nouns")
    finally:
        monkeypatch.delenv(lexicon.ENV_VAR)
        lexicon.reload()
