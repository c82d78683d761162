"""The ``threadlib`` command: extract tables from a thread (and, as they land, score and report)."""

from __future__ import annotations

import argparse
import json
import os
import sys

from .corpora import KINDS as CORPUS_KINDS  # light modules: no pandas at start-up
from .errors import LexiconError, ModelError, ReportError, ThreadFormatError
from .output import FORMATS
from .score import FIELDS as SCORE_FIELDS

SAMPLE = "data/threads/iraq.txt"
KINDS = tuple(sorted(CORPUS_KINDS))  # what `threadlib extract` writes
SCORED = tuple(sorted(SCORE_FIELDS))  # what `threadlib score` scores


def extractor(kind: str):
    """The function from a thread to the table of ``kind`` (imported when it is asked for)."""
    if kind == "posts":
        return lambda thread: thread.posts
    if kind == "shifts":
        from .positions import positions, shifts

        return lambda thread: shifts(positions(thread))
    from importlib import import_module

    return getattr(import_module(f"threadlib.{kind}"), kind)

ROLE_EXTRACTORS = ("troops", "attacks")  # the extractors that take --no-parse and --post-time

EXAMPLES = f"""\
examples:
  threadlib extract posts {SAMPLE}                   one post a line, JSON Lines, to stdout
  threadlib extract troops {SAMPLE} -o troops.csv            CSV, from the extension
  threadlib extract positions {SAMPLE} -o positions.parquet
  threadlib extract troops forum/ -o troops.csv              every .txt thread under forum/, one table
  threadlib extract --kinds troops,attacks,positions forum/ -o tables/ --if-changed
  threadlib score troops tests/fixtures/gold/troops.jsonl {SAMPLE}
  threadlib report {SAMPLE} --out reports/
  threadlib train my_gold/thread1 my_gold/thread2 -o my_model.json
  python -m threadlib --version

exit status: 0 on success, 2 when an input cannot be read (the message says why) or a report's kernel
dies, 1 when a report's notebook fails (the message names notebook and cell).
"""

EXTRACT_EXAMPLES = f"""\
examples:
  threadlib extract posts {SAMPLE}                     one post a line, JSON Lines, to stdout
  threadlib extract troops {SAMPLE} -o troops.csv              CSV, from the extension
  threadlib extract troops forum/ 'archive/*.txt' -o troops.parquet   many threads: one table, thread first
  threadlib extract --kinds troops,attacks,positions,shifts forum/ -o tables/
        a Parquet dataset a kind (tables/troops/thread=<id>/...) and tables/threads.parquet, which says
        where each thread came from and why one failed
  threadlib extract --kinds troops,attacks forum/ -o tables/ --if-changed      for cron: only what changed
  threadlib extract troops forum/ -o troops.parquet --scheduler tcp://HOST:8786     on a Dask cluster

  on a Dask cluster (threadlib installed on every machine, the threads on a shared file system):
    HOST$ dask scheduler                      then on each worker machine:  dask worker tcp://HOST:8786

A thread that cannot be read is reported (one line) and left out; the others are written, and the
exit status is then 2.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadlib", description="Turn forum threads that repost news articles into tables of evidence.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="write tables (posts, troops, ...) of one thread or of many", epilog=EXTRACT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter, usage="threadlib extract [options] KIND PATH ...",
        description="Write a table of a thread, one record a row, in JSON Lines (default), CSV or Parquet; or of "
                    "many threads (files, folders of .txt files, glob patterns), as one table whose first column, "
                    "thread, names each thread by a stable id (its title and a hash of its first post).")
    extract.add_argument("items", nargs="+", metavar="KIND PATH",
                         help=f"what to extract ({', '.join(KINDS)}; several with --kinds) and the threads")
    extract.add_argument("--kinds", metavar="KIND,KIND",
                         help="several kinds in one pass (each post read and parsed once), into the folder -o DIR")
    extract.add_argument("--format", choices=FORMATS, default=None,
                         help="output format (default: from -o's extension, .csv or .parquet; a folder gets a "
                              "Parquet dataset; else jsonl)")
    extract.add_argument("-o", "--output", metavar="OUT",
                         help="write here (atomically) instead of standard output; a folder (an existing one, "
                              "or a name ending in /) gets one table a kind")
    extract.add_argument("-j", "--jobs", type=positive_int, metavar="N",
                         help=f"processes for many threads, or for the posts of one large thread "
                              f"(default: the {available_cores()} cores)")
    extract.add_argument("--scheduler", metavar="ADDRESS",
                         help="run on Dask: 'local' (a cluster of --jobs workers on this machine) or a scheduler's "
                              "address, tcp://HOST:8786 (its workers must see the same paths)")
    extract.add_argument("--cache", metavar="DIR",
                         help="keep each post's records here, so that a grown thread has only its new posts "
                              f"extracted again (default with --if-changed: {_cache_dir_shown()})")
    extract.add_argument("--if-changed", action="store_true",
                         help="with -o: leave the output as it is when no thread, lexicon or code changed; "
                              "use the cache for the threads that did")
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
    scorer.add_argument("kind", choices=SCORED, metavar="KIND", help="what to score: " + ", ".join(SCORED))
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

    trainer = commands.add_parser(
        "train", help="train the stance model on annotated threads and measure it leave-one-thread-out",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Train the model that judges each stated position (its confidence) on threads you annotated "
                    "(each a folder with thread.txt and gold/positions.jsonl, see docs/annotation.md), print how it "
                    "scores on each thread when trained on the others, and write it. Use it with "
                    "THREADLIB_MODEL=MODEL.",
        epilog="""examples:
  threadlib train my_gold/thread1 my_gold/thread2 my_gold/thread3 -o my_model.json
  THREADLIB_MODEL=my_model.json threadlib extract positions my_thread.txt
