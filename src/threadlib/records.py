"""The one record model of the extractors, and the DataFrames made of it at the edge.

Every record of troops, attacks and positions is a plain dict while it is made, with the same
provenance fields: ``post_id``, ``published`` (the article's date), ``sentence`` (whitespace
collapsed), and where its words are: ``field`` (``body`` or ``commentary``) with ``start``/``end``,
the character offsets of the record's own words (a mention's ``text``, a position's ``cue``) in that
field of the post. "No value" is ``None`` in a record and ``<NA>`` in a frame. A location is, in
a record, a country's short name, or a list of names in text order when it holds several (positions
hold one: a stance about two countries is two records); in a frame it is always a list of names (or
None), so that the column has one type, and records written from a frame take the record form again. DataFrames are made only here, with one dtype
policy: whole numbers ``Int64``, other numbers ``Float64``, ``published`` (always a whole day) a
``datetime64`` as in the posts table, other dates (at the precision the text gives: "2023-10",
"2007") and words ``string``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


PROVENANCE = ["post_id", "published", "sentence"]
SPAN = ["field", "start", "end"]
_INTS = {"post_id", "start", "end", "value", "low", "high", "count", "window_days"}
_FLOATS = {"rate_per_week", "confidence"}
_OBJECTS = {"location"}  # a list of names in every frame (a record writes one name as a string)
_DAYS = {"published"}  # whole days, as in the posts table


def places_list(value) -> list[str] | None:
    """A location cell as one type, a list of names (None when there is none).

    >>> places_list("Iraq"), places_list(["Iraq", "Syria"]), places_list(None)
    (['Iraq'], ['Iraq', 'Syria'], None)
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value) or None
    return None


def record_location(value):
    """A location as the record rules write it: one name as a string, several as a list."""
    value = places_list(value.tolist() if hasattr(value, "tolist") else value)
    return value[0] if value and len(value) == 1 else value


def to_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A DataFrame of records with ``columns`` (provenance first, span last), typed by the policy.

    >>> frame = to_frame([{"post_id": 1, "value": None, "sentence": "x"}], ["post_id", "value", "sentence"])
    >>> [str(dtype) for dtype in frame.dtypes], frame.loc[0, "value"]
    (['Int64', 'Int64', 'string'], <NA>)
    >>> to_frame([{"published": "2024-01-19"}], ["published"])["published"].dtype
    dtype('<M8[s]')
    """
    import pandas as pd

    data = {}
    for column in columns:  # a column at a time from the records: several times faster than astype
        values = [row.get(column) for row in rows]
        if column in _OBJECTS:
            data[column] = pd.Series([places_list(value) for value in values], dtype=object)
        elif column in _DAYS:
            days = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d")
            data[column] = days.astype("datetime64[s]")
        else:
            dtype = "Int64" if column in _INTS else "Float64" if column in _FLOATS else "string"
            data[column] = pd.array([None if _missing(value) else value for value in values], dtype=dtype)
    return pd.DataFrame(data, columns=columns)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def concat_frames(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """One frame of the frames made batch by batch (`to_frame` of each batch's records, as they
    come, so that a huge thread's records are never all held as dicts, which take several times the
    memory of their columns); with no part, an empty frame of ``columns``.

    >>> parts = [to_frame([{"post_id": 1}], ["post_id"]), to_frame([{"post_id": 2}], ["post_id"])]
    >>> concat_frames(parts, ["post_id"])["post_id"].tolist(), len(concat_frames([], ["post_id"]))
    ([1, 2], 0)
    """
    import pandas as pd

    parts = [part for part in parts if len(part)]
    if not parts:
        return to_frame([], columns)
    return parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)


class FrameParts:
    """The frames of a table made batch by batch (`to_frame` of each batch's records as they come),
    merged every `MERGE` batches into one frame: a huge thread holds tens of frames, not thousands
    (a frame costs tens of kilobytes besides its rows)."""

    MERGE = 32

    def __init__(self):
        self.merged: list[pd.DataFrame] = []
        self.recent: list[pd.DataFrame] = []

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.recent.append(frame)
        if len(self.recent) >= self.MERGE:
            import pandas as pd

            self.merged.append(pd.concat(self.recent, ignore_index=True))
            self.recent = []

    def frames(self) -> list[pd.DataFrame]:
        return self.merged + self.recent


def batched_frame(batches: Iterable[list[dict]], columns: list[str]) -> pd.DataFrame:
    """The frame of records that come a batch at a time: each batch made a frame as it comes."""
    parts = FrameParts()
    for rows in batches:
        parts.add(to_frame(rows, columns))
    return concat_frames(parts.frames(), columns)
