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
    readme = p.add_mutually_exclusive_group()
    readme.add_argument(
        "--readme", action="store_true", help="rewrite the cost table in README.md (all envs)"
    )
    readme.add_argument(
        "--check", action="store_true", help="exit 1 if README.md's cost table is stale"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from stacks import config
    from stacks.cost import estimate_env, render

    if args.readme or args.check:
        from stacks.readme import check_or_update

        if args.env:
            print("error: --readme/--check cover every environment; drop --env", file=sys.stderr)
            return 2
        table = render.summary_table([estimate_env(cfg) for cfg in config.ENVIRONMENTS.values()])
        return check_or_update({"cost-table": table}, "python -m stacks cost --readme", args.check)
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
