"""`python -m stacks`: build and check the SAM templates of every environment."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from stacks import config
from stacks.render import LibyamlMissing
from stacks.templates import ROOT, TARGETS, stale_diff

# The extra that installs each optional library a command imports when it runs.
EXTRAS = {"cfnlint": "lint", "samtranslator": "lint", "jinja2": "diff", "boto3": "diff"}

COMMAND_MODULES: tuple[str, ...] = (
    "stacks.lint.command",
    "stacks.diff.command",
    "stacks.permissions",
    "stacks.cost.command",
    "stacks.diagram.command",
    "stacks.drill.command",
)


def _shown(path: Path) -> str:
    """A path as users typed it: relative to the repository when inside it."""
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _usage_error(message: str) -> int:
    """Like argparse's own errors: a message and exit code 2."""
    print(f"python -m stacks build: error: {message}", file=sys.stderr)
    return 2


def _write(path: Path, text: str) -> None:
    """Replace `path` whole: an interrupted build leaves the old file, never half a new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text)
    partial.replace(path)


def _targets(env: str | None):
    return [TARGETS[env]] if env else list(TARGETS.values())


def cmd_build(args: argparse.Namespace) -> int:
    if args.out and not args.env:
        return _usage_error("--out needs --env (one template per file)")
    if args.out and args.check:
        return _usage_error("--check compares the committed templates; drop --out")
    stale = []
    # Every template is rendered before any is written: all of them change, or none.
    for target, rendered in [(t, t.render()) for t in _targets(args.env)]:
        if args.out == "-":
            sys.stdout.write(rendered)
            continue
        if args.check:
            diff = stale_diff(target, rendered)
            if diff:
                sys.stdout.write(diff)
                stale.append(target)
            continue
        path = Path(args.out) if args.out else target.path
        old = path.read_text() if path.exists() else None
        if old != rendered:
            _write(path, rendered)
        print(f"{'unchanged' if old == rendered else 'wrote'} {_shown(path)}", file=sys.stderr)
    for target in stale:
        print(
            f"{_shown(target.path)} is stale: run `{target.command}` and commit the result",
            file=sys.stderr,
        )
    if args.check and not stale:
        print(f"all {len(_targets(args.env))} templates are current", file=sys.stderr)
    return 1 if stale else 0


def cmd_envs(args: argparse.Namespace) -> int:
    envs = list(config.ENVIRONMENTS.values())
    rows = [("", *(c.name for c in envs))]
    columns = [c.as_rows() for c in envs]
    for i, (field, _) in enumerate(columns[0]):
        if field == "name":
            continue
        rows.append((field, *(col[i][1] for col in columns)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        differs = len(set(row[1:])) > 1 and row is not rows[0]
        print(("* " if differs else "  ") + line)
    print("\n* differs between environments")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m stacks",
        description="Generate, check and review the security assistant's SAM templates.",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser(
        "build",
        help="write infrastructure/<env>/template.yaml (all environments by default)",
        description="Generate the SAM template of one or every environment.",
    )
    b.add_argument("--env", choices=list(TARGETS), help="one environment (default: all)")
    b.add_argument("--out", metavar="PATH", help="write here instead ('-' for stdout); needs --env")
    b.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff if a committed template is stale",
    )
    b.set_defaults(func=cmd_build)

    e = sub.add_parser("envs", help="show every environment's settings side by side")
    e.set_defaults(func=cmd_envs)

    # Other commands live beside what they run; each module's add_parser(sub) registers it
    # and must import nothing heavy (cfn-lint, boto3, jinja2...) until its command runs.
    for module in COMMAND_MODULES:
        importlib.import_module(module).add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (config.ConfigError, LibyamlMissing) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        print(
            f"error: `python -m stacks {args.command}` needs {exc.name}, which this "
            f"environment lacks: pip install -e '.[{extra}]'",
            file=sys.stderr,
        )
        return 2
