"""How fast and how small is `python -m stacks build`? (issue: < 0.5 s wall, < 60 MiB, all envs)

Runs the build of every template in a fresh interpreter, as a user would, several times, and
prints the median wall time and the peak resident memory of that process. `--check` renders
every template and compares it with the committed file, so the run writes nothing.

    python tools/bench_build.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one_run() -> tuple[float, float]:
    start = time.perf_counter()
    pid = os.posix_spawn(
        sys.executable,
        [sys.executable, "-m", "stacks", "build", "--check"],
        {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        file_actions=[(os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)],
    )
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("`python -m stacks build --check` failed: the templates are stale")
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.chdir(ROOT)
    one_run()  # warm the OS file cache and __pycache__
    runs = [one_run() for _ in range(args.runs)]
    wall = statistics.median(w for w, _ in runs)
    rss = max(r for _, r in runs)
    from stacks.templates import TARGETS

    print(f"build of all {len(TARGETS)} templates ({', '.join(TARGETS)}) in one process,")
    print(f"fresh interpreter, median of {args.runs} runs on {os.cpu_count()} cores:")
    print(f"  wall time  {wall * 1000:7.0f} ms   (budget 500 ms)")
    print(f"  peak RSS   {rss:7.1f} MiB  (budget 60 MiB)")


if __name__ == "__main__":
    main()
