"""Charts that draw in JupyterLab, on a code-hosting site and in offline HTML reports.

A chart is displayed as a mime bundle of three parts:

* ``application/vnd.vegalite.v5+json``: the Vega-Lite spec, which JupyterLab (and Notebook 7,
  VS Code) draws natively, interactive, without re-running and without trusting the notebook;
  nbval compares it, so the stored figures are checked;
* ``image/svg+xml``: a static drawing (vl-convert, no browser), which a site that shows stored
  notebooks, or a plain ``nbconvert --to html``, displays;
* ``text/plain``: the chart's title, for a terminal.

No chart carries the Vega JavaScript itself (about 1 MB), so a saved notebook stays small. The
report page (`threadlib.report.export_html`) turns each spec into an HTML fragment with
`html_outputs`: the static SVG, replaced by the interactive chart by ``vegaEmbed``, whose code the
page template inlines once (`vega_script`, no CDN). Thread text inside a spec is escaped so that it
cannot close the script it sits in.
"""

from __future__ import annotations

import functools
import hashlib
import json

VEGALITE_MIME = "application/vnd.vegalite.v5+json"

# Escapes that keep JSON inert inside an HTML <script>: no "</script>", no "<!--", no HTML entities.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


def script_json(value) -> str:
    """JSON that can sit inside an HTML ``<script>`` element.

    >>> script_json({"text": "</script><img src=x onerror=alert(1)>"})
    '{"text": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_SAFE)


@functools.cache
def vegalite_version() -> str | None:
    """The Vega-Lite version (``"5.20"``) that Altair writes, if vl-convert has it, else None (its newest)."""
    import altair
    import vl_convert

    major_minor = ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    return major_minor if major_minor in vl_convert.get_vegalite_versions() else None


@functools.cache
def vega_script() -> str:
    """The Vega, Vega-Lite and vega-embed code as one inline ``<script>`` element (no CDN), of the
    Vega-Lite version that the charts are written in."""
    import vl_convert

    code = vl_convert.javascript_bundle(vl_version=vegalite_version()).replace("</script", "<\\/script")
    return f"<script>{code}</script>"


def static_svg(spec: dict) -> str:
    """The chart drawn as SVG without a browser; empty when vl-convert cannot draw it."""
    import vl_convert

    try:
        return vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version())
    except (ValueError, RuntimeError):  # such a chart still gets its interactive view
        return ""


def embed_html(spec: dict, svg: str = "", *, number: int = 1) -> str:
    """The HTML fragment of a chart for a report page: the static SVG, replaced by the interactive
    chart when ``vegaEmbed`` is on the page. The id depends only on the spec and its place."""
    chart_id = f"threadlib-chart-{hashlib.sha256(script_json(spec).encode()).hexdigest()[:8]}-{number}"
    return (f'<div id="{chart_id}" class="threadlib-chart">{svg}</div>\n'
            f"<script>(function() {{ var spec = {script_json(spec)};"
            f" if (window.vegaEmbed) {{ window.vegaEmbed('#{chart_id}', spec, {{actions: false}})"
            f".catch(function(e) {{ console.error(e); }}); }} }})();</script>")


class Chart:
    """An Altair chart to display (see the module's docstring for what it shows where)."""

    def __init__(self, chart):
        self.chart = chart

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec = self.chart.to_dict()
        title = spec.get("title")
        title = title.get("text") if isinstance(title, dict) else title
        bundle = {VEGALITE_MIME: spec, "text/plain": f"<chart: {title or 'untitled'}>"}
        svg = static_svg(spec)
        if svg:
            bundle["image/svg+xml"] = svg
        return bundle


def show(chart) -> Chart:
    """Wrap an Altair chart so that it displays in JupyterLab, stored notebooks and reports."""
    return Chart(chart)


def html_outputs(notebook) -> int:
    """Turn every stored chart of an executed notebook (an ``nbformat`` node, changed in place) into
    the HTML fragment of `embed_html`, for the report page; returns how many there were."""
    count = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGALITE_MIME not in data:
                continue
            count += 1
            spec = data[VEGALITE_MIME]
            spec = json.loads(spec) if isinstance(spec, str) else spec
            svg = data.get("image/svg+xml", "")
            svg = "".join(svg) if isinstance(svg, list) else svg
            output["data"] = {"text/html": embed_html(spec, svg, number=count),
                              "text/plain": data.get("text/plain", "<chart>")}
    return count

