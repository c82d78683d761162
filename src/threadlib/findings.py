"""What a table says, in plain sentences: the findings that open each report page.

Each function takes the tables a notebook has (already filtered) and returns `Findings`: a few
sentences computed from them, and the headline figures that the reports' index shows. An empty
table gives one sentence that says so, naming the filters that emptied it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from .records import places_list

LOWER_BOUNDS = ("at_least", "more_than", "vague")  # as attacks.LOWER_BOUNDS (no import of attacks here)

FIGURES_MIME = "application/vnd.threadlib.figures+json"

QUALIFIER_WORDS = {"exact": "", "approx": "about ", "at_least": "at least ", "more_than": "more than ",
                   "at_most": "up to ", "fewer_than": "fewer than ", "range": "", "vague": ""}


@dataclass
class Findings:
    """Sentences to show (thread text in them is escaped when shown) and figures for the index."""

    sentences: list[str]
    figures: dict = field(default_factory=dict)

    def _repr_mimebundle_(self, include=None, exclude=None):
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.sentences)
        return {"text/html": f'<ul class="threadlib-findings">{items}</ul>',
                "text/plain": "\n".join(f"* {s}" for s in self.sentences),
                FIGURES_MIME: self.figures}

    def __str__(self) -> str:
        return "\n".join(self.sentences)


def filters_text(**filters) -> str:
    """The filters that were set, as the notebook's parameters read ("actors=['Martians']").

    >>> filters_text(start=None, actors=["Martians"])
    "actors=['Martians']"
    """
    return ", ".join(f"{name}={value!r}" for name, value in filters.items() if value not in (None, [], ""))


def nothing_found(kind: str, filters: dict) -> str:
    """The sentence for an empty table.

    >>> nothing_found("troop-count mention", {"actors": ["Martians"]})
    "No troop-count mention matches actors=['Martians']."
    >>> nothing_found("attack-frequency claim", {})
    'The thread has no attack-frequency claim.'
    """
    chosen = filters_text(**filters)
    return f"No {kind} matches {chosen}." if chosen else f"The thread has no {kind}."


def number(value) -> str:
    """A count as people write it (2500 -> "2,500"; 9.55 -> "9.6").

    >>> number(2500), number(9.55), number(0.043), number(None)
    ('2,500', '9.6', '0.043', '?')
    """
    if value is None or pd.isna(value):
        return "?"
    if float(value) == int(value):
        return f"{int(value):,}"
    return f"{value:,.1f}" if abs(value) >= 1 else f"{value:.2g}"


def amount(row) -> str:
    """A mention's or claim's amount in words: "about 2,500", "between 50 and 300", "thousands"."""
    if row.get("qualifier") == "range" and not pd.isna(row.get("low")):
        return f"between {number(row['low'])} and {number(row['high'])}"
    value = row.get("value", row.get("count"))
    if value is None or pd.isna(value):
        return f'"{row["text"]}"'
    return QUALIFIER_WORDS.get(row.get("qualifier"), "") + number(value)


def places(value) -> str:
    """A location cell as words ("Iraq", "Iraq and Syria", "" when none).

    >>> places(["Iraq", "Syria", "Jordan"]), places("Iraq"), places(None)
    ('Iraq, Syria and Jordan', 'Iraq', '')
    """
    names = places_list(value.tolist() if hasattr(value, "tolist") else value) or []
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


def _when(value) -> str:
    return "an undated time" if value is None or pd.isna(value) or value == "" else str(value)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _most(series: pd.Series, limit: int = 4) -> str:
    counts = series.dropna().astype(str).value_counts()
    return ", ".join(f"{name} ({n})" for name, n in counts.head(limit).items())


def overview(posts: pd.DataFrame, all_posts: int, filters: dict) -> Findings:
    """The posts in the chosen dates: how many, by whom, which outlets, which dates."""
    if posts.empty:
        return Findings([nothing_found("post", filters) if filters_text(**filters) else
                         "The thread has no posts."], {"posts": 0})
    articles = posts[posts["headline"].notna() | posts["url"].notna()]
    outlets = articles["outlet"].dropna()
    sentences = [f"{_plural(len(posts), 'post')} (of {all_posts:,} in the thread) by "
                 f"{_plural(posts['author'].nunique(), 'poster')}; {_plural(len(articles), 'article')} reposted "
                 f"from {_plural(outlets.nunique(), 'outlet')}."]
    published = articles["published"].dropna()
    if not published.empty:
        sentences.append(f"The articles were published from {published.min():%Y-%m-%d} to {published.max():%Y-%m-%d}.")
    if not outlets.empty:
        sentences.append(f"Most reposted outlets: {_most(outlets)}.")
    with_comment = int(posts["commentary"].notna().sum())
    if with_comment:
        sentences.append(f"{_plural(with_comment, 'post')} {'adds' if with_comment == 1 else 'add'} the poster's "
                         "own words.")
    return Findings(sentences, {"posts": len(posts), "articles": len(articles), "outlets": int(outlets.nunique()),
                                "first_published": None if published.empty else f"{published.min():%Y-%m-%d}",
                                "last_published": None if published.empty else f"{published.max():%Y-%m-%d}"})


def troops(mentions: pd.DataFrame, disagreements: pd.DataFrame, filters: dict) -> Findings:
    """Troop figures: how many, whose, the latest and largest per actor and country, disagreements."""
    if mentions.empty:
        return Findings([nothing_found("troop-count mention", filters)], {"troop_mentions": 0})
    sentences = [f"{_plural(len(mentions), 'troop-count mention')} in {_plural(mentions['post_id'].nunique(), 'post')}; "
                 f"by actor: {_most(mentions['actor'], 6)}."]
    known = mentions.assign(where=mentions["location"].map(places), order=mentions["as_of"].fillna(""))
    for (actor, where), group in known.groupby(["actor", "where"], sort=False):
        if len(group) < 2:
            continue
        group = group.sort_values("order", kind="stable")
        first, last = group.iloc[0], group.iloc[-1]
        place = f" in {where}" if where else ""
        sentences.append(f"{actor} personnel{place}: {_plural(len(group), 'figure')}, from {amount(first)} "
                         f"(as of {_when(first['as_of'])}, post {first['post_id']}) to {amount(last)} "
                         f"(as of {_when(last['as_of'])}, post {last['post_id']}).")
        if len(sentences) >= 5:
            break
    values = mentions["value"].astype("Float64")
    if values.notna().any():
        top = mentions.loc[values.idxmax()]
        sentences.append(f"The largest figure: {amount(top)} ({top['actor']}"
                         f"{', ' + places(top['location']) if places(top['location']) else ''}, "
                         f"as of {_when(top['as_of'])}, post {top['post_id']}).")
    sentences.append("No two figures for the same actor, country and month disagree." if disagreements.empty else
                     f"{_plural(len(disagreements), 'pair')} of figures for the same actor, country and month "
                     "disagree beyond what their qualifiers allow (listed below).")
    return Findings(sentences, {"troop_mentions": len(mentions), "troop_disagreements": len(disagreements)})


def attacks(claims: pd.DataFrame, timeline: pd.DataFrame, filters: dict) -> Findings:
    """Attack claims: how many, the rate each target's claims imply and how it moved, flags."""
    if claims.empty:
        return Findings([nothing_found("attack-frequency claim", filters)], {"attack_claims": 0})
    streaks = claims[claims["unit"] == "days"]
    sentences = [f"{_plural(len(claims), 'attack-frequency claim')} in {_plural(claims['post_id'].nunique(), 'post')}"
                 + (f", {_plural(len(streaks), 'of them a streak', 'of them streaks')} (days in a row)" if len(streaks) else "")
                 + f"; by target: {_most(claims['target'].fillna('not said'))}."]
    # A rate only where the record has one (both ends of the window known to the day); compared only
    # within one scope (the same target and the same places); a lower bound is said to be one.
    rated = claims[claims["rate_per_week"].notna() & (claims["unit"] != "days")]
    scope = rated["target"].fillna("an unnamed target") + " in " + rated["location"].map(places).replace("", "?")
    for _, group in rated.groupby(scope, sort=False):
        group = group.sort_values("window_end", kind="stable")
        first, last = group.iloc[0], group.iloc[-1]
        where = places(first["location"])
        target = first["target"] if not pd.isna(first["target"]) else "an unnamed target"
        on = f"Attacks on {target}" + (f" in {where}" if where else "")
        if len(group) == 1:
            sentences.append(f"{on}: {amount(first)} {first['unit']} from {_when(first['window_start'])} to "
                             f"{_when(first['window_end'])}, {_rate(first)} (post {first['post_id']}: "
                             f"\u201c{first['text']}\u201d).")
            continue
        change = last["rate_per_week"] / first["rate_per_week"] if first["rate_per_week"] else None
        bound = any(q in LOWER_BOUNDS for q in (first["qualifier"], last["qualifier"]))
        verb = ("doubled" if change and 1.8 <= change < 2.2 else "rose" if change and change > 1.05 else
                "fell" if change and change < 0.95 else "held")
        sentences.append(f"{on}: the claimed rate {verb} from {_rate(first)} ({amount(first)} {first['unit']} by "
                         f"{_when(first['window_end'])}, post {first['post_id']}) to {_rate(last)} ({amount(last)} "
                         f"{last['unit']} by {_when(last['window_end'])}, post {last['post_id']})"
                         + ("; lower bounds, so the true rates may differ." if bound else "."))
    implied = timeline[timeline["implied_rate_since_previous"].notna()] if not timeline.empty else timeline
    for _, row in implied.head(3).iterrows():
        sentences.append(f"Between post {row['previous_post_id']} and post {row['post_id']} the counts imply "
                         f"{number(row['implied_rate_since_previous'])} attacks a week.")
    flagged = int(timeline["flag"].notna().sum()) if not timeline.empty else 0
    sentences.append("No two claims of one series contradict each other." if not flagged else
                     f"{_plural(flagged, 'claim')} cannot hold together with an earlier one (flagged below).")
    return Findings(sentences, {"attack_claims": len(claims), "attack_flags": flagged})


