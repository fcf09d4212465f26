"""What one authenticated caller can make the service do, and cost, at the throttling limits.

API Gateway's throttle (`MethodSettings` on `/*`, every method) is per stage, not per
caller: one principal holding the invoke policy can use all of it. This prints, per
environment, what a caller sending maximum-size submissions at the sustained rate limit
produces in 30 days, from `stacks/config.py` (throttle, max content size, input expiry,
worker concurrency and memory), and a dollar figure from the price list of `stacks cost`.

    python tools/access_cost.py [--scan-sample]

`--scan-sample` also times the scanner on one maximum-size input here (a hint of the
worker's compute per job; the worker's MaximumConcurrency caps it whatever the rate).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stacks import config  # noqa: E402
from stacks.cost import prices  # noqa: E402

MONTH_SECONDS = 30 * 86_400
GIB = 1024**3

# Unit prices: the eu-west-2 price list `python -m stacks cost` uses (stacks/cost/), one key
# per component of a submission.
PRICE_KEYS = {
    "api_request": "apigateway.rest_requests",
    "lambda_request": "lambda.requests_arm64",
    "lambda_gb_second_arm": "lambda.duration_arm64",
    "s3_put": "s3.put_requests",
    "s3_gb_month": "s3.standard_storage",
    "sqs_request": "sqs.requests",  # the message holds a job id: one 64 KiB chunk
    "dynamodb_write": "dynamodb.write_request_units",
}
PRICES = {name: prices.load()[key] for name, key in PRICE_KEYS.items()}
# Per submission: job item + idempotency record + running + done transitions (writes), one
# send + receive + delete (SQS), one API and one worker invocation, input + report PUTs.
WRITES_PER_JOB = 4
SQS_REQUESTS_PER_JOB = 3


def figures(cfg: config.EnvConfig) -> dict[str, float]:
    jobs = cfg.throttle_rate_limit * MONTH_SECONDS
    bytes_per_second = cfg.throttle_rate_limit * cfg.max_content_bytes
    input_days = next((e.days for e in cfg.expiries if e.prefix == "inputs/"), None)
    stored_gib = bytes_per_second * 86_400 * (input_days or 30) / GIB  # steady state
    worker_gb_seconds = cfg.worker_max_concurrency * cfg.worker_memory_mb / 1024 * MONTH_SECONDS
    dollars = {
        "API Gateway requests": jobs * PRICES["api_request"],
        "Lambda requests (API + worker)": 2 * jobs * PRICES["lambda_request"],
        "worker compute (all its concurrency, busy all month)": worker_gb_seconds
        * PRICES["lambda_gb_second_arm"],
        "S3 PUTs (input + report)": 2 * jobs * PRICES["s3_put"],
        "S3 storage of inputs": stored_gib * PRICES["s3_gb_month"],
        "SQS requests": SQS_REQUESTS_PER_JOB * jobs * PRICES["sqs_request"],
        "DynamoDB writes": WRITES_PER_JOB * jobs * PRICES["dynamodb_write"],
    }
    return {
        "rate": cfg.throttle_rate_limit,
        "burst": cfg.throttle_burst_limit,
        "jobs_per_month": jobs,
        "input_gib_per_day": bytes_per_second * 86_400 / GIB,
        "input_days": input_days or 0,
        "stored_gib": stored_gib,
        "worker_gb_seconds": worker_gb_seconds,
        **{f"$ {k}": v for k, v in dollars.items()},
        "$ total": sum(dollars.values()),
    }


def scan_sample(cfg: config.EnvConfig, runs: int = 3) -> float:
    from security_assistant.scanner import scan_text

    line = "key_material = 'c2VjdXJpdHktYXNzaXN0YW50LXNhbXBsZS10ZXh0'  # config line\n"
    text = (line * (cfg.max_content_bytes // len(line) + 1))[: cfg.max_content_bytes]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        scan_text(text, "sample.cfg")
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scan-sample", action="store_true", help="time one max-size scan")
    args = parser.parse_args(argv)
    for name, cfg in config.ENVIRONMENTS.items():
        if not cfg.full_service:
            continue
        f = figures(cfg)
        print(
            f"{name}: {f['rate']} submissions/s sustained (burst {f['burst']}) of "
            f"{cfg.max_content_bytes} bytes = {f['jobs_per_month'] / 1e6:.1f} M jobs in 30 days, "
            f"{f['input_gib_per_day']:.0f} GiB of input a day, kept {f['input_days']} days "
            f"-> {f['stored_gib']:,.0f} GiB stored; upper bound per month:"
        )
        for key, value in f.items():
            if key.startswith("$ ") and key != "$ total":
                print(f"  {key[2:]:<55} ${value:>9,.0f}/month")
        print(f"  {'total':<55} ${f['$ total']:>9,.0f}/month")
        if args.scan_sample:
            seconds = scan_sample(cfg)
            capacity = cfg.worker_max_concurrency / seconds
            print(
                f"  one {cfg.max_content_bytes}-byte scan here: {seconds:.2f} s -> the worker's "
                f"{cfg.worker_max_concurrency} concurrent scans finish ~{capacity:.0f} jobs/s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
