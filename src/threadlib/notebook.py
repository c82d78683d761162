"""Helpers that keep the notebooks thin: finding the thread, filtering by date, tables and charts.

Every chart here is an Altair chart with tooltips and a selection (click the legend, or pick from
the dropdown) that also works in the exported HTML reports (see `threadlib.charts`).
"""

from __future__ import annotations

import functools
import html
import numbers
import os
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from .charts import use_renderer
from .findings import QUALIFIER_WORDS
from .reading import find_path
from .records import places_list
from .thread import Thread, load_thread

use_renderer()  # the charts below display in Lab, in stored notebooks and in reports (see threadlib.charts)

STANCE_COLORS = {"withdraw": "#d62728", "stay": "#2ca02c", "transition": "#ff7f0e", "threaten": "#8c564b",
                 "suspend": "#17becf", "resume": "#9467bd", "condemn": "#7f7f7f"}


def load(path: str | Path) -> Thread:
    """Read the thread at ``path`` (see `find_path`)."""
    return load_thread(find_path(path))


def extracted(thread: Thread, kind: str) -> pd.DataFrame:
    """The thread's records of ``kind`` ("troops", "attacks" or "positions"): what
    ``threadlib.troops(thread)`` (and so on) gives. In a report run, the table the run extracted
    once for all its notebooks (`threadlib.report_tables`), the same records without extracting again."""
    import threadlib

    from . import report_tables

    if kind not in report_tables.THREAD_KINDS:
        raise ValueError(f"unknown kind {kind!r}; use {', '.join(report_tables.THREAD_KINDS)}")
    source = Path(thread.source)
    saved = report_tables.thread_table(source, kind) if source.is_file() else None
    return saved if saved is not None else getattr(threadlib, kind)(thread)


def corpus(paths, kinds=("troops", "attacks", "positions"), *, jobs: int | None = 1):
    """`threadlib.corpus` of the threads that ``paths`` name (each looked up with `find_path`),
    quietly, with each file's path in the ``path`` column as given (``data/threads/iraq.txt``, not
    where it was found); in a report run, the tables the run extracted once."""
    import threadlib

    from . import report_tables
    from .corpora import find_threads

    kinds = tuple(kinds)
    given = [paths] if isinstance(paths, (str, Path)) else list(paths)
    named: dict[str, tuple[Path, str]] = {}  # each file once, in order: its path and its name as given
    for path in given:
        found = find_path(path)
        for file in find_threads([found]):
            if file == found:
                name = str(path)
            elif file.is_relative_to(found):
                name = str(Path(path) / file.relative_to(found))
            else:  # a glob pattern's match
                name = str(file)
            named.setdefault(os.path.realpath(file), (file, name))
    files, shown = [file for file, _ in named.values()], [name for _, name in named.values()]
    saved = report_tables.corpus(files, kinds)
    if saved is not None:
        return saved
    result = threadlib.corpus(files, kinds, jobs=jobs, log=lambda line: None)
    if len(result.threads) == len(shown):
        result.threads["path"] = pd.array(shown, dtype="string")
    return result


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
    if start and not pd.isna(start):
        keep &= values >= pd.Timestamp(start)
    if end and not pd.isna(end):
        keep &= values <= pd.Timestamp(end)
    return frame[keep.fillna(False).astype(bool)]


def matching(frame: pd.DataFrame, column: str, wanted) -> pd.DataFrame:
    """Rows whose ``column`` is one of ``wanted`` (a value or a list; None keeps all). A list-valued
    cell (several locations) matches when any of its values does."""
    if not wanted:
        return frame
    wanted = {wanted} if isinstance(wanted, str) else set(wanted)

    def hit(value) -> bool:
        values = value if isinstance(value, (list, tuple)) else [value]
        return any(v in wanted for v in values)

    return frame[frame[column].map(hit).astype(bool)]  # an empty frame keeps its columns


