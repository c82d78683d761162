"""Benchmark: parse a large thread (the sample's posts, varied copy by copy) and run each extractor on it.

Each step runs in a fresh Python process, several times; the table gives the best and median
wall time, throughput in KB/s, rows produced, and the peak memory the step added. Troops and
attacks run with their roles read from the words (``parse=False``) on the large thread. Positions
parse sentences with spaCy, so they run on a smaller thread (``--positions-mb``), with the parse
alone timed too (the rest of positions is their difference), and so do troops and attacks with
their default, the parse where a mention's words name no owner, attacker or target. Last, the
same steps on the pathological case: one paragraph with no full stop (``--paragraph-mb``).

    python benchmarks/bench.py --mb 50 --runs 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import SAMPLE, copies_for, write_thread  # noqa: E402

# step name -> code run on `path` (the large thread); `thread` is loaded beforehand, outside the timing,
# for every step but the parse itself. The code sets `rows`.
STEPS = {
    "parse": "thread = threadlib.load_thread(path); rows = len(thread)",
    "posts table": "rows = len(thread.posts)",
}
OPTIONAL_STEPS = {  # extractors, measured once they exist in threadlib; roles from the words only
    "troops": "rows = len(threadlib.troops(thread, parse=False))",
    "attacks": "rows = len(threadlib.attacks(thread, parse=False))",
    # both kinds in one pass, as `threadlib extract --kinds troops,attacks` makes them: each sentence read once
    "troops+attacks": ("c = threadlib.corpus([path], kinds=('troops', 'attacks'), jobs=1, parse=False, "
                       "log=lambda line: None, progress=False); rows = len(c['troops']) + len(c['attacks'])"),
}
# Positions parse sentences with spaCy (the pipeline is loaded beforehand, outside the timing): on a
# smaller thread (--positions-mb), with the time split between the parse and the rest.
PARSE_STEPS = {
    "spaCy parse": ("from threadlib import analysis; analysis.parse_posts(thread); "
                    "rows = sum(len(analysis.parsed(p)) for p in thread)"),
    "positions": "rows = len(threadlib.positions(thread))",
    # the rules alone: positions less this is the stance model's share (its features and scores)
    "positions, rules": "rows = len(threadlib.positions(thread, model=False))",
    # Roles from the parse where a mention's words name nobody (the default of troops and attacks).
    "troops+parse": "rows = len(threadlib.troops(thread))",
    "attacks+parse": "rows = len(threadlib.attacks(thread))",
}

PROBE = textwrap.dedent("""
    import json, resource, sys, time
    import threadlib
    path, step, code = sys.argv[1], sys.argv[2], sys.argv[3]
    if step != "parse":
        thread = threadlib.load_thread(path)
    if step in ("spaCy parse", "positions", "positions, rules", "troops+parse", "attacks+parse"):
        from threadlib.nlp import load_model; load_model()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    start = time.perf_counter()
    exec(code)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "rows": rows, "added_bytes": peak - base}))
""")


def build_thread(megabytes: float, folder: Path) -> Path:
    """Write a thread of about ``megabytes`` MB of the sample's posts, each copy varied (names,
    places, numbers, dates: see `synthetic`), so that costs growing with distinct values show."""
    copies = copies_for(megabytes)
    path = folder / f"sample_x{copies}.txt"
    write_thread(path, range(copies))
    return path


def build_paragraph(megabytes: float, folder: Path) -> Path:
    """Write a one-post thread whose body is a single paragraph of about ``megabytes`` MB: the
    sample's sentences run together with no full stop (the pathological case: one endless sentence)."""
    thread = __import__("threadlib").load_thread(SAMPLE)
    running = " ".join(post.body.replace("\n", " ") for post in thread if post.body)
    running = running.replace(". ", ", and ").replace("? ", ", ").replace("! ", ", ")
    size = int(megabytes * 2**20)
    body = (running + " ") * (size // len(running) + 1)
    path = folder / f"paragraph_{megabytes:g}mb.txt"
    path.write_text("IRAQ\n\nreader\nMember\nPosts: 10\n\nRe: IRAQ\n\nPost by reader » Mon Jan 08, 2024 1:00 pm\n\n"
                    "THE WIRE\n\n\"One long paragraph\"\n\n8 JANUARY 2024\n\n" + body[:size] + "\n", encoding="utf-8")
    return path


STARTUP = {"threadlib --help": ["--help"], "threadlib extract posts (sample)": ["extract", "posts", str(SAMPLE)]}


def startup(runs: int) -> None:
    """The CPU time (user + system) of the command line's start: the best of ``runs``."""
    import resource

    print(f"{'start-up':<36}{'best CPU s':>11}{'median':>9}")
    for name, argv in STARTUP.items():
        times = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-m", "threadlib", *argv], stdout=subprocess.DEVNULL, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        print(f"{name:<36}{min(times):>11.3f}{statistics.median(times):>9.3f}")


def run_step(path: Path, step: str, code: str) -> dict:
    result = subprocess.run([sys.executable, "-c", PROBE, str(path), step, code],
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"step {step!r} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def available_steps() -> dict[str, str]:
    import threadlib

    steps = dict(STEPS)
    steps.update({name: code for name, code in OPTIONAL_STEPS.items()
                  if all(hasattr(threadlib, part) for part in name.split("+"))})
    return steps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=50, help="size of the thread to build, in MB (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="runs per step (default 3)")
    parser.add_argument("--positions-mb", type=float, default=2,
                        help="size of the thread for the parse and positions steps, in MB (default 2; 0 skips them)")
    parser.add_argument("--paragraph-mb", type=float, default=5,
                        help="size of the one-paragraph thread with no full stop (default 5; 0 skips it)")
    args = parser.parse_args(argv)
    startup(max(5, args.runs))
    with tempfile.TemporaryDirectory(prefix="threadlib-bench-") as folder:
        plan = [(build_thread(args.mb, Path(folder)), available_steps())]
        if args.positions_mb:
            plan.append((build_thread(args.positions_mb, Path(folder)), PARSE_STEPS))
        if args.paragraph_mb:  # the pathological case: one endless sentence
            plan.append((build_paragraph(args.paragraph_mb, Path(folder)), available_steps()))
            if args.positions_mb:
                plan.append((build_paragraph(args.positions_mb, Path(folder)), PARSE_STEPS))
        for path, steps in plan:
            size_mb = path.stat().st_size / 2**20
            print(f"thread: {size_mb:.1f} MB ({path.name}), {args.runs} runs per step, "
                  f"Python {sys.version.split()[0]}")
            print(f"{'step':<18}{'best s':>9}{'median s':>10}{'KB/s':>9}{'rows':>10}{'rows/s':>11}{'peak +MB':>10}")
            for step, code in steps.items():
                runs = [run_step(path, step, code) for _ in range(args.runs)]
                times = [run["seconds"] for run in runs]
                best = min(times)
                rows = runs[0]["rows"]
                added = max(run["added_bytes"] for run in runs) / 2**20
                print(f"{step:<18}{best:>9.2f}{statistics.median(times):>10.2f}{size_mb * 1024 / best:>9.0f}"
                      f"{rows:>10}{rows / best:>11.0f}{added:>10.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
