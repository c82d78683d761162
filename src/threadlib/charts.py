"""Charts that work in JupyterLab and in exported HTML reports with no network.

`show` displays an Altair chart as two outputs in one: the Vega-Lite spec, which JupyterLab renders
itself, and an HTML fragment for exported reports. The fragment holds a static SVG of the chart
(seen without JavaScript) and a call to ``vegaEmbed``, whose code the report template inlines once
per page (`vega_script`), so that tooltips and selections work offline. Thread text inside the spec
is escaped so that it cannot close the script it sits in.
"""

from __future__ import annotations

import functools
import hashlib
import html
import itertools
import json

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


class Chart:
    """A chart to display: Vega-Lite for JupyterLab, the HTML fragment for exported reports."""

    def __init__(self, chart: alt.TopLevelMixin):
        self.chart = chart

    def _repr_mimebundle_(self, include=None, exclude=None):
        spec = self.chart.to_dict()
        version = alt.SCHEMA_VERSION.split(".")[0]
        return {f"application/vnd.vegalite.{version}+json": spec, "text/html": embed_html(self.chart),
                "text/plain": f"<chart: {spec.get('title', 'untitled')}>"}


def show(chart: alt.TopLevelMixin) -> Chart:
    """Wrap an Altair chart so that it displays both in JupyterLab and in offline HTML reports."""
    return Chart(chart)