@dataclass
class Reliability:
    """How far a table of positions can be trusted: the threshold used, how many records it left
    out, and the precision and recall the stance model measured on threads it was not trained on."""

    min_confidence: float | None
    left_out: int
    precision: float | None
    recall: float | None
    gold: int
    threads: int
    chosen: bool  # the threshold was set by the user, not the model's own


def confident(frame: pd.DataFrame, min_confidence: float | None = None) -> tuple[pd.DataFrame, Reliability]:
    """The positions (or shifts) at or above ``min_confidence`` (None: the stance model's own
    threshold, where its leave-one-thread-out precision reached 80%; when it has none, all), and
    what was measured of them."""
    from .stance_model import load

    model = load()
    threshold = model.min_confidence if min_confidence is None else float(min_confidence)
    measured = (model.about.get("loto") or {}).get("positions") or {}
    kept = frame
    if threshold is not None and "confidence" in frame.columns:
        kept = frame[frame["confidence"].fillna(0) >= threshold]
    return kept, Reliability(threshold, len(frame) - len(kept), measured.get("precision"), measured.get("recall"),
                             measured.get("gold", 0), len(model.about.get("trained_on") or {}), min_confidence is not None)


LABELS = {"post_id": "post", "as_of": "as of", "rate_per_week": "attacks a week",
          "implied_rate_since_previous": "attacks a week since the previous claim",
          "previous_post_id": "previous post", "window_start": "window start", "window_end": "window end",
          "window_start_text": "window start (words)", "window_days": "window (days)",
          "first_post_id": "first post", "second_post_id": "second post", "first_text": "first figure",
          "second_text": "second figure", "from_stance": "from", "to_stance": "to", "from_stated": "stated",
          "to_stated": "then stated", "from_post_id": "post", "to_post_id": "then post",
          "from_sentence": "sentence", "to_sentence": "then sentence", "actor_class": "actor class"}
QUALIFIERS = {code: words.strip() for code, words in QUALIFIER_WORDS.items() if words}  # "at_least": "at least"
COUNT_COLUMNS = {"value", "low", "high", "count", "troops", "smallest", "largest"}


class Table:
    """A table shown as escaped HTML (links only for http(s) addresses) and as plain text, with
    readable headers, dates without a time of day, counts with thousands separators and qualifier
    words instead of codes; an empty table is a sentence, not a header row."""

    def __init__(self, frame: pd.DataFrame, *, link: str | None = None, empty: str = "Nothing to list."):
        self.frame = frame.reset_index(drop=True)
        self.link = link
        self.empty = empty

    @functools.cached_property
    def _text_frame(self) -> pd.DataFrame:
        """The cells as text under readable headers (made once for both views). A qualifier keeps
        its code (``approx``, as in the data and the annotation guidelines), its words beside it."""
        columns = {}
        for column in self.frame.columns:
            columns[LABELS.get(column, column.replace("_", " "))] = [_text(v, column) for v in self.frame[column]]
            if column == "qualifier":
                columns["in words"] = [QUALIFIERS.get(v, "") if isinstance(v, str) else "" for v in self.frame[column]]
        return pd.DataFrame(columns, index=self.frame.index)

    def _repr_html_(self) -> str:
        if self.frame.empty:
            return f"<p><em>{html.escape(self.empty)}</em></p>"
        shown = self._text_frame.map(html.escape)
        if self.link and self.link in self.frame.columns:
            shown[LABELS.get(self.link, self.link)] = [_link(v) for v in self.frame[self.link]]
        return shown.to_html(escape=False, index=False, na_rep="", classes="threadlib-table")

    def __repr__(self) -> str:
        if self.frame.empty:
            return self.empty
        return self._text_frame.to_string(index=False, max_colwidth=60)