def _rate(claim) -> str:
    """A claim's rate in words: "about 4.1 a week", or "at least 4.1 a week" for a lower bound."""
    lead = "at least" if claim.get("qualifier") in LOWER_BOUNDS else "about"
    return f"{lead} {number(claim['rate_per_week'])} a week"


def reliability(measure) -> list[str]:
    """What was measured of the positions, and what the confidence threshold left out (a
    `notebook.Reliability`)."""
    if measure is None:
        return []
    out = []
    if measure.precision is not None:
        out.append(f"How far to trust them: on {_plural(measure.threads, 'hand-checked thread')} "
                   f"({measure.gold} positions), the positions found were right {measure.precision:.0%} of the time "
                   f"and found {measure.recall:.0%} of the hand-checked ones; on threads unlike those, expect less.")
    if measure.min_confidence is None:
        out.append("No confidence level reached 80% precision there, so every position is used; read each with "
                   "its sentence.")
    elif measure.left_out:
        whose = "the threshold chosen" if measure.chosen else "the model's threshold, where precision reached 80%"
        out.append(f"{_plural(measure.left_out, 'position')} with a confidence below {measure.min_confidence:.2f} "
                   f"({whose}) {'is' if measure.left_out == 1 else 'are'} left out of these findings; the table "
                   "below lists them all.")
    return out


