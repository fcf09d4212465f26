"""Scan time and memory at the size limit: pathological shapes against a typical config file.

    python tools/bench_scan.py [--repeat 3] [--size 262144] [--format text|markdown]

Each shape is ``--size`` bytes (the API's MAX_CONTENT_BYTES). Each runs in a fresh interpreter
(so peak RSS is its own), warmed up by a small scan, and reports the median of ``--repeat``
scans (CPU seconds: wall time on a busy machine measures the neighbours), the process' peak
RSS, and its ratio to the typical config file, scanned in turn with it in the same process
(so that both see the same load). Budget: the slowest shape within BUDGET_RATIO x the typical
config file. Exit 0 within budget, 1 over it.

The worker's timeout and memory in ``stacks/config.py`` are sized from these figures.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import resource
import statistics
import string
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lambdas"))

BUDGET_RATIO = 3.0
BASELINE = "typical config file"


def _fill(unit: Callable[[int], str], size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        piece = unit(i)
        parts.append(piece)
        total += len(piece.encode())
        i += 1
    return "".join(parts).encode()[:size].decode("utf-8", "ignore")


def _whole_lines(text: str) -> str:
    """Up to the last line break: a quoted value cut in half is not YAML (the parser's job)."""
    return text[: text.rfind("\n") + 1]


def typical_config(size: int) -> str:
    """A service's settings: sections, comments, URLs, numbers (~20 bytes a line)."""
    rng = random.Random(7)

    def unit(i: int) -> str:
        kind = i % 10
        if kind == 0:
            return f"\n[service_{i}]\n"
        if kind == 1:
            return f"# how long service {i} waits, in seconds\n"
        if kind in (2, 3):
            return f"timeout_{i} = {rng.randint(1, 600)}\n"
        if kind == 4:
            return f"endpoint = https://svc-{i}.internal:8443/v1\n"
        if kind == 5:
            return f"log_level = {rng.choice(['INFO', 'DEBUG', 'WARNING'])}\n"
        if kind == 6:
            return f"retries = {rng.randint(0, 9)}\n"
        if kind == 7:
            return f"user = svc_{i}\n"
        if kind == 8:
            return "enabled = true\n"
        return f"tags = {','.join(rng.choice(string.ascii_lowercase) * 3 for _ in range(3))}\n"

    return _fill(unit, size)


def _random_b64(size: int, seed: int = 3) -> str:
    return base64.b64encode(random.Random(seed).randbytes(size)).decode()[:size]


def _wrapped_b64(size: int, width: int) -> str:
    text = _random_b64(size * width // (width + 1))
    return "\n".join(text[i : i + width] for i in range(0, len(text), width))


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    BASELINE: ("settings.conf", typical_config),
    "all newlines": ("input.txt", lambda n: "\n" * n),
    "one-character lines": ("input.txt", lambda n: "a\n" * (n // 2)),
    "one huge line (alphanumeric)": (
        "input.txt",
        lambda n: "".join(random.Random(5).choices(string.ascii_letters + string.digits, k=n)),
    ),
    "one huge quoted base64 line": ("input.txt", lambda n: '"' + _random_b64(n - 2) + '"'),
    "base64 lines of 76 (MIME, PEM)": ("input.txt", lambda n: _wrapped_b64(n, 76)),
    "keyword on every line": ("input.env", lambda n: _fill(lambda i: f"pwd=x{i}\n", n)),
    "keywords on one huge line": ("input.txt", lambda n: _fill(lambda i: "password=", n)),
    "typical config as YAML": (
        "config.yaml",
        lambda n: _fill(lambda i: f"service_{i}:\n  timeout: {i % 600}\n  user: svc_{i}\n", n),
    ),
    "typical config as quoted YAML": (
        "config.yaml",
        lambda n: _whole_lines(
            _fill(lambda i: f"service_{i}:\n  timeout: '{i % 600}'\n  user: \"svc_{i}\"\n", n)
        ),
    ),
}


def run_shape(name: str, size: int, repeat: int) -> dict:
    from security_assistant.scanner import scan_text

    def cpu_seconds(filename: str, text: str) -> tuple[float, int]:
        # CPU time: on a shared machine wall time mostly measures the neighbours.
        started = time.process_time()
        findings = len(scan_text(text, filename))
        return time.process_time() - started, findings

    filename, make = SHAPES[name]
    text = make(size)
    base_filename, base_make = SHAPES[BASELINE]
    base_text = base_make(size)
    scan_text("warm = up\n", filename)
    times, base_times, findings = [], [], 0
    for _ in range(repeat):
        # The typical file in turn with the shape, in this process: the ratio then compares
        # scans made under the same load (the neighbours' load drifts between processes).
        base_times.append(cpu_seconds(base_filename, base_text)[0])
        seconds, findings = cpu_seconds(filename, text)
        times.append(seconds)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "shape": name,
        "bytes": len(text.encode()),
        "lines": text.count("\n") + 1,
        "seconds": statistics.median(times),
        "ratio": statistics.median(times) / statistics.median(base_times),
        "findings": findings,
        "peak_rss_mib": round(rss_mib, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="scans per shape (median)")
    parser.add_argument("--size", type=int, default=262_144, help="bytes per shape")
    parser.add_argument("--format", choices=("text", "markdown"), default="text")
    parser.add_argument("--shape", choices=sorted(SHAPES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.size < 1024:
        parser.error("--repeat must be >= 1 and --size >= 1024")
    if args.shape:  # child process: one shape, JSON out
        print(json.dumps(run_shape(args.shape, args.size, args.repeat)))
        return 0

    results = []
    for name in SHAPES:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--shape",
                name,
                "--size",
                str(args.size),
                "--repeat",
                str(args.repeat),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout))
    base = results[0]["seconds"]
    worst = max(results[1:], key=lambda r: r["ratio"])
    if args.format == "markdown":
        print("| input (256 KiB) | lines | scan time | x typical | findings | peak RSS |")
        print("|---|---|---|---|---|---|")
        for r in results:
            print(
                f"| {r['shape']} | {r['lines']} | {r['seconds']:.2f} s | "
                f"{r['ratio']:.1f} | {r['findings']} | {r['peak_rss_mib']:.0f} MiB |"
            )
    else:
        for r in results:
            print(
                f"{r['shape']:<32} {r['lines']:>7} lines  {r['seconds']:6.2f} s  "
                f"{r['ratio']:4.1f}x  {r['findings']:>6} findings  "
                f"{r['peak_rss_mib']:6.1f} MiB"
            )
    ratio = worst["ratio"]
    print(
        f"\nworst: {worst['shape']} {worst['seconds']:.2f} s = {ratio:.1f}x the {BASELINE} "
        f"({base:.2f} s); budget {BUDGET_RATIO:.0f}x: {'ok' if ratio <= BUDGET_RATIO else 'OVER'}"
    )
    return 0 if ratio <= BUDGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
