"""Learning from annotated threads, and measuring it on threads it did not learn from.

An annotated thread is a folder with ``thread.txt`` and ``gold/positions.jsonl`` (and, to score
shifts, ``gold/shifts.jsonl``): the layout of `quality.GoldSet`. Each stance the rules find in it
is labelled right when it matches a gold record by the spec's rule (`score`), else wrong; the model
(`stance_model`) learns from those labels how likely a stance stated in such a way is right.

`loto` measures leave-one-thread-out: for each thread, a model trained on all the others judges it,
and the predictions of every thread are pooled. That pooled figure tells how the model does on
threads nobody tuned it for. `train` fits the model on every thread, calibrates its confidence on
the leave-one-thread-out predictions, sets ``min_confidence`` from them, and records how it scored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from .positions import judged, position_records, positions_frame, shifts, stance_rows
from .quality import GoldSet, pooled
from .score import Score, read_records, score
from .stance_model import StanceModel, fit

C = 0.1  # the inverse strength of the regularisation: few, general features, strongly held back
TARGET_PRECISION = 0.80  # min_confidence: the lowest confidence at which LOTO precision reaches this,
MIN_SHARE = 0.10         # keeping at least this share of the records (else there is none)


@dataclass
class Annotated:
    """An annotated thread, read and parsed once: the rules' stances in it (a list a post, each with
    its features) and its gold records."""

    name: str
    thread: object
    rows: list[list[dict]]
    gold: dict[str, list[dict]]
    digest: str

    def labelled(self) -> tuple[list[dict[str, float]], list[bool]]:
        """The features of each stance the rules find in the thread, and whether it is right."""
        records = position_records(self.rows, self.thread)
        matched = {index for _, index in score("positions", self.gold["positions"], records).pairs}
        return [r["_features"] for r in records], [i in matched for i in range(len(records))]


def read(gold_set: GoldSet) -> Annotated:
    """Read and parse an annotated thread, and find the rules' stances in it."""
    from .actors import host_country
    from .thread import load_thread

    thread = load_thread(gold_set.thread)
    files = {kind: gold_set.gold / f"{kind}.jsonl" for kind in ("positions", "shifts")}
    gold = {kind: read_records(path) if path.is_file() else [] for kind, path in files.items()}
    digest = hashlib.sha256(gold_set.thread.read_bytes())
    for path in files.values():
        if path.is_file():
            digest.update(path.read_bytes())
    return Annotated(gold_set.name, thread, stance_rows(list(thread), host_country(thread)), gold,
                     digest.hexdigest()[:16])


def train_on(threads: list[Annotated], *, c: float = C) -> StanceModel:
    """A model fitted to the stances of ``threads`` (uncalibrated)."""
    features, right = [], []
    for annotated in threads:
        more, labels = annotated.labelled()
        features += more
        right += labels
    return fit(features, right, c=c)


@dataclass
class Fold:
    """One thread's scores (positions, shifts) with each record's confidence from a model trained on
    the other threads, and whether each record was right."""

    name: str
    scores: dict[str, Score]
    confidences: list[tuple[float, bool]] = field(default_factory=list)


def judge(annotated: Annotated, model: StanceModel | None) -> Fold:
    """Score the positions and shifts of an annotated thread, with ``model``'s confidence on each."""
    from .output import frame_records

    found = positions_frame([judged(rows, model) for rows in annotated.rows], annotated.thread)
    predicted = list(frame_records(found))
    positions = score("positions", annotated.gold["positions"], predicted)
    matched = {index for _, index in positions.pairs}
    confidences = [(float(r["confidence"]), i in matched) for i, r in enumerate(predicted)
                   if r.get("confidence") is not None]
    scores = {"positions": positions, "shifts": score("shifts", annotated.gold["shifts"], list(frame_records(shifts(found))))}
    return Fold(annotated.name, scores, confidences)


