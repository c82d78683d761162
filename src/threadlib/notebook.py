"""Helpers that keep the notebooks thin: finding the thread, filtering by date, tables and charts.

Every chart here is an Altair chart with tooltips and a selection (click the legend, or pick from
the dropdown) that also works in the exported HTML reports (see `threadlib.charts`).
"""

from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import pandas as pd

from .charts import show
from .thread import Thread, load_thread

STANCE_COLORS = {"withdraw": "#d62728", "stay": "#2ca02c", "transition": "#ff7f0e", "threaten": "#8c564b",
                 "suspend": "#17becf", "resume": "#9467bd", "condemn": "#7f7f7f"}


def find_path(path: str | Path) -> Path:
    """A path as given if it exists, else the same relative path under the nearest parent folder
    that has it (so that ``data/threads/iraq.txt`` works from ``notebooks/`` too)."""
    candidate = Path(path)
    if candidate.is_absolute() or candidate.exists():
        return candidate
    for folder in Path.cwd().resolve().parents:
        if (folder / candidate).exists():
            return folder / candidate
    return candidate  # load_thread then says clearly that it is missing


def load(path: str | Path) -> Thread:
    """Read the thread at ``path`` (see `find_path`)."""
    return load_thread(find_path(path))


def date_value(value) -> pd.Timestamp:
    """The first day of an ISO date of any precision ("2023-10" -> 2023-10-01), NaT if missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return pd.NaT
    text = str(value)
    return pd.Timestamp(text + {4: "-01-01", 7: "-01"}.get(len(text), ""))


def day_strings(values: pd.Series) -> pd.Series:
    """ISO dates of any precision as "YYYY-MM-DD" strings of their first day (for chart axes)."""
    return pd.to_datetime(values.map(date_value)).dt.strftime("%Y-%m-%d")


def in_range(frame: pd.DataFrame, column: str, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Rows whose ``column`` (an ISO date at any precision, or a datetime) lies in [start, end]."""
    values = frame[column] if pd.api.types.is_datetime64_any_dtype(frame[column]) else pd.to_datetime(
        frame[column].map(date_value))
    keep = pd.Series(True, index=frame.index)
    if start:
        keep &= values >= pd.Timestamp(start)
    if end:
        keep &= values <= pd.Timestamp(end)
    return frame[keep.fillna(False)]


def matching(frame: pd.DataFrame, column: str, wanted) -> pd.DataFrame:
    """Rows whose ``column`` is one of ``wanted`` (a value or a list; None keeps all). A list-valued
    cell (several locations) matches when any of its values does."""
    if not wanted:
        return frame
    wanted = {wanted} if isinstance(wanted, str) else set(wanted)

    def hit(value) -> bool:
        values = value if isinstance(value, (list, tuple)) else [value]
        return any(v in wanted for v in values)

    return frame[frame[column].map(hit)]


class Table:
    """A table shown as escaped HTML (links only for http(s) addresses) and as plain text."""

    def __init__(self, frame: pd.DataFrame, *, link: str | None = None):
        self.frame = frame.reset_index(drop=True)
        self.link = link

    def _repr_html_(self) -> str:
        shown = self.frame.copy()
        for column in shown.columns:
            shown[column] = shown[column].map(_cell)
        if self.link and self.link in shown.columns:
            shown[self.link] = [_link(v) for v in self.frame[self.link]]
        return shown.to_html(escape=False, index=False, na_rep="", classes="threadlib-table")

    def __repr__(self) -> str:
        return self.frame.to_string(index=False, max_colwidth=60)


def _cell(value) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def _link(value) -> str:
    text = _cell(value)
    if isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value:
        return f'<a href="{html.escape(value, quote=True)}" rel="noopener noreferrer">{text}</a>'
    return text  # a shortened link ("https://... ... d=x") or another scheme stays plain text


def table(frame: pd.DataFrame, columns: list[str] | None = None, *, link: str | None = None) -> Table:
    """Show ``frame`` (or some of its columns) as a safe table."""
    return Table(frame[columns] if columns else frame, link=link)


