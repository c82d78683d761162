"""The ``threadlib`` command: extract tables from a thread (and, as they land, score and report)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable

import pandas as pd

from . import __version__
from .attacks import attacks
from .errors import LexiconError, ModelError, ThreadFormatError
from .output import FORMATS, atomic_output, frame_records, write_jsonl, write_table
from .positions import positions, shifts
from .report import ReportError
from .score import FIELDS as SCORED
from .score import looks_like_records, read_records, score
from .thread import Thread, iter_posts, load_thread
from .troops import troops

SAMPLE = "data/threads/iraq.txt"

# Each kind of table that `threadlib extract KIND` writes: a function from a thread to a DataFrame.
EXTRACTORS: dict[str, Callable[[Thread], pd.DataFrame]] = {
    "posts": lambda thread: thread.posts,
    "troops": troops,
    "attacks": attacks,
    "positions": positions,
    "shifts": lambda thread: shifts(positions(thread)),
}

ROLE_EXTRACTORS = ("troops", "attacks")  # the extractors that take --no-parse and --post-time

EXAMPLES = f"""\
examples:
  threadlib extract posts {SAMPLE}                   one post a line, JSON Lines, to stdout
  threadlib extract troops {SAMPLE} -o troops.csv            CSV, from the extension
  threadlib extract positions {SAMPLE} -o positions.parquet
  threadlib score troops tests/fixtures/gold/troops.jsonl {SAMPLE}
  threadlib report {SAMPLE} --out reports/
  python -m threadlib --version

exit status: 0 on success, 2 when an input cannot be read (the message says why), 1 when a report's
notebook fails (the message names notebook and cell).
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadlib", description="Turn forum threads that repost news articles into tables of evidence.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"threadlib {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="write one table (posts, ...) of a thread", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write one table of a thread: one record a row, in JSON Lines (default), CSV or Parquet.")
    extract.add_argument("kind", choices=sorted(EXTRACTORS), metavar="KIND",
                         help=f"what to extract: {', '.join(sorted(EXTRACTORS))}")
    extract.add_argument("thread", metavar="THREAD", help=f"a thread saved as plain text, e.g. {SAMPLE}")
    extract.add_argument("--format", choices=FORMATS, default=None,
                         help="output format (default: from -o's extension, .csv or .parquet, else jsonl)")
    extract.add_argument("-o", "--output", metavar="OUT",
                         help="write here (atomically) instead of standard output")
    extract.add_argument("--no-parse", action="store_true",
                         help="troops, attacks: read roles from the words only, without the language model "
                              "(faster; whose forces and who attacked whom are then found less often)")
    extract.add_argument("--post-time", action="store_true",
                         help="troops, attacks: date a post with no date line (a comment) by its post time "
                              "(the spec leaves its as_of and window_end empty)")
    extract.set_defaults(run=run_extract)

    scorer = commands.add_parser(
        "score", help="compare extracted records with gold records (precision, recall, F1)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Score an extractor against hand-made gold records: precision, recall, F1, the accuracy "
                    "of each field over the matched records, and every miss and false hit with its sentence.",
        epilog=f"""examples:
  threadlib score troops tests/fixtures/gold/troops.jsonl {SAMPLE}      run the extractor on the thread
  threadlib score troops my_gold.jsonl my_predictions.jsonl            or score a predictions file
""")
    scorer.add_argument("kind", choices=sorted(k for k in SCORED if k in EXTRACTORS), metavar="KIND",
                        help="what to score: " + ", ".join(sorted(k for k in SCORED if k in EXTRACTORS)))
    scorer.add_argument("gold", metavar="GOLD", help="gold records, JSON Lines (one record a line)")
    scorer.add_argument("source", metavar="THREAD_OR_PREDICTIONS",
                        help="a thread (the extractor runs on it) or a JSON Lines file of predicted records")
    scorer.add_argument("--json", action="store_true", help="print the figures as JSON")
    scorer.add_argument("--posts", metavar="RANGE", type=post_range,
                        help="score only these posts, e.g. 1-3 or 1,4,7-9 (the posts a student annotated)")
    scorer.add_argument("--match", choices=["value", "span"], default="value",
                        help="pair records by their number, as the annotation spec says (value, the default), "
                             "or by their words (span): a wrong number then shows as a field error with both values")
    scorer.set_defaults(run=run_score)

    reporter = commands.add_parser(
        "report", help="run the analysis notebooks on threads and write offline HTML reports",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run each analysis notebook (notebooks/00_*.ipynb ... 03_*.ipynb) on each thread with "
                    "papermill and write HTML reports that open with no network: OUT/<thread>/<notebook>.html, "
                    "OUT/index.html and OUT/manifest.json. A failed notebook leaves the previous reports as "
                    "they were.",
        epilog=f"""examples:
  threadlib report                                       the sample thread, into reports/
  threadlib report {SAMPLE} my_thread.txt --out site/
  threadlib report {SAMPLE} -p start=2024-01-01 -p 'actors=["US"]'
  threadlib report {SAMPLE} --if-changed                 for cron: skip threads that did not change

exit status: 0 on success, 2 when a thread cannot be read, 1 when a notebook fails.
""")
    reporter.add_argument("threads", nargs="*", metavar="THREAD", default=[SAMPLE],
                          help=f"threads saved as plain text (default: {SAMPLE})")
    reporter.add_argument("--out", default="reports", metavar="DIR", help="where to write (default: reports/)")
    reporter.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                          help="a notebook parameter (start, end, actors, locations, targets); JSON values allowed")
    reporter.add_argument("--with-code", action="store_true", help="show the notebooks' code in the reports")
    reporter.add_argument("--if-changed", action="store_true",
                          help="skip a thread whose input, notebooks and threadlib version are unchanged")
    reporter.add_argument("--notebooks", metavar="DIR", help="the folder of the analysis notebooks")
    reporter.set_defaults(run=run_report)
    return parser


_EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".json": "jsonl",
               ".ndjson": "jsonl"}


def run_extract(args: argparse.Namespace) -> int:
    if args.format is None:  # "-o troops.csv" writes CSV
        suffix = os.path.splitext(args.output or "")[1].lower()
        args.format = _EXTENSIONS.get(suffix, "jsonl")
    options = {}
    if args.kind in ROLE_EXTRACTORS:
        options = {"parse": not args.no_parse, "post_time": args.post_time}
    elif args.no_parse or args.post_time:
        raise UsageError(f"--no-parse and --post-time apply to {' and '.join(ROLE_EXTRACTORS)}, not {args.kind}")
    if args.format == "parquet" and args.output in (None, "-") and sys.stdout.isatty():
        raise UsageError("Parquet is binary: give a file with -o OUT.parquet")
    if args.kind == "posts" and args.format == "jsonl":
        # Stream: one post in memory at a time, however large the thread.
        written = 0

        def records():
            nonlocal written
            for post in iter_posts(args.thread):
                yield post.to_record()
                written += 1

        try:
            with atomic_output(args.output) as handle:
                write_jsonl(records(), handle)
        except ThreadFormatError as exc:
            if args.output in (None, "-") and written:
                raise ThreadFormatError(f"{exc} (the {written} posts before it were already written to standard "
                                        "output, which is therefore incomplete)") from None
            raise
        return 0
    table = EXTRACTORS[args.kind](load_thread(args.thread), **options)
    write_table(table, args.format, args.output)
    return 0


def run_score(args: argparse.Namespace) -> int:
    gold = read_records(args.gold)
    if looks_like_records(args.source):
        predicted = read_records(args.source)
    else:
        predicted = list(frame_records(EXTRACTORS[args.kind](load_thread(args.source))))
    if args.posts is not None:  # shifts name two posts: kept when both are in range
        keep = lambda record: all(record.get(key) in args.posts for key in ("post_id", "from_post_id", "to_post_id")  # noqa: E731
                                  if key in record)
        gold, predicted = [r for r in gold if keep(r)], [r for r in predicted if keep(r)]
    result = score(args.kind, gold, predicted, match=args.match)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.report())
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .notebook import find_path
    from .report import check_parameters, find_notebooks, run_reports

    try:
        parameters = check_parameters(args.parameter, find_notebooks(args.notebooks))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    threads = [str(find_path(thread)) if thread == SAMPLE else thread for thread in args.threads]
    results = run_reports(threads, out=args.out, parameters=parameters, with_code=args.with_code,
                          if_changed=args.if_changed, notebooks=args.notebooks)
    written = sum(result.status == "written" for result in results)
    print(f"threadlib: {written} written, {len(results) - written} unchanged; see {args.out}/index.html",
          file=sys.stderr)
    return 0


def post_range(text: str) -> frozenset[int]:
    """Post numbers from ``1-3``, ``1,4,7-9``.

    >>> sorted(post_range("1,4,7-9"))
    [1, 4, 7, 8, 9]
    """
    numbers: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise argparse.ArgumentTypeError(f"{text!r}: write post numbers as 1-3 or 1,4,7-9")
        numbers.update(range(int(first), int(last or first) + 1))
    return frozenset(numbers)


class UsageError(Exception):
    """A command line that cannot work as given."""


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ThreadFormatError, LexiconError, ModelError, UsageError) as exc:
        print(f"threadlib: error: {exc}", file=sys.stderr)
        return 2
    except ReportError as exc:
        print(f"threadlib: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"threadlib: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