def loto(threads: list[Annotated], *, c: float = C) -> list[Fold]:
    """Leave-one-thread-out: each thread judged by a model trained on all the others."""
    return [judge(held, train_on([t for t in threads if t is not held], c=c)) for held in threads]


def calibration(confidences: list[tuple[float, bool]]) -> tuple[list[list[float]], float | None]:
    """An increasing curve from a score to the share of records that were right (isotonic
    regression over leave-one-thread-out predictions), and `min_confidence` of the calibrated
    confidences."""
    if len({right for _, right in confidences}) < 2:
        return [], None
    from sklearn.isotonic import IsotonicRegression

    ordered = sorted(confidences)
    scores = [s for s, _ in ordered]
    right = [1.0 if r else 0.0 for _, r in ordered]
    curve = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, right)
    points = [[float(x), round(float(y), 4)] for x, y in zip(curve.X_thresholds_, curve.y_thresholds_)]
    calibrated = [round(float(v), 4) for v in curve.predict(scores)]
    return points, min_confidence(list(zip(calibrated, right)))


def min_confidence(confidences: list[tuple[float, float | bool]], target: float = TARGET_PRECISION,
                   share: float = MIN_SHARE) -> float | None:
    """The lowest confidence at which the records at or above it were right at least ``target`` of
    the time, keeping at least ``share`` of them; None when there is no such confidence.

    >>> min_confidence([(0.9, True), (0.7, True), (0.6, False), (0.5, True), (0.4, False)], 0.75)
    0.5
    >>> min_confidence([(0.9, True), (0.7, False), (0.6, False), (0.5, True)], 0.75, share=0.5) is None
    True
    """
    for threshold in sorted({value for value, _ in confidences}):
        kept = [bool(right) for value, right in confidences if value >= threshold]
        if len(kept) < share * len(confidences):
            break
        if sum(kept) / len(kept) >= target:
            return threshold
    return None


def train(gold_sets: list[GoldSet], *, c: float = C,
          log: Callable[[str], None] | None = None) -> tuple[StanceModel, list[Fold], list[Fold]]:
    """The model trained on every thread of ``gold_sets`` and calibrated on their
    leave-one-thread-out predictions (uncalibrated with fewer than two threads), with the folds of
    the rules alone and of the rules with the model that measured it."""
    log = log or (lambda line: None)
    threads = []
    for gold_set in gold_sets:
        log(f"reading {gold_set.name}")
        threads.append(read(gold_set))
    folds = loto(threads, c=c) if len(threads) > 1 else []
    rules = [judge(t, None) for t in threads]
    model = train_on(threads, c=c)
    model.calibration, model.min_confidence = calibration([x for f in folds for x in f.confidences])
    for fold in folds:  # the folds' confidences, calibrated as the model's will be
        fold.confidences = [(model.calibrated(s), right) for s, right in fold.confidences]
    model.about = {"trained_on": {t.name: t.digest for t in threads}, "c": c, "target_precision": TARGET_PRECISION,
                   "loto": summary(folds, model.min_confidence) if folds else {}}
    return model, rules, folds


def summary(folds: list[Fold], threshold: float | None) -> dict:
    """Pooled leave-one-thread-out figures: positions and shifts, and the positions at or above
    ``threshold``."""
    out = {}
    for kind in ("positions", "shifts"):
        total = pooled([f.scores[kind] for f in folds])
        out[kind] = {"gold": total.gold, "found": total.predicted, "matched": total.matched,
                     "precision": round(total.precision, 4), "recall": round(total.recall, 4), "f1": round(total.f1, 4),
                     **{k: round(v, 4) for k, v in total.field_accuracy.items()}}
    kept = [right for f in folds for value, right in f.confidences if threshold is not None and value >= threshold]
    gold = out["positions"]["gold"]
    out["confident"] = {"min_confidence": threshold, "found": len(kept), "matched": sum(kept),
                        "precision": round(sum(kept) / len(kept), 4) if kept else 1.0,
                        "recall": round(sum(kept) / gold, 4) if gold else 1.0}
    return out