""")
    trainer.add_argument("dirs", nargs="+", metavar="DIR", help="annotated threads: thread.txt and gold/positions.jsonl")
    trainer.add_argument("-o", "--output", metavar="MODEL", default="stance_model.json",
                         help="where to write the model (default: stance_model.json)")
    trainer.set_defaults(run=run_train)

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
  threadlib report {SAMPLE} -p start=2024-01-01 -p 'actor_classes=["US"]'
  threadlib report {SAMPLE} --if-changed                 for cron: skip threads that did not change
  threadlib report forum/*.txt --jobs 2 --out site/       two threads at a time; site/corpus.html reads them together

exit status: 0 on success, 2 when a thread cannot be read or a notebook's kernel dies, 1 when a notebook fails.
""")
    reporter.add_argument("threads", nargs="*", metavar="THREAD", default=[SAMPLE],
                          help=f"threads saved as plain text (default: {SAMPLE})")
    reporter.add_argument("--out", default="reports", metavar="DIR", help="where to write (default: reports/)")
    reporter.add_argument("-p", "--parameter", action="append", default=[], metavar="NAME=VALUE",
                          help="a notebook parameter (start, end, actor_classes, actors, locations, targets, "
                               "min_confidence); JSON values allowed")
    reporter.add_argument("--with-code", action="store_true", help="show the notebooks' code in the reports")
    reporter.add_argument("--if-changed", action="store_true",
                          help="skip a thread whose input, notebooks and threadlib version are unchanged")
    reporter.add_argument("--notebooks", metavar="DIR", help="the folder of the analysis notebooks")
    reporter.add_argument("-j", "--jobs", type=positive_int, default=1, metavar="N",
                          help="threads rendered at a time, each by a kernel of its own; also the processes "
                               "that extract the threads first (default 1)")
    reporter.set_defaults(run=run_report)
    return parser


_EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".json": "jsonl",
               ".ndjson": "jsonl"}


