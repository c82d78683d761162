"""Time of ``threadlib report`` against ``threadlib extract --kinds`` (all kinds) of the same threads,
with the same --jobs, each in a fresh process, best of --repeat; the ratio, and the size of the
largest report page (issue 21: at most 3x, pages under 300 KB).

    python benchmarks/bench_report.py data/threads/*.txt          # the project's threads
    python benchmarks/bench_report.py ../shared/dev/*/thread.txt  # the development threads
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

KINDS = "posts,troops,attacks,positions,shifts"


def best(command: list[str], repeat: int, clean: Path) -> float:
    """The fastest of ``repeat`` runs of ``command`` (``clean`` removed before each), in seconds."""
    times = []
    for _ in range(repeat):
        shutil.rmtree(clean, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("threads", nargs="*", default=sorted(str(p) for p in Path("data/threads").glob("*.txt")))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    threadlib = [sys.executable, "-m", "threadlib"]
    with tempfile.TemporaryDirectory() as folder:
        tables, reports = Path(folder) / "tables", Path(folder) / "reports"
        extract = best([*threadlib, "extract", "--kinds", KINDS, *args.threads, "-o", f"{tables}/",
                        "--jobs", str(args.jobs)], args.repeat, tables)
        report = best([*threadlib, "report", *args.threads, "--out", str(reports), "--jobs", str(args.jobs)],
                      args.repeat, reports)
        pages = sorted(reports.rglob("*.html"), key=lambda page: page.stat().st_size)
        largest = pages[-1]
        print(f"{len(args.threads)} threads, --jobs {args.jobs}, best of {args.repeat}")
        print(f"  extract --kinds {KINDS}: {extract:6.1f} s")
        print(f"  report:                  {report:6.1f} s   ({report / extract:.2f}x the extraction; at most 3x)")
        print(f"  largest page: {largest.relative_to(reports)} {largest.stat().st_size / 1000:.0f} KB "
              f"(under 300 KB); shared chart code and style: "
              f"{sum(p.stat().st_size for p in reports.glob('threadlib-*')) / 1000:.0f} KB once")


if __name__ == "__main__":
    main()