def table(rules: list[Fold], folds: list[Fold], threshold: float | None) -> str:
    """A Markdown table of positions and shifts, leave-one-thread-out: per thread and pooled, the
    rules alone (every record) and with the model (the records at or above ``threshold``, and the
    mean confidence of the right and of the wrong records)."""
    shown = (f"at or above min_confidence {threshold:.2f}" if threshold is not None else
             f"none: no confidence reached precision {TARGET_PRECISION:.2f} keeping {MIN_SHARE:.0%} of the records")
    lines = [f"Positions and shifts, leave-one-thread-out (the model judging each thread was trained on the others; "
             f"confident: {shown})", "",
             "| thread | gold | rules: found | matched | P | R | F1 | shifts F1 | model: confident | matched | P | R "
             "| mean confidence right / wrong |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    by_name = {f.name: f for f in folds}
    for name, fold in [(r.name, r) for r in rules] + [("**pooled**", None)]:
        if fold is None:
            positions = pooled([r.scores["positions"] for r in rules])
            shifted = pooled([r.scores["shifts"] for r in rules])
            confidences = [x for f in folds for x in f.confidences]
        else:
            positions, shifted = fold.scores["positions"], fold.scores["shifts"]
            confidences = by_name[name].confidences if name in by_name else []
        kept = [right for value, right in confidences if threshold is not None and value >= threshold]
        right = [v for v, r in confidences if r]
        wrong = [v for v, r in confidences if not r]
        mean = lambda values: f"{sum(values) / len(values):.2f}" if values else "-"  # noqa: E731
        precision = f"{sum(kept) / len(kept):.2f}" if kept else "-"
        recall = f"{sum(kept) / positions.gold:.2f}" if positions.gold else "-"
        lines.append(f"| {name} | {positions.gold} | {positions.predicted} | {positions.matched} | {positions.precision:.2f} "
                     f"| {positions.recall:.2f} | {positions.f1:.2f} | {shifted.f1:.2f} | {len(kept)} | {sum(kept)} "
                     f"| {precision} | {recall} | {mean(right)} / {mean(wrong)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m threadlib.learning [--sample] DIR ... -o MODEL``: train, print the measurement."""
    import argparse
    import sys
    from pathlib import Path

    from .errors import ModelError, ThreadFormatError
    from .quality import default_sets

    parser = argparse.ArgumentParser(prog="python -m threadlib.learning",
                                     description="Train the stance model on annotated threads and measure it "
                                                 "leave-one-thread-out.")
    parser.add_argument("dirs", nargs="*", help="annotated threads: folders with thread.txt and gold/positions.jsonl")
    parser.add_argument("--sample", action="store_true", help="also the project's own annotated sample")
    parser.add_argument("-o", "--output", help="write the model here")
    args = parser.parse_args(argv)
    try:
        sets = (default_sets(Path(".")) if args.sample else []) + [GoldSet.from_dir(d) for d in args.dirs]
        if not sets:
            raise ThreadFormatError("no annotated thread given: name folders with thread.txt and gold/positions.jsonl")
        model, rules, folds = train(sets, log=lambda line: print(f"threadlib train: {line}", file=sys.stderr))
        if args.output:
            model.save(args.output)
    except (ThreadFormatError, ModelError, OSError) as exc:
        print(f"threadlib train: error: {exc}", file=sys.stderr)
        return 2
    print(table(rules, folds, model.min_confidence) if folds else "(one thread: nothing to measure leave-one-thread-out)")
    if args.output:
        threshold = "none" if model.min_confidence is None else f"{model.min_confidence:.2f}"
        print(f"\nmodel: {args.output} ({Path(args.output).stat().st_size:,} bytes, {len(model.weights)} weights); "
              f"min_confidence {threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