def run_extract(args: argparse.Namespace) -> int:
    kinds, paths = _kinds_and_paths(args)
    folder_out = args.output is not None and (args.output.endswith(("/", os.sep)) or os.path.isdir(args.output))
    suffix = os.path.splitext(args.output or "")[1].lower()
    unknown = (args.format is None and suffix and suffix not in _EXTENSIONS and not folder_out
               and args.output not in (None, "-"))
    if args.format is None:  # "-o troops.csv" writes CSV; a folder, a Parquet dataset
        args.format = "parquet" if folder_out else _EXTENSIONS.get(suffix, "jsonl")
    if (args.no_parse or args.post_time) and not set(kinds) & set(ROLE_EXTRACTORS):
        raise UsageError(f"--no-parse and --post-time apply to {' and '.join(ROLE_EXTRACTORS)}, not {', '.join(kinds)}")
    if args.format == "parquet" and args.output in (None, "-") and sys.stdout.isatty():
        raise UsageError("Parquet is binary: give a file with -o OUT.parquet")
    if len(kinds) > 1 and not folder_out:
        raise UsageError(f"{len(kinds)} kinds make {len(kinds)} tables: give a folder, -o DIR/")
    if args.if_changed and args.output in (None, "-"):
        raise UsageError("--if-changed compares with an output: give one with -o OUT")
    _refuse_inputs_as_outputs(kinds, paths, args, folder_out)
    if unknown:
        raise UsageError(f"{args.output}: threadlib does not write {suffix} files; end the name with "
                         f"{', '.join(sorted(_EXTENSIONS))}, or give --format")
    one_thread = (len(paths) == 1 and not os.path.isdir(paths[0]) and len(kinds) == 1 and not folder_out
                  and not (args.jobs or args.scheduler or args.cache or args.if_changed))
    if one_thread:
        return _extract_one(kinds[0], paths[0], args)
    return _extract_many(kinds, paths, args, folder_out)


def _refuse_inputs_as_outputs(kinds: list[str], paths: list[str], args: argparse.Namespace, folder_out: bool) -> None:
    """``-o`` (or a table it would hold) must not be one of the threads read."""
    if args.output in (None, "-"):
        return
    from .corpora import find_threads
    from .ownership import refuse_input_as_output

    try:
        inputs = find_threads(paths)
    except ThreadFormatError:
        return  # the run itself says what is wrong with the paths
    if folder_out:
        names = [f"{kind}.{args.format}" for kind in kinds] + [f"threads.{args.format}"]
        targets = [args.output] + [os.path.join(args.output, name) for name in names]
    else:
        targets = [args.output]
    for target in targets:
        refuse_input_as_output(target, inputs)


def _kinds_and_paths(args: argparse.Namespace) -> tuple[list[str], list[str]]:
    """``KIND PATH...``, or ``--kinds A,B PATH...``: the kinds (checked) and the paths."""
    items = list(args.items)
    if args.kinds is None:
        if items[0] not in KINDS and "," not in items[0]:
            raise UsageError(f"{items[0]!r} is not a kind: the first word is what to extract, one of {', '.join(KINDS)}")
        kinds_text = items.pop(0)
    else:
        kinds_text = args.kinds
    kinds = [kind.strip() for kind in kinds_text.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown or not kinds:
        raise UsageError(f"unknown kind {', '.join(unknown) or '(none)'}: use {', '.join(KINDS)}")
    if not items:
        raise UsageError("no thread given: name files, folders or patterns after the kind")
    return list(dict.fromkeys(kinds)), items


def _extract_one(kind: str, path: str, args: argparse.Namespace) -> int:
    """One thread, one table, as the records of the spec (no thread column)."""
    from pathlib import Path

    from .output import atomic_output, write_jsonl, write_table
    from .thread import iter_posts, load_thread

    path = Path(path)  # a name is only a name, even one with a line break in it (never the thread's text)

    options = {"parse": not args.no_parse, "post_time": args.post_time} if kind in ROLE_EXTRACTORS else {}
    if kind == "posts" and args.format == "jsonl":
        # Stream: one post in memory at a time, however large the thread.
        written = 0

        def records():
            nonlocal written
            for post in iter_posts(path):
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
    table = extractor(kind)(load_thread(path), **options)
    write_table(table, args.format, args.output)
    return 0


def _extract_many(kinds: list[str], paths: list[str], args: argparse.Namespace, folder_out: bool) -> int:
    """Many threads (or one, with the corpus options): one table a kind, ``thread`` first."""
    from .corpora import corpus, default_cache_dir
    from .output import write_folder, write_table
    from .corpora import OutputRecord

    cache = args.cache or (str(default_cache_dir()) if args.if_changed else None)
    record = OutputRecord(args.output, kinds, args.format, vars(args), cache) if args.if_changed else None
    if record is not None and record.unchanged(paths):
        print(f"threadlib: {args.output}: unchanged (no thread, lexicon or code changed), left as it was",
              file=sys.stderr)
        return 0
    try:
        result = corpus(paths, kinds, jobs=args.jobs, scheduler=args.scheduler, cache=cache,
                        parse=not args.no_parse, post_time=args.post_time)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    failed = result.failed
    if len(failed) == len(result.threads):
        raise ThreadFormatError(next(iter(failed.values())) if len(failed) == 1 else
                                f"none of the {len(failed)} threads could be read (see the lines above)")
    if folder_out:
        write_folder({**result.tables, "threads": result.threads}, args.format, args.output)
    else:
        write_table(result.tables[kinds[0]], args.format, args.output)
    if record is not None:
        changed = record.save(paths, result.read_sha256)
        if changed:
            print(f"threadlib: {', '.join(changed)} changed while being read; --if-changed will extract "
                  "again next time", file=sys.stderr)
    if failed:
        print(f"threadlib: {len(failed)} of {len(result.threads)} threads failed and were left out: "
              + "; ".join(f"{path}" for path in result.threads.loc[result.threads['error'].notna(), 'path']),
              file=sys.stderr)
        return 2
    return 0


def run_score(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .output import frame_records
    from .score import check_kind, looks_like_records, read_records, score
    from .thread import load_thread

    gold = read_records(args.gold)
    check_kind(args.kind, gold, args.gold)
    if looks_like_records(args.source):
        predicted = read_records(args.source)
        check_kind(args.kind, predicted, args.source)
    else:
        predicted = list(frame_records(extractor(args.kind)(load_thread(Path(args.source)))))
    if args.posts is not None:  # shifts name two posts: kept when both are in range
        keep = lambda record: all(record.get(key) in args.posts for key in ("post_id", "from_post_id", "to_post_id")  # noqa: E731
                                  if key in record)
        gold, predicted = [r for r in gold if keep(r)], [r for r in predicted if keep(r)]
    result = score(args.kind, gold, predicted, match=args.match)
    print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) if args.json else result.report())
    return 0


