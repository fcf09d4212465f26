"""`python -m stacks drill --env ENV [--format text|json] [--template FILE]`.

Exit 0 when every scenario ends as expected within the RTO, 1 otherwise, 2 on bad input.
Imports nothing heavy: the command is registered on every `python -m stacks` run.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "drill",
        help="rollback drill: play failure scenarios against the generated alarms",
        description=(
            "Read an environment's generated template (alarms, deployment preferences, "
            "queue) and play failure scenarios on a simulated clock: is each bad release "
            "rolled back within the RTO, and each good one promoted? Exit 0 if so, 1 if not, "
            "2 on bad input."
        ),
    )
    p.add_argument("--env", required=True, help="the environment (staging or prod)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--template",
        metavar="FILE",
        type=Path,
        help="drill this template instead of the environment's generated one",
    )
    p.set_defaults(func=cmd_drill)


def run(template: dict, only: str = "") -> list[dict]:
    """One row per scenario (those whose name starts with `only`, if given)."""
    from stacks.drill import model as model_mod
    from stacks.drill import timing
    from stacks.drill.scenarios import SCENARIOS
    from stacks.drill.simulation import PHASES, play

    model = model_mod.load(template)
    rows = []
    for scenario in SCENARIOS:
        if not scenario.name.startswith(only):
            continue
        expected = scenario.expected
        if model.break_glass and not scenario.hook_fault:
            expected = "promote"  # break glass: no alarm gates the deployment
        outcomes = [play(model, scenario, phase) for phase in PHASES]
        wrong = [o for o in outcomes if o.result != expected]
        worst = wrong[0] if wrong else max(outcomes, key=lambda o: o.rolled_back_after or 0)
        ok = not wrong and (
            worst.rolled_back_after is None or worst.rolled_back_after <= timing.RTO_SECONDS
        )
        rows.append(
            {
                "name": scenario.name,
                "expected": expected,
                "result": worst.result,
                "detected_after_seconds": worst.detected_after,
                "rolled_back_after_seconds": worst.rolled_back_after,
                "_ok": ok,
                "_cause": worst.cause,
                "_traffic": scenario.traffic,
            }
        )
    return rows


def cmd_drill(args: argparse.Namespace) -> int:
    from stacks import config
    from stacks.diff.sources import SourceError, parse
    from stacks.drill import timing
    from stacks.drill.model import TemplateError
    from stacks.drill.timing import UnknownDeploymentType
    from stacks.templates import TARGETS

    if args.env not in config.ENVIRONMENTS:
        choices = ", ".join(config.ENVIRONMENTS)
        print(f"error: unknown environment {args.env!r}; choose from {choices}", file=sys.stderr)
        return 2
    path = args.template or TARGETS[args.env].path
    shown = _shown(path)
    try:
        rows = run(parse(path.read_text(), shown))
    except OSError as exc:
        print(f"error: cannot read {shown}: {exc.strerror}", file=sys.stderr)
        return 2
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (TemplateError, UnknownDeploymentType, ValueError) as exc:
        print(f"error: {shown}: {exc}", file=sys.stderr)
        return 2
    failed = [r for r in rows if not r["_ok"]]
    if args.format == "json":
        doc = {
            "env": args.env,
            "rto_seconds": timing.RTO_SECONDS,
            "scenarios": [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows],
        }
        print(json.dumps(doc, indent=2))
    else:
        _text(args.env, rows)
    return 1 if failed else 0


def _shown(path: Path) -> str:
    from stacks.templates import ROOT

    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _text(env: str, rows: list[dict]) -> None:
    from stacks.drill import timing

    def secs(v):
        return "-" if v is None else f"{v} s"

    print(f"rollback drill, {env} (RTO {timing.RTO_SECONDS} s from fault to old version)")
    for r in rows:
        mark = "ok  " if r["_ok"] else "FAIL"
        print(
            f"{mark} {r['name']}: expected {r['expected']}, got {r['result']}; "
            f"detected {secs(r['detected_after_seconds'])}, traffic back "
            f"{secs(r['rolled_back_after_seconds'])}"
            + (f" ({r['_cause']})" if r["_cause"] else "")
            + f" [{r['_traffic']}]"
        )
    bad = sum(not r["_ok"] for r in rows)
    print(f"{len(rows) - bad} of {len(rows)} scenarios as expected within the RTO")
