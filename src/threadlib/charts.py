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
`html_outputs`: the static SVG (none in a report run), replaced by the interactive chart drawn by
``vegaEmbed`` from the spec compiled to Vega (`vega_spec`); the Vega code is a file of the reports
folder that every page reads (`vega_code`), or inlined in a page exported alone (`vega_script`); no
CDN. Chart helpers return Altair charts; `use_renderer` makes them display as above. Thread text
inside a spec is escaped so that it cannot close the script it sits in.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os

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
def vega_code() -> str:
    """The Vega, Vega-Lite and vega-embed code (no CDN), of the Vega-Lite version that the charts are
    written in, as a script file's text. vl-convert takes a second to bundle it, so it is kept in
    the cache folder (`corpora.default_cache_dir`), one file a version of vl-convert and Vega-Lite."""
    import vl_convert

    from .corpora import default_cache_dir
    from .output import atomic_output

    kept = default_cache_dir() / "charts" / f"vega-{vl_convert.__version__}-{vegalite_version() or 'newest'}.js"
    try:
        return kept.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        pass
    code = vl_convert.javascript_bundle(vl_version=vegalite_version())
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with atomic_output(kept) as handle:
            handle.write(code)
    except OSError:
        pass  # a cache that cannot be written: bundled again next time
    return code


def vega_script() -> str:
    """`vega_code` as one inline ``<script>`` element."""
    code = vega_code().replace("</script", "<\\/script")
    return f"<script>{code}</script>"


def static_svg(spec: dict) -> str:
    """The chart drawn as SVG without a browser; empty when vl-convert cannot draw it."""
    import vl_convert

    try:
        return vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version())
    except (ValueError, RuntimeError):  # such a chart still gets its interactive view
        return ""


def vega_spec(spec: dict) -> dict:
    """The Vega-Lite spec compiled to Vega by vl-convert, without its ``$schema``: the page's Vega
    (vl-convert's, a major version newer than the Vega that Vega-Lite 5 names) draws it as it is,
    where vega-embed, given the Vega-Lite spec, would warn in the console about the versions."""
    import vl_convert

    compiled = vl_convert.vegalite_to_vega(spec, vl_version=vegalite_version())
    compiled.pop("$schema", None)
    return compiled


def embed_html(spec: dict, svg: str = "", *, number: int = 1) -> str:
    """The HTML fragment of a chart for a report page: the static SVG, replaced by the interactive
    chart when ``vegaEmbed`` is on the page. The id depends only on the spec and its place."""
    chart_id = f"threadlib-chart-{hashlib.sha256(script_json(spec).encode()).hexdigest()[:8]}-{number}"
    return (f'<div id="{chart_id}" class="threadlib-chart">{svg}</div>\n'
            f"<script>(function() {{ var spec = {script_json(vega_spec(spec))};"
            f" if (window.vegaEmbed) {{ window.vegaEmbed('#{chart_id}', spec, {{actions: false, mode: 'vega'}})"
            f".catch(function(e) {{ console.error(e); }}); }} }})();</script>")


def mime_bundle(spec: dict) -> dict:
    """What a chart displays as (see the module's docstring). No static SVG when the environment
    says ``THREADLIB_CHART_SVG=0`` (a report run: its pages draw every chart from the spec)."""
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    bundle = {VEGALITE_MIME: spec, "text/plain": f"<chart: {title or 'untitled'}>"}
    svg = static_svg(spec) if os.environ.get("THREADLIB_CHART_SVG", "1") != "0" else ""
    if svg:
        bundle["image/svg+xml"] = svg
    return bundle


def use_renderer() -> None:
    """Make every Altair chart display as `mime_bundle` (Altair's renderer ``"threadlib"``): the
    chart helpers return plain Altair charts, which keep ``.save``, ``.properties``, ``|`` and ``+``."""
    import altair as alt

    if "threadlib" not in alt.renderers.names():
        alt.renderers.register("threadlib", lambda spec, **metadata: mime_bundle(spec))
    alt.renderers.enable("threadlib")


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

