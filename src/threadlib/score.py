"""Score extracted records against gold records, with the matching rules of the annotation spec.

A predicted record matches a gold record of the same post when:

* troops: the same ``value`` (two null values match only when their ``text`` spans overlap);
* attacks: the same ``count``;
* positions: the gold actor's name or one of its ``actor_aliases`` appears in the predicted
  ``actor`` (case and a leading "al-" ignored), and the same ``stance``;
* shifts: the actor as for positions, and the same ``from_stance`` and ``to_stance``.

With ``match="span"`` (for a class checking a student's annotation), troop mentions and attack
claims match by their words instead: the same post and overlapping ``text`` spans, whatever the
number; a wrong value then shows as a field error with both values, not as a miss beside a false
hit. Positions and shifts have no span of their own and keep the rules above.

Each gold record is matched at most once; among candidates, the one agreeing on most fields wins.
Precision, recall and F1 count matched records; each field is then scored over the matched pairs.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ThreadFormatError

# The fields whose accuracy is reported, per kind ("window_start_month" compares "YYYY-MM" only).
FIELDS = {
    "troops": ["value", "low", "high", "qualifier", "actor", "location", "as_of"],
    "attacks": ["count", "qualifier", "unit", "attacker", "target", "location", "window_start",
                "window_start_month", "window_end"],
    "positions": ["stance", "location", "stated"],
    "shifts": ["location", "from_stated", "to_stated", "from_post_id", "to_post_id"],
}


@dataclass
class Score:
    """The result of scoring one kind: counts, P/R/F1, per-field accuracy, and the unmatched records."""

    kind: str
    gold: int
    predicted: int
    matched: int
    field_accuracy: dict[str, float] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)
    false_hits: list[dict] = field(default_factory=list)
    field_errors: list[tuple[str, dict, dict]] = field(default_factory=list)
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (gold index, predicted index) of each match

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"kind": self.kind, "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "field_accuracy": {k: round(v, 4) for k, v in self.field_accuracy.items()},
                "misses": self.misses, "false_hits": self.false_hits}

    def report(self) -> str:
        """A plain-text report: the figures, then each miss and false hit with its sentence."""
        lines = [f"{self.kind}: gold {self.gold}, predicted {self.predicted}, matched {self.matched}",
                 f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}"]
        if self.field_accuracy:
            lines.append("field accuracy over matched pairs:")
            lines += [f"  {name:<20} {value:.3f}" for name, value in self.field_accuracy.items()]
        for title, records in (("misses (in gold, not found)", self.misses),
                               ("false hits (found, not in gold)", self.false_hits)):
            lines.append(f"{title}: {len(records)}")
            lines += [f"  post {r.get('post_id')}: {_label(self.kind, r)} | {r.get('sentence', '')}" for r in records]
        if self.field_errors:
            lines.append(f"field errors: {len(self.field_errors)}")
            lines += [f"  post {g.get('post_id')}: {name}: gold {_show(_field(g, name))} vs "
                      f"predicted {_show(_field(p, name))} | {_label(self.kind, g)}"
                      for name, g, p in self.field_errors]
        return "\n".join(lines)


def _label(kind: str, record: dict) -> str:
    if kind in ("troops", "attacks"):
        return str(record.get("text"))
    if kind == "positions":
        return f"{record.get('actor')} / {record.get('stance')}"
    return f"{record.get('actor')}: {record.get('from_stance')} -> {record.get('to_stance')}"


def _show(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("<NA>", "NaT")


def _clean(value):
    if _missing(value):
        return None
    if hasattr(value, "tolist"):
        value = value.tolist()
    return value


def _field(record: dict, name: str):
    if name == "window_start_month":
        value = _clean(record.get("window_start"))
        return value[:7] if value else None
    return _clean(record.get(name))


def _same(name: str, gold, predicted) -> bool:
    if name in ("location",):
        as_set = lambda v: frozenset([v] if isinstance(v, str) else (v or []))  # noqa: E731
        return as_set(gold) == as_set(predicted)
    if isinstance(gold, (int, float)) and isinstance(predicted, (int, float)):
        return gold == predicted
    return gold == predicted or (gold is not None and predicted is not None and str(gold) == str(predicted))


def _name_key(name: str) -> str:
    text = " ".join(str(name).replace("’", "'").split()).casefold()
    return text[3:] if text.startswith("al-") else text


def actor_matches(gold: dict, predicted_actor) -> bool:
    """Whether the gold actor's name or an alias appears in the predicted actor (spec rule)."""
    if _missing(predicted_actor):
        return False
    target = _name_key(predicted_actor)
    names = [gold.get("actor"), *(gold.get("actor_aliases") or [])]
    return any(name and _name_key(name) in target for name in names)


