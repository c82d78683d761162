"""Across threads: what a corpus (`threadlib.corpus`) says when its threads are read together.

* `monthly_counts`: records of each kind per thread and month of publication;
* `disagreements_across`: troop figures and attack counts of two threads that cannot both hold;
* `positions_across`: each actor's stances over the threads, first and last;
* `shifts_across`: an actor's change of stance from one thread to another.

The single-thread rules are used as they are (`troop_disagreements`, `attack_timeline`, `shifts`):
the threads' records are pooled with each post numbered once over the corpus, and mapped back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .corpora import Corpus

RECORD_KINDS = ("troops", "attacks", "positions")


def monthly_counts(corpus: Corpus) -> pd.DataFrame:
    """One row per thread and month (of the article's date): how many records of each kind."""
    import pandas as pd

    parts = []
    for kind in RECORD_KINDS:
        if kind not in corpus.tables or corpus[kind].empty:
            continue
        table = corpus[kind]
        month = table["published"].dt.strftime("%Y-%m").astype("string")
        parts.append(pd.DataFrame({"thread": table["thread"], "month": month, "kind": kind}))
    columns = ["thread", "month", *[k for k in RECORD_KINDS if k in corpus.tables]]
    if not parts:
        return pd.DataFrame(columns=columns)
    counts = pd.concat(parts).dropna(subset=["month"]).value_counts(["thread", "month", "kind"])
    wide = counts.unstack("kind", fill_value=0).reset_index()
    for kind in columns[2:]:
        if kind not in wide.columns:
            wide[kind] = 0
    wide.columns.name = None
    return wide[columns].sort_values(["thread", "month"]).reset_index(drop=True)


def _pooled(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, tuple[str, int]]]:
    """The table with ``post_id`` made unique over the corpus (threads in order), and the way back."""
    keys = list(dict.fromkeys(zip(table["thread"], table["post_id"])))
    number = {key: i for i, key in enumerate(keys, start=1)}
    pooled = table.assign(post_id=[number[key] for key in zip(table["thread"], table["post_id"])])
    return pooled.astype({"post_id": "Int64"}), {i: key for key, i in number.items()}


DISAGREEMENT_COLUMNS = ["kind", "actor", "location", "when", "first_thread", "first_post_id", "first_text",
                        "second_thread", "second_post_id", "second_text", "why"]


def disagreements_across(corpus: Corpus) -> pd.DataFrame:
    """Figures from two different threads that cannot both hold: troop figures of one actor, place
    and month that no reading of their qualifiers reconciles, and attack counts of one target,
    scope and window that disagree, or a later count over a longer window that is lower."""
    import pandas as pd

    from .attacks import attack_timeline
    from .troops import troop_disagreements

    rows = []
    if "troops" in corpus.tables and not corpus["troops"].empty:
        pooled, back = _pooled(corpus["troops"])
        for row in troop_disagreements(pooled).to_dict("records"):
            (first_thread, first_post), (second_thread, second_post) = back[row["first_post_id"]], back[row["second_post_id"]]
            if first_thread != second_thread:
                rows.append({"kind": "troops", "actor": row["actor"], "location": row["location"], "when": row["when"],
                             "first_thread": first_thread, "first_post_id": first_post, "first_text": row["first_text"],
                             "second_thread": second_thread, "second_post_id": second_post,
                             "second_text": row["second_text"], "why": "troop figures that no qualifier reconciles"})
    if "attacks" in corpus.tables and not corpus["attacks"].empty:
        pooled, back = _pooled(corpus["attacks"])
        timeline = attack_timeline(pooled)
        texts = dict(zip(timeline["post_id"], timeline["text"]))
        for row in timeline[timeline["flag"].notna()].to_dict("records"):
            other = row["previous_post_id"]
            if row["flag"] == "counts disagree":
                other = int(re.search(r"post (\d+)", row["note"]).group(1))
            (first_thread, first_post), (second_thread, second_post) = back[other], back[row["post_id"]]
            if first_thread != second_thread:
                rows.append({"kind": "attacks", "actor": row["target"], "location": row["location"],
                             "when": row["window_end"], "first_thread": first_thread, "first_post_id": first_post,
                             "first_text": texts.get(other), "second_thread": second_thread,
                             "second_post_id": second_post, "second_text": row["text"], "why": row["flag"]})
    frame = pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)
    return frame.astype({"first_post_id": "Int64", "second_post_id": "Int64"})


POSITION_COLUMNS = ["actor", "threads", "positions", "stances", "first_stance", "first_stated", "first_thread",
                    "last_stance", "last_stated", "last_thread"]


def positions_across(corpus: Corpus) -> pd.DataFrame:
    """One row per actor: in how many threads and records they state a position, how often each
    stance, and their first and last stance by the date it was stated (then thread order)."""
    import pandas as pd

    if "positions" not in corpus.tables or corpus["positions"].empty:
        return pd.DataFrame(columns=POSITION_COLUMNS)
    table = corpus["positions"].reset_index(drop=True)
    table = table.assign(_order=range(len(table)), _stated=table["stated"].fillna(""))
    rows = []
    for actor, group in table.groupby("actor", sort=False):
        ordered = group.sort_values(["_stated", "_order"])
        first, last = ordered.iloc[0], ordered.iloc[-1]
        stances = group["stance"].value_counts()
        rows.append({"actor": actor, "threads": group["thread"].nunique(), "positions": len(group),
                     "stances": ", ".join(f"{stance} {n}" for stance, n in stances.items()),
                     "first_stance": first["stance"], "first_stated": first["stated"], "first_thread": first["thread"],
                     "last_stance": last["stance"], "last_stated": last["stated"], "last_thread": last["thread"]})
    frame = pd.DataFrame(rows, columns=POSITION_COLUMNS)
    return frame.sort_values(["threads", "positions", "actor"], ascending=[False, False, True]).reset_index(drop=True)


def shifts_across(corpus: Corpus) -> pd.DataFrame:
    """Shifts (`threadlib.shifts`) over the pooled positions whose two stances come from two threads,
    with ``from_thread`` and ``to_thread``."""
    import pandas as pd

    from .positions import SHIFT_COLUMNS, shift_frame, shifts

    columns = ["actor", "location", "from_stance", "from_stated", "from_thread", "from_post_id", "to_stance",
               "to_stated", "to_thread", "to_post_id", "confidence", "from_sentence", "to_sentence"]
    if "positions" not in corpus.tables or corpus["positions"].empty:
        return pd.DataFrame(columns=columns)
    pooled, back = _pooled(corpus["positions"])
    found = shifts(pooled).to_dict("records")
    rows = []
    for row in found:
        (from_thread, from_post), (to_thread, to_post) = back[row["from_post_id"]], back[row["to_post_id"]]
        if from_thread != to_thread:
            rows.append({**row, "from_thread": from_thread, "from_post_id": from_post,
                         "to_thread": to_thread, "to_post_id": to_post})
    frame = shift_frame([{k: r[k] for k in SHIFT_COLUMNS} for r in rows])
    frame.insert(4, "from_thread", pd.array([r["from_thread"] for r in rows], dtype="string"))
    frame.insert(8, "to_thread", pd.array([r["to_thread"] for r in rows], dtype="string"))
    return frame[columns]
