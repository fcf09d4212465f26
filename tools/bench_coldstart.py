"""Cold-start import cost of each Lambda handler module, against a naive handler.

Each measurement is a fresh Python process that imports one module and reports how long the
import took (``time.perf_counter`` around ``importlib.import_module``: module-level code
included, interpreter start-up excluded). Runs are interleaved, repeated, and the median is
reported. The naive handler is what a first draft usually looks like: boto3, Logger, Tracer,
Metrics and the REST resolver imported and instantiated at module level.

    python tools/bench_coldstart.py [--runs 15]

The environment mimics the Lambda one the templates set (STORAGE_MODE=aws, bucket, table,
queue, Powertools variables, AWS_LAMBDA_FUNCTION_NAME). Exits non-zero when a handler costs
more than a third of the naive one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HANDLERS = ["security_assistant.api", "security_assistant.worker", "security_assistant.hooks"]
NAIVE = "naive_handler"
TARGET_RATIO = 1 / 3

NAIVE_SOURCE = """\
import json

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver()


@app.get("/health")
def health():
    return {"status": "ok"}


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event, context):
    return app.resolve(event, context)
"""

PROBE = """
import importlib, json, sys, time
start = time.perf_counter()
importlib.import_module(sys.argv[1])
elapsed = time.perf_counter() - start
print(json.dumps({
    "ms": elapsed * 1000,
    "modules": len(sys.modules),
    "boto3": "boto3" in sys.modules,
    "botocore.session": "botocore.session" in sys.modules,
    "aws_xray_sdk": any(m.startswith("aws_xray_sdk") for m in sys.modules),
    "detect_secrets": "detect_secrets" in sys.modules,
}))
"""

LAMBDA_ENV = {
    "AWS_LAMBDA_FUNCTION_NAME": "security-assistant-bench",
    "AWS_REGION": "eu-west-2",
    "AWS_DEFAULT_REGION": "eu-west-2",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "ENV": "staging",
    "STORAGE_MODE": "aws",
    "BUCKET_NAME": "security-assistant-staging-data",
    "TABLE_NAME": "security-assistant-staging-jobs",
    "QUEUE_URL": "https://sqs.eu-west-2.amazonaws.com/445567098699/security-assistant-staging-jobs",
    "MAX_CONTENT_BYTES": "262144",
    "MAX_RECEIVE_COUNT": "3",
    "POWERTOOLS_SERVICE_NAME": "security-assistant",
    "POWERTOOLS_METRICS_NAMESPACE": "SecurityAssistant",
    "LOG_LEVEL": "INFO",
    "TARGET_FUNCTION_ARN": "arn:aws:lambda:eu-west-2:445567098699:function:bench:1",
}


def measure(module: str, path: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_"))}
    env.update(LAMBDA_ENV)
    env["PYTHONPATH"] = path
    out = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        env=env,
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cold-start import time per handler module")
    parser.add_argument("--runs", type=int, default=15, help="runs per module (median)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / f"{NAIVE}.py").write_text(NAIVE_SOURCE)
        path = os.pathsep.join([str(REPO / "lambdas"), tmp])
        modules = [NAIVE, *HANDLERS]
        for module in modules:  # warm-up: compile .pyc files, fill the OS file cache
            measure(module, path)
        samples: dict[str, list[dict]] = {m: [] for m in modules}
        for _ in range(args.runs):
            for module in modules:  # interleaved, so drift hits every module alike
                samples[module].append(measure(module, path))

    naive = statistics.median(s["ms"] for s in samples[NAIVE])
    print(f"python {sys.version.split()[0]}, {args.runs} fresh processes per module, median")
    print(f"{'module':<28}{'import ms':>10}{'ratio':>8}  loads")
    worst = 0.0
    for module in modules:
        ms = statistics.median(s["ms"] for s in samples[module])
        ratio = ms / naive
        if module != NAIVE:
            worst = max(worst, ratio)
        last = samples[module][-1]
        loads = [k for k in ("boto3", "aws_xray_sdk", "detect_secrets") if last[k]]
        label = "naive handler" if module == NAIVE else module
        print(f"{label:<28}{ms:>10.1f}{ratio:>8.2f}  {', '.join(loads) or '-'}")
    ok = worst <= TARGET_RATIO
    verdict = "OK" if ok else "OVER"
    print(f"worst handler / naive = {worst:.2f} (target <= {TARGET_RATIO:.2f}): {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
