"""Gold scores of every kind on every thread that has gold records, in one table (``make quality``).

A gold set is a folder with ``thread.txt`` and ``gold/KIND.jsonl`` files (the layout of an annotated
thread); the project's own sample is one too (``tests/fixtures/gold`` with ``data/threads/iraq.txt``).
Each thread is extracted once: shifts come from the positions already found. With two or more
threads, the stance model is measured leave-one-thread-out too (`learning`): each thread judged by
a model trained on the others, the rules alone beside the rules with the model.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError, ThreadFormatError
from .output import frame_records
from .score import FIELDS, Score, read_records, score

KINDS = ("troops", "attacks", "positions", "shifts")


@dataclass(frozen=True)
class GoldSet:
    """A thread and the folder of its gold records."""

    name: str
    thread: Path
    gold: Path

    @classmethod
    def from_dir(cls, folder: str | Path) -> GoldSet:
        """A folder holding ``thread.txt`` and ``gold/*.jsonl``."""
        folder = Path(folder)
        if not (folder / "thread.txt").is_file() or not (folder / "gold").is_dir():
            raise ThreadFormatError(f"{folder}: not a gold folder; it needs thread.txt and gold/*.jsonl")
        return cls(folder.resolve().name, folder / "thread.txt", folder / "gold")


def predict(thread_path: str | Path, kinds: Iterable[str] = KINDS) -> dict[str, list[dict]]:
    """The records of each kind for one thread, each extractor run once."""
    from .attacks import attacks
    from .positions import positions, shifts
    from .thread import load_thread
    from .troops import troops

    thread = load_thread(thread_path)
    kinds = list(kinds)
    out: dict[str, list[dict]] = {}
    if "troops" in kinds:
        out["troops"] = list(frame_records(troops(thread)))
    if "attacks" in kinds:
        out["attacks"] = list(frame_records(attacks(thread)))
    if "positions" in kinds or "shifts" in kinds:
        found = positions(thread)
        out["positions"] = list(frame_records(found))
        out["shifts"] = list(frame_records(shifts(found)))
    return {kind: out[kind] for kind in kinds}


def score_set(gold_set: GoldSet, kinds: Iterable[str] = KINDS) -> dict[str, Score]:
    """Scores of each kind that the gold set has a file for."""
    kinds = [k for k in kinds if (gold_set.gold / f"{k}.jsonl").is_file()]
    predicted = predict(gold_set.thread, kinds)
    return {kind: score(kind, read_records(gold_set.gold / f"{kind}.jsonl"), predicted[kind]) for kind in kinds}


def pooled(scores: list[Score]) -> Score:
    """One score from several: counts added, field accuracy weighted by matched pairs.

    >>> a, b = Score("troops", 4, 4, 2, {"actor": 1.0}), Score("troops", 6, 2, 2, {"actor": 0.5})
    >>> p = pooled([a, b]); (p.gold, p.predicted, p.matched, p.field_accuracy["actor"])
    (10, 6, 4, 0.75)
    """
    total = Score(scores[0].kind, sum(s.gold for s in scores), sum(s.predicted for s in scores),
                  sum(s.matched for s in scores))
    for name in FIELDS[total.kind]:
        weighted = [(s.field_accuracy[name], s.matched) for s in scores if name in s.field_accuracy and s.matched]
        if weighted:
            total.field_accuracy[name] = sum(a * n for a, n in weighted) / sum(n for _, n in weighted)
    return total


def table(results: dict[str, dict[str, Score]], *, own: Iterable[str] = ("sample",)) -> str:
    """A Markdown table: one row per kind and thread, then pooled rows per kind: over every thread,
    and over the threads given (all but the project's ``own``) when there are several."""
    lines = ["| kind | thread | gold | found | matched | P | R | F1 | field accuracy |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for kind in KINDS:
        scores = [(name, by_kind[kind]) for name, by_kind in results.items() if kind in by_kind]
        if not scores:
            continue
        given = [s for name, s in scores if name not in own]
        rows = scores + ([("**pooled, all**", pooled([s for _, s in scores]))] if len(scores) > 1 else [])
        rows += [("**pooled, given**", pooled(given))] if len(given) > 1 else []
        for name, s in rows:
            fields = " ".join(f"{k} {v:.2f}" for k, v in s.field_accuracy.items())
            lines.append(f"| {kind} | {name} | {s.gold} | {s.predicted} | {s.matched} | {s.precision:.2f} | "
                         f"{s.recall:.2f} | {s.f1:.2f} | {fields} |")
    return "\n".join(lines)


def default_sets(root: Path) -> list[GoldSet]:
    """The project's own gold: the sample thread and its hand-checked records."""
    return [GoldSet("sample", root / "data" / "threads" / "iraq.txt", root / "tests" / "fixtures" / "gold")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m threadlib.quality",
                                     description="Score every kind on every thread that has gold records.")
    parser.add_argument("dirs", nargs="*", help="more gold folders (thread.txt + gold/*.jsonl)")
    parser.add_argument("--root", default=".", help="the project folder (for the sample's gold)")
    parser.add_argument("--kinds", default=",".join(KINDS), help="kinds to score, comma-separated")
    parser.add_argument("--no-loto", action="store_true",
                        help="leave out the leave-one-thread-out measurement of the stance model")
    args = parser.parse_args(argv)
    try:
        sets = default_sets(Path(args.root)) + [GoldSet.from_dir(d) for d in args.dirs]
        kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
        results = {s.name: score_set(s, kinds) for s in sets}
        print(table(results))
        if len(sets) > 1 and "positions" in kinds and not args.no_loto:
            from .learning import table as loto_table, train

            model, rules, folds = train(sets)
            print()
            print(loto_table(rules, folds, model.min_confidence))
    except (ThreadFormatError, ModelError) as exc:
        print(f"threadlib quality: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
