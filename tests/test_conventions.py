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


def test_chart_helpers_return_altair_charts_that_display_as_the_three_parts(tmp_path):
    import altair as alt

    from threadlib import notebook as nb
    from threadlib.charts import VEGALITE_MIME

    chart = nb.attacks_chart(threadlib.attacks(SAMPLE, parse=False))
    assert isinstance(chart, alt.TopLevelMixin)
    chart.properties(title="mine").save(tmp_path / "attacks.json")  # what an Altair user expects to do
    assert json.loads((tmp_path / "attacks.json").read_text())["title"] == "mine"
    bundle = chart._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert VEGALITE_MIME in bundle and bundle["text/plain"].startswith("<chart: ")


def test_a_report_runs_tables_are_those_the_extractors_give(tmp_path, monkeypatch):
    """What the notebooks read in a report run (extracted once for all threads) equals what each
    notebook would extract by itself."""
    import pandas as pd

    from threadlib import notebook as nb
    from threadlib import report_tables

    threads = [SAMPLE, ROOT / "data" / "threads" / "practice_sahel.txt"]
    report_tables.save(threadlib.corpus(threads, ("troops", "attacks", "positions", "shifts"), jobs=1,
                                        log=lambda line: None), threads, tmp_path)
    monkeypatch.setenv(report_tables.ENV, str(tmp_path))
    for path in threads:
        thread = nb.load(path)
        for kind in report_tables.THREAD_KINDS:
            saved = report_tables.thread_table(path, kind)
            assert saved is not None
            pd.testing.assert_frame_equal(nb.extracted(thread, kind), getattr(threadlib, kind)(thread))
    assert nb.corpus(threads) is not None and report_tables.corpus(threads, ("troops",)) is not None
    changed = tmp_path / "changed.txt"
    changed.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert report_tables.thread_table(changed, "troops") is None  # another file: extracted as usual


def test_notebooks_in_one_kernel_do_not_see_each_others_variables(tmp_path):
    import nbformat

    from threadlib.errors import ReportError
    from threadlib.notebook_session import NotebookSession

    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    for path, code in ((first, "secret = 42\nimport json"), (second, "print(json.dumps(1))\nprint(secret)")):
        cell = nbformat.v4.new_code_cell("thread = None")
        cell.metadata["tags"] = ["parameters"]
        nbformat.write(nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell(code)],
                                                metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                         "display_name": "Python 3"}}), path)
    with NotebookSession(tmp_path) as session:
        session.run(first, {"thread": "x"})
        with pytest.raises(ReportError, match="second.ipynb failed at cell .*NameError: name 'json' is not defined"):
            session.run(second, {"thread": "x"})


@pytest.mark.parametrize(("code", "words"), [("approx", "about"), ("at_least", "at least"), ("exact", "")])
def test_tables_keep_the_qualifier_code_of_the_data_with_its_words_beside(code, words):
    import pandas as pd

    from threadlib import notebook as nb

    table = nb.table(pd.DataFrame({"text": ["about 900 troops"], "qualifier": [code]}))
    shown = table._text_frame
    assert list(shown.columns) == ["text", "qualifier", "in words"]
    assert shown.loc[0, "qualifier"] == code and shown.loc[0, "in words"] == words
    assert f"<td>{code}</td>" in table._repr_html_()


def test_the_parameters_are_read_with_papermills_inspection():
    from threadlib.report import declared_parameters, notebook_parameters

    assert notebook_parameters(ROOT / "notebooks" / "03_position_shifts.ipynb") == {
        "thread": "data/threads/iraq.txt", "start": None, "end": None, "actors": None, "min_confidence": None}
    assert set(declared_parameters(ROOT / "notebooks")) == {"start", "end", "actor_classes", "locations", "targets",
                                                             "actors", "min_confidence"}
