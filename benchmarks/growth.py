"""Growth of the time with the input on pathological shapes (issue 25): each shape at n and 2n
characters through the whole of reading, troops, attacks and the positions' pre-filter and actor
scan, in this process; the ratio of the two times (linear: 2, quadratic: 4) and whether it is within
2.3. Then the peak memory of troops on one huge post (--post-mb), in a fresh process.

    python benchmarks/growth.py --n 40000 --post-mb 20
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import textwrap

HEAD = "T\n\nann\nPosts: 3\n\nRe: T\n\nPost by ann »\n\nTHE WIRE\n\n\"Head\"\n\nStaff\n\n8 JULY 2021\n\n"
SHAPES = {  # name: (what the thread holds, where)
    "a run of dots": lambda n: HEAD + "." * n + "\n",
    "spaces in a 'Post by' line": lambda n: HEAD + "Some text.\n\nPost by " + " " * n + "» " + " " * n + "\n\nMore.\n",
    "a long 'Last edited by' line": lambda n: HEAD + "Some text.\n\nLast edited by " + "x on " * (n // 5) + "\n",
    "initials without end": lambda n: HEAD + "a." * (n // 2) + "\n",
    "capitals and dots": lambda n: HEAD + "A. " * (n // 3) + "\n",
    "a possessive run": lambda n: HEAD + "Iraq's " * (n // 7) + "\n",
    "numbers and commas": lambda n: HEAD + "1,0" * (n // 3) + " troops\n",
    "quotes": lambda n: HEAD + "“a” " * (n // 4) + "\n",
    "since, since, since": lambda n: HEAD + "attacked 5 times since " * (n // 23) + "\n",
}


def _cost(text: str) -> float:
    import threadlib
    from threadlib import analysis
    from threadlib.mentions import PostActors
    from threadlib.text import post_sentences

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        thread = threadlib.load_thread(text)
        threadlib.troops(thread, parse=False)
        threadlib.attacks(thread, parse=False)
        for post in thread:
            for sentence in post_sentences(post):
                analysis.may_hold_stance(sentence.text)
                PostActors(sentence.text, None).mentions(sentence.text)
        best = min(best, time.perf_counter() - started)
    return best


PROBE = textwrap.dedent("""
    import json, resource, sys, time
    import threadlib
    path = sys.argv[1]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    rows = len(threadlib.troops(threadlib.load_thread(path), parse=False))
    print(json.dumps({"seconds": time.perf_counter() - started, "rows": rows,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40_000, help="characters of the smaller input (default 40,000)")
    parser.add_argument("--post-mb", type=float, default=20, help="size of the one huge post, in MB (0 skips it)")
    args = parser.parse_args(argv)
    _cost(HEAD + "warm up.\n")
    print(f"{'shape':<30}{'n s':>9}{'2n s':>9}{'ratio':>8}  within 2.3")
    worst = 0.0
    for name, make in SHAPES.items():
        small, large = _cost(make(args.n)), _cost(make(2 * args.n))
        ratio = large / max(small, 1e-6)
        worst = max(worst, ratio)
        print(f"{name:<30}{small:>9.3f}{large:>9.3f}{ratio:>8.2f}  {'yes' if ratio <= 2.3 else 'NO'}")
    print(f"worst ratio {worst:.2f}")
    if args.post_mb:
        import tempfile
        from pathlib import Path

        unit = "About 2,500 U.S. troops are in Iraq and militias attacked them 55 times since Oct. 17 "
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "one_post.txt"
            path.write_text(HEAD + unit * int(args.post_mb * 1e6 / len(unit)) + "\n", encoding="utf-8")
            found = json.loads(subprocess.run([sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True,
                                              check=True).stdout)
        print(f"one post of {args.post_mb:g} MB (a sentence without a full stop): troops {found['rows']:,} rows in "
              f"{found['seconds']:.1f} s, peak RSS {found['peak_mb']:.0f} MB (goal: at most 1,024 MB at 20 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
