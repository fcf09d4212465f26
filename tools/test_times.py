"""Where the test suite's time goes: wall time of one `pytest` run and test time per directory.

    python tools/test_times.py [PYTEST ARGS...]      e.g. -m slow, -n 0, tests/stacks

Runs pytest once in a subprocess (the README's command, with a JUnit report), then prints
the wall time, the CPU time of pytest and its workers (steadier than wall time on a shared
machine), and per test directory the tests' summed durations (setup + call + teardown, as
pytest measures them; with workers they add up to more than the wall time). Exits with
pytest's exit code.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def directory(classname: str) -> str:
    """tests.stacks.test_cli -> tests/stacks (JUnit names a test's module by dots)."""
    parts = classname.split(".")
    module = next((i for i, p in enumerate(parts) if p.startswith("test_")), len(parts))
    return "/".join(parts[:module]) or "(root)"


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *argv,
             f"--junitxml={report}"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wall = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cases = list(ET.parse(report).iter("testcase")) if report.exists() else []
    seconds: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for case in cases:
        name = directory(case.get("classname", ""))
        seconds[name] += float(case.get("time", 0))
        counts[name] += 1
    print(f"{'directory':<22} {'tests':>6} {'test s':>8}")
    for name in sorted(seconds, key=lambda n: -seconds[n]):
        print(f"{name:<22} {counts[name]:>6} {seconds[name]:>8.1f}")
    print(f"{'total':<22} {sum(counts.values()):>6} {sum(seconds.values()):>8.1f}")
    print(f"wall time of `pytest {' '.join(argv)}`: {wall:.1f} s (exit {result.returncode})")
    print(f"CPU time (user + system, pytest and workers): {usage.ru_utime + usage.ru_stime:.1f} s")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
