"""Charts that work in JupyterLab and in exported HTML reports with no network.

`show` displays an Altair chart as an HTML fragment: a static SVG of the chart (seen without
JavaScript) and a call to ``vegaEmbed``, so that tooltips and selections work offline. The Vega code
(`vega_script`, no CDN) comes once: in a report, the page template inlines it; in JupyterLab, the
first chart a kernel shows carries it. Reports and ``make notebooks`` set ``THREADLIB_CHART_CODE=page``
so that their outputs leave it to the page. Thread text inside the spec is escaped so that it
cannot close the script it sits in.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json
import os

import altair as alt

# Escapes that keep JSON inert inside an HTML <script>: no "</script>", no "<!--", no HTML entities.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                              "\u2029": "\\u2029"})


_COUNTER = itertools.count(1)


def script_json(value) -> str:
    """JSON that can sit inside an HTML ``<script>`` element.

    >>> script_json({"text": "</script><img src=x onerror=alert(1)>"})
    '{"text": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x onerror=alert(1)\\\\u003e"}'
    """
    return json.dumps(value, ensure_ascii=False).translate(_SCRIPT_SAFE)


@functools.cache
def vega_script() -> str:
    """The Vega, Vega-Lite and vega-embed code as one inline ``<script>`` element (no CDN)."""
    import vl_convert

    code = vl_convert.javascript_bundle().replace("</script", "<\\/script")
    return f"<script>{code}</script>"


def _static_svg(spec: dict) -> str:
    import vl_convert

    try:
        return vl_convert.vegalite_to_svg(spec)
    except (ValueError, RuntimeError):  # a chart vl-convert cannot draw still gets its interactive view
        return ""


def embed_html(chart: alt.TopLevelMixin, *, chart_id: str | None = None) -> str:
    """The HTML fragment of a chart: a static SVG replaced by the interactive chart when
    ``vegaEmbed`` is on the page."""
    spec = chart.to_dict()
    # The same chart gets the same id in every run, so re-run notebooks keep their stored outputs.
    chart_id = chart_id or f"threadlib-chart-{hashlib.sha256(script_json(spec).encode()).hexdigest()[:8]}" \
                           f"-{next(_COUNTER)}"
    svg = _static_svg(spec)
    return (f'<div id="{html.escape(chart_id)}" class="threadlib-chart">{svg}</div>\n'
            f"<script>(function() {{ var spec = {script_json(spec)};"
            f" if (window.vegaEmbed) {{ window.vegaEmbed('#{chart_id}', spec, {{actions: false}})"
            f".catch(function(e) {{ console.error(e); }}); }} }})();</script>")


CODE_ENV = "THREADLIB_CHART_CODE"  # "page": the page supplies the Vega code; else the first chart does
_code_shown = False


class Chart:
    """A chart to display: the HTML fragment, with the Vega code the first time in a kernel."""

    def __init__(self, chart: alt.TopLevelMixin):
        self.chart = chart

    def _repr_mimebundle_(self, include=None, exclude=None):
        global _code_shown
        fragment = embed_html(self.chart)
        if os.environ.get(CODE_ENV) != "page" and not _code_shown:
            fragment = vega_script() + "\n" + fragment
            _code_shown = True
        return {"text/html": fragment, "text/plain": "<interactive chart>"}


def show(chart: alt.TopLevelMixin) -> Chart:
    """Wrap an Altair chart so that it displays both in JupyterLab and in offline HTML reports."""
    return Chart(chart)
