"""The `cost` subcommand. Imports nothing heavy: the estimator loads when it runs."""

from __future__ import annotations

import argparse
import sys


def add_parser(subparsers) -> None:
    from stacks.config import ENVIRONMENTS

    p = subparsers.add_parser(
        "cost",
        help="monthly cost estimate of each environment against its budget",
        description="Price every resource of an environment's expanded template at its usage "
        "profile (stacks/config.py) with the eu-west-2 prices in stacks/cost/. "
        "Exit status: 0 within budget, 1 over budget, 2 bad input.",
    )
    p.add_argument("--env", choices=list(ENVIRONMENTS), help="one environment (default: all)")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from stacks import config
    from stacks.cost import estimate_env, render

    estimates = [
        estimate_env(config.get(e)) for e in ([args.env] if args.env else config.ENVIRONMENTS)
    ]
    sys.stdout.write(render.FORMATS[args.format](estimates))
    for e in estimates:
        if e.over_budget:
            print(
                f"{e.env}: ${e.total:.2f} a month is over its ${e.budget:.2f} budget",
                file=sys.stderr,
            )
    return 1 if any(e.over_budget for e in estimates) else 0
