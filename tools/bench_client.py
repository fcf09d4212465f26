"""Import cost of the scan client (`python -m security_assistant scan`), which pre-commit
runs on every commit: what `__main__` and `client` import before any file is read.

Each run is a fresh Python process timing `import security_assistant.__main__` with
``time.perf_counter`` (interpreter start-up excluded) and listing which heavy libraries got
loaded; the median of the runs is printed. Exits 1 if boto3, botocore, detect-secrets or
Powertools were imported (they load only to sign, to scan with --local, or in Lambda).

    python tools/bench_client.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("boto3", "botocore", "detect_secrets", "aws_lambda_powertools")
PROBE = (
    "import json, sys, time; t = time.perf_counter(); "
    "import security_assistant.__main__, security_assistant.client; "
    "ms = (time.perf_counter() - t) * 1000; "
    f"print(json.dumps([ms, [m for m in {HEAVY!r} if m in sys.modules]]))"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args(argv)
    times, heavy = [], set()
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, cwd=REPO
        ).stdout
        ms, loaded = json.loads(out)
        times.append(ms)
        heavy.update(loaded)
    print(f"client import: median {statistics.median(times):.1f} ms over {args.runs} runs")
    print(f"heavy libraries imported: {', '.join(sorted(heavy)) or 'none'}")
    return 1 if heavy else 0


if __name__ == "__main__":
    sys.exit(main())