def _places(value) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(value)
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def articles_per_month(posts: pd.DataFrame):
    """A static bar chart (matplotlib) of articles per month of publication, as a PNG whose bytes
    depend only on the data (no timestamp or software version in it)."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from IPython.display import Image
    from matplotlib import pyplot as plt

    months = posts["published"].dropna().dt.to_period("M").value_counts().sort_index()
    figure, axes = plt.subplots(figsize=(7, 2.6), dpi=100)
    axes.bar([str(month) for month in months.index], months.to_numpy(), color="#4c78a8")
    axes.set_ylabel("articles")
    axes.set_title("Articles per month of publication")
    axes.tick_params(axis="x", labelrotation=45, labelsize=8)
    axes.yaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    return Image(data=buffer.getvalue(), format="png")


def posts_chart(posts: pd.DataFrame):
    """Articles over time, by outlet: click an outlet in the legend to pick it."""
    data = posts.assign(outlet=posts["outlet"].fillna("(no outlet)").astype(str),
                        headline=posts["headline"].fillna("").astype(str),
                        published=posts["published"].dt.strftime("%Y-%m-%d"))
    pick = alt.selection_point(fields=["outlet"], bind="legend")
    chart = alt.Chart(data[["post_id", "outlet", "headline", "published"]]).mark_circle(size=120).encode(
        x=alt.X("published:T", title="published"),
        y=alt.Y("outlet:N", title=None),
        color=alt.Color("outlet:N", legend=alt.Legend(title="outlet (click to pick)")),
        opacity=alt.condition(pick, alt.value(0.9), alt.value(0.1)),
        tooltip=["post_id", "published", "outlet", "headline"],
    ).add_params(pick).properties(title="Articles reposted in the thread", width=600)
    return show(chart)


def troops_chart(mentions: pd.DataFrame):
    """Troop figures against the date they hold for, by actor; tooltip with the sentence and source;
    a dropdown picks a location and the legend an actor."""
    data = mentions.assign(as_of_date=day_strings(mentions["as_of"]),
                           where=mentions["location"].map(_places),
                           shown_value=mentions["value"].astype("Float64").fillna(
                               mentions["high"].astype("Float64")),
                           source=mentions["post_id"].map(lambda p: f"post {p}"))
    data = data[["as_of", "as_of_date", "shown_value", "text", "qualifier", "actor", "where", "sentence",
                 "source"]].astype({"shown_value": "float"})
    actors = alt.selection_point(fields=["actor"], bind="legend")
    places = sorted({p for p in data["where"] if p})
    where = alt.selection_point(fields=["where"], bind=alt.binding_select(options=[None, *places],
                                                                          labels=["all", *places], name="location "))
    chart = alt.Chart(data).mark_point(filled=True, size=90).encode(
        x=alt.X("as_of_date:T", title="as of"),
        y=alt.Y("shown_value:Q", title="troops", scale=alt.Scale(type="log")),
        color=alt.Color("actor:N", legend=alt.Legend(title="actor (click to pick)")),
        shape=alt.Shape("where:N", title="location"),
        opacity=alt.condition(actors & where, alt.value(0.95), alt.value(0.08)),
        tooltip=["text", "qualifier", "actor", "where", "as_of", "source", "sentence"],
    ).add_params(actors, where).properties(title="Troop figures in the thread", width=600, height=320)
    return show(chart)


def attacks_chart(claims: pd.DataFrame):
    """Claimed attack counts against the end of their window, by target; the tooltip has the claim."""
    data = claims[claims["count"].notna()].assign(
        end=lambda f: day_strings(f["window_end"]),
        where=lambda f: f["location"].map(_places),
        source=lambda f: f["post_id"].map(lambda p: f"post {p}"))
    data = data[["end", "count", "unit", "qualifier", "target", "where", "window_start", "window_start_text",
                 "rate_per_week", "text", "sentence", "source"]].astype(
        {"count": "float", "rate_per_week": "float", "target": "string"}).fillna({"target": "?"})
    data = data.astype({"target": str})
    targets = alt.selection_point(fields=["target"], bind="legend")
    chart = alt.Chart(data).mark_point(filled=True, size=100).encode(
        x=alt.X("end:T", title="window end"),
        y=alt.Y("count:Q", title="claimed count"),
        color=alt.Color("target:N", legend=alt.Legend(title="target (click to pick)")),
        shape=alt.Shape("unit:N"),
        opacity=alt.condition(targets, alt.value(0.95), alt.value(0.1)),
        tooltip=["text", "qualifier", "unit", "target", "where", "window_start", "window_start_text",
                 "rate_per_week", "source", "sentence"],
    ).add_params(targets).properties(title="Attack counts claimed in the thread", width=600, height=300)
    return show(chart)


def positions_chart(positions: pd.DataFrame):
    """Each actor's stances over time (one row per actor), coloured by stance; pick a stance in the
    legend, an actor in the dropdown."""
    data = positions.assign(when=day_strings(positions["stated"]),
                            where=positions["location"].map(_places),
                            source=positions["post_id"].map(lambda p: f"post {p}"))
    data = data[["actor", "stance", "stated", "when", "where", "cue", "sentence", "source"]].astype(str)
    stances = alt.selection_point(fields=["stance"], bind="legend")
    names = sorted(data["actor"].unique())
    who = alt.selection_point(fields=["actor"], bind=alt.binding_select(options=[None, *names],
                                                                         labels=["all", *names], name="actor "))
    chart = alt.Chart(data).mark_point(filled=True, size=110).encode(
        x=alt.X("when:T", title="stated"),
        y=alt.Y("actor:N", title=None, sort=alt.EncodingSortField("when", op="min")),
        color=alt.Color("stance:N", scale=alt.Scale(domain=list(STANCE_COLORS), range=list(STANCE_COLORS.values())),
                        legend=alt.Legend(title="stance (click to pick)")),
        opacity=alt.condition(stances & who, alt.value(0.95), alt.value(0.08)),
        tooltip=["actor", "stance", "stated", "where", "cue", "source", "sentence"],
    ).add_params(stances, who).properties(title="Stated positions over time", width=560)
    return show(chart)
