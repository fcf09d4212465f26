"""Time `python -m stacks lint` (every template, SAM and expanded forms, one command)
against one plain `cfn-lint` run on one template, in the same run; print medians and ratio.

Target (issue 4): ratio <= 1.5. Usage: python tools/bench_lint.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "infrastructure/staging/template.yaml"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5)
    args = p.parse_args()
    bindir = Path(sys.executable).parent
    # --config-file /dev/null: plain cfn-lint, without .cfnlintrc's project rules
    single = [str(bindir / "cfn-lint"), "--config-file", "/dev/null", "--", TEMPLATE]
    ours = [sys.executable, "-m", "stacks", "lint"]
    singles, alls = [], []
    for _ in range(args.repeat):  # interleaved, so load changes hit both alike
        singles.append(wall(single))
        alls.append(wall(ours))
    a, b = statistics.median(singles), statistics.median(alls)
    print(f"cfn-lint, one template (SAM form):            median {a:.2f} s")
    print(f"python -m stacks lint, all templates, 2 forms: median {b:.2f} s")
    print(f"ratio {b / a:.2f} (target <= 1.5)")
    return 0 if b / a <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
