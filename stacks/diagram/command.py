"""The `diagram` subcommand. Imports nothing heavy: the diagram modules load when it runs."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Rendering SVG lays text out, which needs a browser: Mermaid's CLI brings headless Chromium.
# (Mermaid's parser runs in Node with jsdom, but jsdom cannot measure text.)
MMDC_HINT = (
    "--format svg needs Mermaid's CLI `mmdc` on PATH (it renders in headless Chromium): "
    "npm install --global @mermaid-js/mermaid-cli; or paste the --format mermaid output "
    "into any Mermaid renderer (GitHub renders ```mermaid blocks)"
)


def add_parser(subparsers) -> None:
    from stacks.config import ENVIRONMENTS

    p = subparsers.add_parser(
        "diagram",
        help="the architecture drawn from the template (Mermaid flowchart or SVG)",
        description="Draw every resource of an environment's SAM template, grouped (edge, "
        "compute, storage, messaging, observability, deployment), with the references "
        "between them as edges. Exit status: 0 fine, 1 README stale (--check), 2 bad input.",
    )
    p.add_argument("--env", choices=list(ENVIRONMENTS), help="one environment (default: all)")
    p.add_argument("--format", choices=("mermaid", "svg"), default="mermaid")
    readme = p.add_mutually_exclusive_group()
    readme.add_argument(
        "--readme", action="store_true", help="rewrite the diagrams embedded in README.md"
    )
    readme.add_argument(
        "--check", action="store_true", help="exit 1 if README.md's diagrams are stale"
    )
    p.set_defaults(func=run)


def _error(message: str) -> int:
    print(f"python -m stacks diagram: error: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from stacks import config
    from stacks.diagram import of_env

    envs = [args.env] if args.env else list(config.ENVIRONMENTS)
    diagrams = {env: of_env(env) for env in envs}
    if args.readme or args.check:
        from stacks.readme import check_or_update

        blocks = {f"diagram:{env}": f"```mermaid\n{d}```\n" for env, d in diagrams.items()}
        return check_or_update(blocks, "python -m stacks diagram --readme", args.check)
    if args.format == "svg":
        return _svg(diagrams)
    for env, diagram in diagrams.items():
        if len(diagrams) > 1:
            sys.stdout.write(f"%% {env}\n")
        sys.stdout.write(diagram)
    return 0


def _svg(diagrams: dict[str, str]) -> int:
    mmdc = shutil.which("mmdc")
    if mmdc is None:
        return _error(MMDC_HINT)
    if len(diagrams) > 1:
        return _error("--format svg draws one environment at a time: add --env")
    ((_, diagram),) = diagrams.items()
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "in.mmd"), Path(tmp, "out.svg")
        source.write_text(diagram)
        done = subprocess.run(
            [mmdc, "--quiet", "-i", str(source), "-o", str(target)],
            capture_output=True,
            text=True,
        )
        if done.returncode or not target.exists():
            return _error(f"mmdc failed: {done.stderr.strip() or done.stdout.strip()}")
        sys.stdout.write(target.read_text())
    return 0