def _text(value, column: str = "") -> str:
    """One cell as text: lists joined, dates as dates, counts with separators, codes as words."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M" if (value.hour or value.minute) else "%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"
    if column in COUNT_COLUMNS and isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    return str(value)


def _link(value) -> str:
    text = html.escape(_text(value))
    if isinstance(value, str) and value.startswith(("http://", "https://")) and " " not in value:
        return f'<a href="{html.escape(value, quote=True)}" rel="noopener noreferrer">{text}</a>'
    return text  # a shortened link ("https://... ... d=x") or another scheme stays plain text


def table(frame: pd.DataFrame, columns: list[str] | None = None, *, link: str | None = None,
          empty: str = "Nothing to list.") -> Table:
    """Show ``frame`` (or some of its columns) as a safe, readable table."""
    return Table(frame[columns] if columns else frame, link=link, empty=empty)


def _places(value) -> str:
    return ", ".join(places_list(value) or [])


def outlet_names(outlets: pd.Series) -> pd.Series:
    """Outlets with one spelling per name: "THE WALL STREET JOURNAL" and "The Wall Street Journal"
    become the spelling that is not all capitals (else the most common one).

    >>> outlet_names(pd.Series(["NEWSWEEK", "The Hill", "THE HILL"])).tolist()
    ['NEWSWEEK', 'The Hill', 'The Hill']
    """
    spellings: dict[str, str] = {}
    for name, _ in outlets.dropna().astype(str).value_counts().items():
        key = name.casefold()
        if key not in spellings or (spellings[key].isupper() and not name.isupper()):
            spellings[key] = name
    return outlets.map(lambda v: spellings.get(str(v).casefold(), v) if isinstance(v, str) else v)


def figures_by_actor(mentions: pd.DataFrame) -> pd.DataFrame:
    """Troop figures per actor and country: how many, the smallest and largest, the first and last date."""
    data = mentions.assign(location=mentions["location"].map(_places), value=mentions["value"].astype("Float64"))
    if data.empty:
        return pd.DataFrame(columns=["actor", "location", "figures", "smallest", "largest", "first as of",
                                     "last as of"])
    grouped = data.groupby(["actor", "location"], dropna=False)
    return pd.DataFrame({"figures": grouped.size(), "smallest": grouped["value"].min(),
                         "largest": grouped["value"].max(), "first as of": grouped["as_of"].min(),
                         "last as of": grouped["as_of"].max()}).reset_index().astype(
        {"smallest": "Int64", "largest": "Int64"}).sort_values("figures", ascending=False, kind="stable")


def message(text: str):
    """A sentence shown in place of a chart that has nothing to draw."""
    from IPython.display import HTML

    return HTML(f"<p><em>{html.escape(text)}</em></p>")


def _stacked(data: pd.DataFrame, keys: list[str], text: str) -> pd.DataFrame:
    """Points that would be drawn on top of each other made one point, with how many it holds and
    their texts in its tooltip."""
    rows = []
    for _, group in data.groupby(keys, sort=False, dropna=False):
        first = group.iloc[0].copy()
        first["n"] = len(group)
        texts = list(dict.fromkeys(group[text].astype(str)))
        first[text] = "; ".join(texts[:4]) + (f" (+{len(texts) - 4} more)" if len(texts) > 4 else "")
        if len(group) > 1:
            first["source"] = ", ".join(dict.fromkeys(group["source"]))
        rows.append(first)
    return pd.DataFrame(rows).reset_index(drop=True)


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
    described = ", ".join(f"{month}: {count}" for month, count in months.items())
    return Image(data=buffer.getvalue(), format="png",
                 metadata={"alt": f"Bar chart of articles per month of publication ({described or 'none'})"})


def posts_chart(posts: pd.DataFrame, *, empty: str = "No posts to draw."):
    """Articles over time, by outlet: click an outlet in the legend to pick it."""
    data = posts[posts["published"].notna()]
    if data.empty:
        return message(empty)
    data = data.assign(outlet=outlet_names(data["outlet"]).fillna("(no outlet)").astype(str),
                       headline=data["headline"].fillna("").astype(str),
                       published=data["published"].dt.strftime("%Y-%m-%d"))
    pick = alt.selection_point(fields=["outlet"], bind="legend")
    chart = alt.Chart(data[["post_id", "outlet", "headline", "published"]]).mark_circle(size=120).encode(
        x=alt.X("published:T", title="published", scale=alt.Scale(padding=16), axis=alt.Axis(labelOverlap=True)),
        y=alt.Y("outlet:N", title=None),
        color=alt.Color("outlet:N", legend=alt.Legend(title="outlet (click to pick)")),
        opacity=alt.condition(pick, alt.value(0.9), alt.value(0.1)),
        tooltip=[alt.Tooltip("post_id", title="post"), "published", "outlet", "headline"],
    ).add_params(pick).properties(title="Articles reposted in the thread", width=600)
    return chart


def troops_chart(mentions: pd.DataFrame, *, empty: str = "No troop figures to draw."):
    """Troop figures against the date they hold for, one row per location, coloured by actor (click
    the legend to pick one); the tooltip has the sentence and source. Figures that would hide each other (same
    actor, place, date and number) are one point, larger, that lists them all."""
    data = mentions.assign(as_of_date=day_strings(mentions["as_of"]),
                           where=mentions["location"].map(_places),
                           shown_value=mentions["value"].astype("Float64").fillna(mentions["high"].astype("Float64")),
                           in_words=mentions["qualifier"].map(lambda q: QUALIFIERS.get(q, "")),
                           source=mentions["post_id"].map(lambda p: f"post {p}"))
    data = data[data["shown_value"].notna() & data["as_of_date"].notna()]
    if data.empty:
        return message(empty)
    data = data[["as_of", "as_of_date", "shown_value", "text", "qualifier", "in_words", "actor", "where", "sentence",
                 "source"]].astype({"shown_value": "float"})
    data = _stacked(data, ["actor", "where", "as_of_date", "shown_value"], "text").astype({"n": int})
    data["where"] = data["where"].replace("", "not said")
    actors = alt.selection_point(fields=["actor"], bind="legend")
    chart = alt.Chart(data).mark_point(filled=True, stroke="white", strokeWidth=0.5).encode(
        x=alt.X("as_of_date:T", title="as of", scale=alt.Scale(padding=16), axis=alt.Axis(labelOverlap=True)),
        y=alt.Y("shown_value:Q", title="troops (log scale)", scale=alt.Scale(type="log", padding=12),
                axis=alt.Axis(format=",d", tickCount=6)),
        size=alt.Size("n:Q", title="mentions", scale=alt.Scale(range=[70, 400]), legend=None),
        color=alt.Color("actor:N", legend=alt.Legend(title="actor (click to pick)")),
        opacity=alt.condition(actors, alt.value(0.85), alt.value(0.08)),
        tooltip=[alt.Tooltip("text", title="figure"), "qualifier", alt.Tooltip("in_words", title="in words"),
                 "actor", "where", "as_of",
                 alt.Tooltip("n", title="mentions"), "source", "sentence"],
    ).add_params(actors).properties(width=600, height=180).facet(
        row=alt.Row("where:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left", labelFontSize=13)),
    ).properties(title="Troop figures in the thread, by location")
    return chart


def attacks_chart(claims: pd.DataFrame, *, empty: str = "No attack counts to draw."):
    """Claimed attack counts against the end of their window, by target; the tooltip has the claim.
    Streaks (days in a row) are not counts of attacks and are left to the table."""
    data = claims[claims["count"].notna() & (claims["unit"] != "days")]
    if data.empty:
        return message(empty)
    data = data.assign(end=lambda f: day_strings(f["window_end"]),
                       where=lambda f: f["location"].map(_places),
                       in_words=lambda f: f["qualifier"].map(lambda q: QUALIFIERS.get(q, "")),
                       source=lambda f: f["post_id"].map(lambda p: f"post {p}"))
    data = data[["end", "count", "unit", "qualifier", "in_words", "target", "where", "window_start", "window_start_text",
                 "rate_per_week", "text", "sentence", "source"]].astype(
        {"count": "float", "rate_per_week": "float", "target": "string"}).fillna({"target": "not said"})
    data = data.astype({"target": str})
    targets = alt.selection_point(fields=["target"], bind="legend")
    chart = alt.Chart(data).mark_point(filled=True, size=100, opacity=0.85).encode(
        x=alt.X("end:T", title="window end (the article's date)", scale=alt.Scale(padding=16),
                axis=alt.Axis(labelOverlap=True)),
        y=alt.Y("count:Q", title="attacks claimed"),
        color=alt.Color("target:N", legend=alt.Legend(title="target (click to pick)")),
        shape=alt.Shape("unit:N", title="counted as"),
        opacity=alt.condition(targets, alt.value(0.9), alt.value(0.1)),
        tooltip=[alt.Tooltip("text", title="claim"), "qualifier", alt.Tooltip("in_words", title="in words"), "unit",
                 "target", "where", "window_start",
                 alt.Tooltip("window_start_text", title="window start (words)"),
                 alt.Tooltip("rate_per_week", title="attacks a week", format=".1f"), "source", "sentence"],
    ).add_params(targets).properties(title="Attack counts claimed in the thread", width=600, height=300)
    return chart


def positions_chart(positions: pd.DataFrame, *, empty: str = "No positions to draw."):
    """Each actor's stances over time (one row per actor), coloured by stance; pick a stance in the
    legend, an actor in the dropdown."""
    data = positions.assign(when=day_strings(positions["stated"]),
                            where=positions["location"].map(_places),
                            source=positions["post_id"].map(lambda p: f"post {p}"))
    data = data[data["when"].notna()]
    if data.empty:
        return message(empty)
    data = data[["actor", "stance", "stated", "when", "where", "cue", "sentence", "source"]].astype(str)
    stances = alt.selection_point(fields=["stance"], bind="legend")
    names = sorted(data["actor"].unique())
    who = alt.selection_point(fields=["actor"], bind=alt.binding_select(options=[None, *names],
                                                                         labels=["all", *names], name="actor "))
    chart = alt.Chart(data).mark_point(filled=True, size=110, opacity=0.85).encode(
        x=alt.X("when:T", title="stated", scale=alt.Scale(padding=16), axis=alt.Axis(labelOverlap=True)),
        y=alt.Y("actor:N", title=None, sort=alt.EncodingSortField("when", op="min")),
        color=alt.Color("stance:N", scale=alt.Scale(domain=list(STANCE_COLORS), range=list(STANCE_COLORS.values())),
                        legend=alt.Legend(title="stance (click to pick)")),
        opacity=alt.condition(stances & who, alt.value(0.9), alt.value(0.08)),
        tooltip=["actor", "stance", "stated", "where", "cue", "source", "sentence"],
    ).add_params(stances, who).properties(title="Stated positions over time", width=560)
    return chart


def corpus_chart(counts: pd.DataFrame, *, empty: str = "No records to draw."):
    """Records per thread and month (`across.monthly_counts`), one colour per kind."""
    kinds = [kind for kind in ("troops", "attacks", "positions") if kind in counts.columns]
    if counts.empty or not kinds:
        return message(empty)
    data = counts.melt(id_vars=["thread", "month"], value_vars=kinds, var_name="kind", value_name="records")
    data = data[data["records"] > 0].astype({"thread": str, "month": str, "kind": str, "records": int})
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("month:O", title="month the article was published"),
        y=alt.Y("sum(records):Q", title="records"),
        color=alt.Color("kind:N", title="kind"),
        row=alt.Row("thread:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
        tooltip=["thread", "month", "kind", "records"],
    ).properties(title="Records per thread and month", width=560, height=70)
    return chart
