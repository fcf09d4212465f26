"""Time `python -m stacks lint` (every template, SAM and expanded forms, cfn-lint's rules and
the project's) against one plain `cfn-lint` run over the same templates (SAM form, cfn-lint's
rules only), interleaved so that load changes hit both alike; print medians and the ratio.

The goal is a ratio <= 1.5. `--compare DIR` also times `python -m stacks lint` in another
checkout of the repository (e.g. `git archive <commit> | tar -x -C DIR`), with this Python,
to measure a change of the runner before and after.

Usage: python tools/bench_lint.py [--repeat N] [--compare DIR]
"""

from __future__ import annotations

import argparse
import glob
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5


def measure(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--compare", type=Path, metavar="DIR", help="another checkout to time too")
    args = p.parse_args()
    if args.repeat < 1:
        p.error("--repeat must be >= 1")
    if args.compare is not None and not (args.compare / "stacks" / "lint").is_dir():
        p.error(f"{args.compare} is not a checkout of this repository")
    templates = sorted(glob.glob("infrastructure/*/template.yaml", root_dir=ROOT))
    cfn_lint = str(Path(sys.executable).with_name("cfn-lint"))
    # --config-file /dev/null: plain cfn-lint, without .cfnlintrc's project rules.
    runs = {
        "cfn-lint, same templates, SAM form": (
            [cfn_lint, "--config-file", "/dev/null", "--"] + templates,
            ROOT,
        ),
        "python -m stacks lint": ([sys.executable, "-m", "stacks", "lint"], ROOT),
    }
    if args.compare is not None:
        runs[f"python -m stacks lint in {args.compare}"] = (
            [sys.executable, "-m", "stacks", "lint"],
            args.compare.resolve(),
        )
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    for _ in range(args.repeat):  # interleaved
        for name, (cmd, cwd) in runs.items():
            times[name].append(measure(cmd, cwd))
    medians = {}
    for name, got in times.items():
        wall = statistics.median(w for w, _ in got)
        cpu = statistics.median(c for _, c in got)
        medians[name] = wall
        print(f"{name:<48} median {wall:6.2f} s wall, {cpu:6.2f} s CPU")
    plain, ours = list(medians.values())[:2]
    ratio = ours / plain
    if load is not None:  # the ratio moves with the machine's other work (stacks lint forks)
        print(f"load average (1 min) {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(f"ratio stacks lint / cfn-lint (wall): {ratio:.2f} (goal <= {GOAL})")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