def positions(found: pd.DataFrame, changes: pd.DataFrame, filters: dict, measure=None) -> Findings:
    """Positions: how many, by whom, which stances, and each actor's shifts; with ``measure`` (a
    `notebook.Reliability`), how far they can be trusted and what the confidence threshold left out."""
    if found.empty:
        return Findings([nothing_found("stated position", filters), *reliability(measure)],
                        {"positions": 0, "shifts": 0})
    sentences = [f"{_plural(len(found), 'stated position')} by {_plural(found['actor'].nunique(), 'actor')}; "
                 f"by stance: {_most(found['stance'], 7)}.",
                 f"Most positions: {_most(found['actor'], 4)}."]
    if changes.empty:
        sentences.append("No actor's position changes within the thread.")
    else:
        sentences.append(f"{_plural(len(changes), 'shift')} by {_plural(changes['actor'].nunique(), 'actor')}:")
        for _, row in changes.head(5).iterrows():
            sentences.append(f"{row['actor']}: {row['from_stance']} ({_when(row['from_stated'])}, post {row['from_post_id']}) "
                             f"then {row['to_stance']} ({_when(row['to_stated'])}, post {row['to_post_id']}).")
        if len(changes) > 5:
            sentences.append(f"... and {len(changes) - 5} more, in the table below.")
    sentences += reliability(measure)
    return Findings(sentences, {"positions": len(found), "actors": int(found["actor"].nunique()),
                                "shifts": len(changes)})


def corpus(threads: pd.DataFrame, counts: pd.DataFrame, disagreements: pd.DataFrame, positions: pd.DataFrame,
           shifts: pd.DataFrame) -> Findings:
    """Many threads read together: how many, which failed, figures across threads that clash, the
    actors who state positions in more than one thread, and who changed their stance between threads."""
    read = threads[threads["error"].isna()]
    sentences = [f"{_plural(len(read), 'thread')} read, {_plural(int(read['posts'].sum()), 'post')} in all."]
    failed = threads[threads["error"].notna()]
    if not failed.empty:
        sentences.append(f"{_plural(len(failed), 'thread')} failed and {'is' if len(failed) == 1 else 'are'} "
                         f"left out: {', '.join(failed['path'].astype(str))}.")
    totals = {kind: int(counts[kind].sum()) for kind in ("troops", "attacks", "positions") if kind in counts}
    if totals:
        sentences.append("Records: " + ", ".join(f"{n:,} {kind}" for kind, n in totals.items()) + ".")
    if disagreements.empty:
        sentences.append("No figure of one thread contradicts a figure of another.")
    else:
        pairs = disagreements.drop_duplicates(["first_thread", "second_thread"])
        sentences.append(f"{_plural(len(disagreements), 'pair')} of figures from different threads cannot both hold "
                         f"(between {_plural(len(pairs), 'pair')} of threads).")
    several = positions[positions["threads"] > 1]
    if not several.empty:
        sentences.append(f"{_plural(len(several), 'actor')} state positions in more than one thread: "
                         + ", ".join(f"{a} ({n} threads)" for a, n in zip(several["actor"].head(4), several["threads"]))
                         + ".")
    for row in shifts.head(3).to_dict("records"):
        sentences.append(f"{row['actor']} went from {row['from_stance']} ({row['from_stated'] or 'undated'}, "
                         f"{row['from_thread']}) to {row['to_stance']} ({row['to_stated'] or 'undated'}, {row['to_thread']}).")
    return Findings(sentences, {"threads": len(read), "failed": len(failed), **totals,
                                "disagreements": len(disagreements), "shifts": len(shifts)})