def run_train(args: argparse.Namespace) -> int:
    from .learning import table, train
    from .quality import GoldSet

    sets = [GoldSet.from_dir(folder) for folder in args.dirs]
    model, rules, folds = train(sets, log=lambda line: print(f"threadlib: {line}", file=sys.stderr))
    model.save(args.output)
    print(table(rules, folds, model.min_confidence) if folds else
          "One thread: nothing to measure leave-one-thread-out (annotate two or more).")
    threshold = "none" if model.min_confidence is None else f"{model.min_confidence:.2f}"
    print(f"\nwrote {args.output} ({len(model.weights)} weights, min_confidence {threshold}); use it with "
          f"THREADLIB_MODEL={args.output}")
    return 0


def run_report(args: argparse.Namespace) -> int:
    from .reading import find_path
    from .report import check_parameters, find_notebooks, run_reports

    try:
        parameters = check_parameters(args.parameter, find_notebooks(args.notebooks))
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    threads = [str(find_path(thread)) if thread == SAMPLE else thread for thread in args.threads]
    if threads.count("-") > 1:
        raise UsageError("standard input (-) can be given once")
    results = run_reports(threads, out=args.out, parameters=parameters, with_code=args.with_code,
                          if_changed=args.if_changed, notebooks=args.notebooks, jobs=args.jobs)
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


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a whole number of processes, 1 or more")
    return int(text)


def available_cores() -> int:
    from .corpora import available_cores as cores

    return cores()


def _cache_dir_shown() -> str:
    from .corpora import default_cache_dir

    return str(default_cache_dir())


class _Version(argparse.Action):
    """``--version``, which reads the installed version only when asked."""

    def __call__(self, parser, namespace, values, option_string=None):
        import threadlib

        print(f"threadlib {threadlib.__version__}")
        parser.exit()


class UsageError(Exception):
    """A command line that cannot work as given."""


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # as an interrupt does: the work in progress is removed on the way out


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminated)  # SIGTERM (a scheduler's stop) cleans up like Ctrl-C
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (ThreadFormatError, LexiconError, ModelError, UsageError) as exc:
        print(f"threadlib: error: {exc}", file=sys.stderr)
        return 2
    except ReportError as exc:
        print(f"threadlib: error: {exc}", file=sys.stderr)
        return exc.exit_status
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
