"""The notebooks as stored in the repository: their charts are Vega-Lite that JupyterLab draws
natively (no re-run, no trust needed), with a static SVG for sites that show stored notebooks; no
chart carries the Vega code, so the files stay small; no stored output is a warning or an error."""

import json

import pytest
import vl_convert
from conftest import ROOT

from threadlib.charts import VEGALITE_MIME
from threadlib.report import CORPUS_NOTEBOOK, NOTEBOOKS

STORED = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _outputs(path):
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        yield from cell.get("outputs", [])


@pytest.mark.parametrize("name", [*NOTEBOOKS, CORPUS_NOTEBOOK])
def test_each_analysis_notebook_stores_its_chart_as_vega_lite_that_lab_draws(name):
    charts = [o["data"] for o in _outputs(ROOT / "notebooks" / f"{name}.ipynb") if VEGALITE_MIME in o.get("data", {})]
    assert len(charts) == 1
    (chart,) = charts
    # JupyterLab ranks text/html (50) above Vega-Lite (57): a chart that also had HTML would be shown as
    # sanitised HTML (the garbled text of an untrusted notebook), so it must have none.
    assert "text/html" not in chart
    assert "".join(chart["image/svg+xml"]).lstrip().startswith("<svg")
    spec = chart[VEGALITE_MIME]
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v5")
    # It draws as stored, also with the oldest Vega-Lite 5 that vl-convert has (JupyterLab 4.6 ships 5.6).
    oldest = min((v for v in vl_convert.get_vegalite_versions() if v.startswith("5.")),
                 key=lambda v: tuple(map(int, v.split("."))))
    assert vl_convert.vegalite_to_svg(spec, vl_version=oldest).startswith("<svg")


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.name)
def test_stored_notebooks_are_small_and_carry_no_vega_code_or_errors(path):
    assert path.stat().st_size < 250_000
    text = path.read_text(encoding="utf-8")
    assert "vegaEmbed" not in text and "vega-embed" not in text
    for output in _outputs(path):
        assert output["output_type"] != "error"
        assert output.get("name") != "stderr", "".join(output.get("text", ""))