def _spans_overlap(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    a, b = " ".join(a.split()).casefold(), " ".join(b.split()).casefold()
    return a in b or b in a


MATCHES = ("value", "span")


def _candidate(kind: str, gold: dict, predicted: dict, match: str = "value") -> bool:
    if kind != "shifts" and gold.get("post_id") != _clean(predicted.get("post_id")):
        return False
    if match == "span" and kind in ("troops", "attacks"):
        return _spans_overlap(gold.get("text"), _clean(predicted.get("text")))
    if kind == "troops":
        g, p = gold.get("value"), _clean(predicted.get("value"))
        if g is None and p is None:
            return _spans_overlap(gold.get("text"), _clean(predicted.get("text")))
        return g == p
    if kind == "attacks":
        return gold.get("count") == _clean(predicted.get("count"))
    if kind == "positions":
        return actor_matches(gold, predicted.get("actor")) and gold.get("stance") == _clean(predicted.get("stance"))
    if kind == "shifts":
        return (actor_matches(gold, predicted.get("actor"))
                and gold.get("from_stance") == _clean(predicted.get("from_stance"))
                and gold.get("to_stance") == _clean(predicted.get("to_stance")))
    raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(FIELDS)}")


def score(kind: str, gold: list[dict], predicted: list[dict], *, match: str = "value") -> Score:
    """Match ``predicted`` records to ``gold`` ones and score them (see the module's rules;
    ``match`` is ``"value"``, the spec's rule, or ``"span"``)."""
    if match not in MATCHES:
        raise ValueError(f"unknown match {match!r}; use one of {', '.join(MATCHES)}")
    fields = FIELDS[kind]
    used: set[int] = set()
    matched: dict[int, int] = {}  # gold index -> predicted index

    def agreement(g: dict, i: int) -> tuple:
        p = predicted[i]
        return (sum(_same(n, _field(g, n), _field(p, n)) for n in fields), -i)

    # First pairs that share their sentence, then the rest: a record that is missing from the
    # predictions then shows as a miss instead of taking another sentence's match.
    for same_sentence_only in (True, False):
        for gi, g in enumerate(gold):
            if gi in matched:
                continue
            candidates = [i for i, p in enumerate(predicted) if i not in used and _candidate(kind, g, p, match)
                          and (not same_sentence_only or _same_sentence(g, p))]
            if candidates:
                best = max(candidates, key=lambda i: agreement(g, i))
                used.add(best)
                matched[gi] = best
    pairs = [(gold[gi], predicted[pi]) for gi, pi in sorted(matched.items())]
    misses = [g for gi, g in enumerate(gold) if gi not in matched]
    result = Score(kind=kind, gold=len(gold), predicted=len(predicted), matched=len(pairs), misses=misses,
                   false_hits=[_plain(p) for i, p in enumerate(predicted) if i not in used],
                   pairs=sorted(matched.items()))
    for name in fields:
        scored = [(g, p) for g, p in pairs if name in g or (name == "window_start_month" and "window_start" in g)]
        if not scored:
            continue
        right = [(g, p) for g, p in scored if _same(name, _field(g, name), _field(p, name))]
        result.field_accuracy[name] = len(right) / len(scored)
        result.field_errors += [(name, g, _plain(p)) for g, p in scored if (g, p) not in right]
    return result


def _same_sentence(gold: dict, predicted: dict) -> bool:
    sentence = gold.get("sentence")
    return bool(sentence) and " ".join(str(_clean(predicted.get("sentence")) or "").split()) == " ".join(
        sentence.split())


def _plain(record: dict) -> dict:
    return {key: _clean(value) for key, value in record.items()}


def read_records(path: str | Path) -> list[dict]:
    """Records from a JSON Lines file; a clear `ThreadFormatError` for a line that is not JSON."""
    path = Path(path)
    if not path.is_file():
        raise ThreadFormatError(f"{path}: no such file; give a JSON Lines file of records")
    records = []
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if b"\x00" in raw:
                raise ThreadFormatError(f"{path}, line {number}: binary data, not JSON Lines; give one JSON object "
                                        "a line", line=number)
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ThreadFormatError(f"{path}, line {number}: not UTF-8 text (byte 0x{raw[exc.start]:02X}); give "
                                        "JSON Lines in UTF-8", line=number) from None
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ThreadFormatError(f"{path}, line {number}: not JSON ({exc.msg}); "
                                        "give one JSON object a line", line=number) from None
            if not isinstance(record, dict):
                raise ThreadFormatError(f"{path}, line {number}: not a JSON object", line=number)
            records.append(record)
    return records


# A field every record of a kind has (troops count a value or a text, attacks a count ...).
KIND_FIELDS = {"troops": ("value", "text"), "attacks": ("count", "unit"), "positions": ("stance",),
               "shifts": ("from_stance", "to_stance")}


def check_kind(kind: str, records: list[dict], path: str | Path) -> None:
    """Refuse records that are not of ``kind`` (a positions file given to score troops), in one line."""
    fields = KIND_FIELDS[kind]
    if records and not any(field in record for record in records for field in fields):
        found = next((other for other, names in KIND_FIELDS.items() if other != kind
                      and any(name in records[0] for name in names)), None)
        what = f"{found} records" if found else "records of another kind"
        raise ThreadFormatError(f"{path}: these are {what}, not {kind} (no record has {' or '.join(fields)}); give "
                                f"the {kind} file")


def looks_like_records(path: str | Path) -> bool:
    """Whether ``path`` holds JSON Lines records (a predictions file) rather than a thread."""
    path = Path(path)
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        return True
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            first = next((line for line in handle if line.strip()), "")
    except OSError:
        return False
    return first.lstrip().startswith("{")
