"""Benchmark: a synthetic archive of many distinct threads, extracted by ``threadlib extract`` with
``--jobs 1``, ``--jobs 2`` and a Dask ``LocalCluster`` of 2 workers; then again after one post is
appended to 10 threads (incremental, from the cache); then the peak memory of one large thread at
two sizes (it should not grow with the input).

Each run is the command line in a fresh process; wall time, MB/s of input and the peak memory of
all its processes together (sampled every 0.1 s) are printed side by side, and written as JSON.

    python benchmarks/bench_corpus.py --threads 2000 --mb 440
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import copies_for, write_thread  # noqa: E402

THREADLIB = [sys.executable, "-m", "threadlib"]
APPENDED = """
reader
Posts: 10

Re: THREAD

Post by reader » Mon Feb 12, 2024 9:00 am

U.S. troops have been attacked at least 170 times since Oct. 17, officials said, and about 2,500 troops remain.
"""


def build_archive(folder: Path, threads: int, megabytes: float) -> int:
    """Write ``threads`` distinct threads of about ``megabytes`` MB in all; return the bytes."""
    copies = max(threads, copies_for(megabytes))
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(threads):  # the copies shared out: threads of 3 and of 4 copies make 440 MB of 2,000
        sub = folder / f"{i // 100:02d}"  # 100 threads a folder, as an archive would be kept
        sub.mkdir(exist_ok=True)
        total += write_thread(sub / f"thread_{i:05d}.txt", range(i * copies // threads, (i + 1) * copies // threads))
    return total


def measure(argv: list[str]) -> dict:
    """Run a command; its wall time and the peak of the summed memory of its process tree."""
    with tempfile.TemporaryFile(mode="w+") as log:  # a file, not a pipe: a full pipe would stop the run
        started = time.perf_counter()
        process = psutil.Popen(argv, stdout=subprocess.DEVNULL, stderr=log)
        peak = 0
        while process.poll() is None:
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)
        seconds = time.perf_counter() - started
        if process.returncode:
            log.seek(0)
            raise RuntimeError(f"{' '.join(argv)} failed ({process.returncode}):\n{log.read()[-2000:]}")
    return {"seconds": seconds, "peak_mb": peak / 2**20}


def _output_mb(folder: Path, kinds: str) -> float:
    """The memory the written tables take as pandas DataFrames (the output a run must hold)."""
    import pandas as pd

    return sum(pd.read_parquet(folder / kind).memory_usage(deep=True).sum() for kind in kinds.split(",")) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2000, help="threads in the archive (default 2000)")
    parser.add_argument("--mb", type=float, default=440, help="size of the archive in MB (default 440)")
    parser.add_argument("--kinds", default="troops,attacks",
                        help="what to extract (default troops,attacks, with the parse where roles need it; "
                             "positions parse every stance sentence, about 0.1 MB/s a core)")
    parser.add_argument("--memory-mb", default="200,400",
                        help="sizes of the single thread for the memory runs (default 200,400; empty skips)")
    parser.add_argument("--memory-kinds", default="troops,attacks",
                        help="what the memory runs extract (default troops,attacks, roles from the words)")
    parser.add_argument("--positions-memory-mb", default="5,10",
                        help="sizes of the single thread for the memory of positions (with the parse)")
    parser.add_argument("--runs", default="jobs1,jobs2,dask",
                        help="which corpus runs to time (default jobs1,jobs2,dask; the incremental re-run needs jobs2)")
    parser.add_argument("--json", default="bench-corpus.json", help="where to write the figures")
    args = parser.parse_args(argv)
    figures: dict = {"threads": args.threads, "kinds": args.kinds}
    with tempfile.TemporaryDirectory(prefix="threadlib-corpus-") as temp:
        work = Path(temp)
        archive = work / "archive"
        started = time.perf_counter()
        size = build_archive(archive, args.threads, args.mb)
        figures["archive_mb"] = size / 2**20
        print(f"archive: {args.threads} threads, {size / 2**20:.0f} MB, built in {time.perf_counter() - started:.0f} s; "
              f"kinds {args.kinds}; {psutil.cpu_count()} cores", flush=True)
        extract = [*THREADLIB, "extract", "--kinds", args.kinds, str(archive)]
        runs = {
            "jobs 1": ("jobs1", extract + ["-o", f"{work}/out1/", "--jobs", "1"]),
            "jobs 2": ("jobs2", extract + ["-o", f"{work}/out2/", "--jobs", "2", "--cache", f"{work}/cache"]),
            "dask LocalCluster (2 workers)": ("dask", extract + ["-o", f"{work}/out3/", "--jobs", "2",
                                                                "--scheduler", "local"]),
        }
        chosen = args.runs.split(",")
        print(f"{'run':<34}{'wall s':>9}{'MB/s':>8}{'peak MB':>9}{'vs jobs 1':>11}{'vs jobs 2':>11}", flush=True)
        for name, (short, command) in runs.items():
            if short not in chosen:
                continue
            result = measure(command)
            figures[name] = result
            versus = [f"{figures[base]['seconds'] / result['seconds']:>10.2f}x" if base in figures else f"{'':>11}"
                      for base in ("jobs 1", "jobs 2")]
            print(f"{name:<34}{result['seconds']:>9.1f}{size / 2**20 / result['seconds']:>8.2f}"
                  f"{result['peak_mb']:>9.0f}{''.join(versus)}", flush=True)
        if "jobs 2" in figures:  # its cache is there: grow 10 threads and run again
            grown = sorted(archive.rglob("*.txt"))[:: max(1, args.threads // 10)][:10]
            for path in grown:
                with path.open("a", encoding="utf-8") as handle:
                    handle.write(APPENDED)
            result = measure(runs["jobs 2"][1])
            figures["incremental"] = {**result, "ratio_to_full": result["seconds"] / figures["jobs 2"]["seconds"]}
            print(f"{'incremental (10 threads grew)':<34}{result['seconds']:>9.1f}{'':>8}{result['peak_mb']:>9.0f}"
                  f"   {100 * figures['incremental']['ratio_to_full']:.1f}% of the jobs 2 run", flush=True)
        shutil.rmtree(archive)
        for label, sizes, kinds, options in (
                ("memory", args.memory_mb, args.memory_kinds, ["--no-parse"]),
                ("memory positions", args.positions_memory_mb, "positions", [])):
            for megabytes in [float(m) for m in sizes.split(",") if m]:
                thread = work / f"single_{megabytes:g}.txt"
                write_thread(thread, range(copies_for(megabytes)))
                result = measure([*THREADLIB, "extract", "--kinds", kinds, str(thread), "-o", f"{work}/single/",
                                  "--jobs", "1", *options])
                actual = thread.stat().st_size / 2**20
                output = _output_mb(work / "single", kinds)
                figures[f"{label} {megabytes:g} MB"] = {**result, "input_mb": actual, "output_mb": output}
                print(f"{label + f' ({kinds}), one thread':<34}{result['seconds']:>9.1f}{actual / result['seconds']:>8.2f}"
                      f"{result['peak_mb']:>9.0f}   {actual:.0f} MB input; the tables it made take {output:.0f} MB "
                      f"in memory, the rest {result['peak_mb'] - output:.0f} MB", flush=True)
                thread.unlink()
    Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
