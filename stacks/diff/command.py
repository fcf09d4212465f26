"""The `diff` subcommand. Imports nothing heavy: the diff modules load when it runs."""

from __future__ import annotations

import argparse
import sys

EPILOG = """\
modes:
  diff OLD NEW               two template files
  diff [--env ENV]           committed template -> what the code generates now
  diff --base REF [--env E]  template at git revision REF -> committed template
  diff --deployed [--env E]  template of the deployed stack -> committed template
Without --env every template is compared. Exit status: 0 equal, 1 different, 2 bad input.
"""


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "diff",
        help="semantic, per-resource diff of templates (files, git revision, code, deployed)",
        description="Show what changes between two versions of a template, resource by "
        "resource, with warnings for replaced data stores and IAM changes.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("files", nargs="*", metavar="OLD NEW", help="two template files")
    p.add_argument("--env", help="one template (default: all)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--base", metavar="REF", help="compare with the template at git REF")
    source.add_argument(
        "--deployed", action="store_true", help="compare with the deployed stack (AWS)"
    )
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from stacks.diff.sources import SourceError

    sides: list[tuple[dict, dict]] = []  # (old, new) template of each diff, for review.py
    try:
        diffs = _diffs(args, sides)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from stacks.diff import render, review

    costs = review.changes(diffs, sides)
    if args.format == "markdown":
        sys.stdout.write(
            render.markdown(diffs, review.markdown(costs, review.diagrams(diffs, sides)))
        )
    else:
        sys.stdout.write(render.text(diffs, colour=render.use_colour(sys.stdout)))
        sys.stdout.write(review.text(costs))
    return 0 if all(d.equal for d in diffs) else 1


def _diffs(args: argparse.Namespace, sides: list) -> list:
    from stacks.diff import sources
    from stacks.diff.semantic import compare

    if args.files:
        if len(args.files) != 2:
            raise sources.SourceError("give two files, OLD and NEW")
        if args.env or args.base or args.deployed:
            raise sources.SourceError(
                "OLD NEW files cannot be combined with --env/--base/--deployed"
            )
        old, new = (sources.file(f) for f in args.files)
        sides.append((old.template, new.template))
        return [compare(old.template, new.template, "", old.label, new.label)]

    from stacks.templates import TARGETS

    envs = [args.env] if args.env else list(TARGETS)
    result = []
    for env in envs:
        sources.target(env)  # unknown env -> SourceError before any work
        if args.base:
            old, new = sources.at_revision(args.base, env), sources.committed(env)
        elif args.deployed:
            old, new = sources.deployed(env), sources.committed(env)
            new = sources.Side(
                new.label, sources.ignore_artifact_locations(old.template, new.template), new.note
            )
        else:
            old, new = sources.committed(env), sources.generated(env)
        notes = tuple(f"{s.label}: {s.note}" for s in (old, new) if s.note)
        sides.append((old.template, new.template))
        result.append(compare(old.template, new.template, env, old.label, new.label, notes))
    return result
