"""Generated blocks inside README.md, kept equal to what the commands print.

A block sits between `<!-- NAME -->` and `<!-- /NAME -->` (e.g. `diagram:prod`, `cost-table`);
`python -m stacks diagram --readme` and `python -m stacks cost --readme` rewrite theirs, and
tests fail when one is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from stacks.templates import ROOT

README = ROOT / "README.md"


def embed(text: str, blocks: dict[str, str]) -> str:
    """`text` with each named block's content replaced."""
    for name, content in blocks.items():
        pattern = re.compile(
            rf"(<!-- {re.escape(name)} -->\n)(.*?)(<!-- /{re.escape(name)} -->)", re.S
        )
        if not pattern.search(text):
            raise ValueError(f"README.md has no <!-- {name} --> ... <!-- /{name} --> markers")
        text = pattern.sub(lambda m, c=content: m[1] + c + m[3], text)
    return text


def stale(blocks: dict[str, str], path: Path | None = None) -> list[str]:
    """Names of the blocks whose content in the README differs from `blocks`."""
    text = (path or README).read_text()
    return [name for name, content in blocks.items() if embed(text, {name: content}) != text]


def update(blocks: dict[str, str], path: Path | None = None) -> bool:
    """Rewrite the blocks; True when the file changed."""
    path = path or README
    old = path.read_text()
    new = embed(old, blocks)
    if new != old:
        path.write_text(new)
    return new != old


def check_or_update(blocks: dict[str, str], command: str, check: bool) -> int:
    """The `--check` / `--readme` of a command: exit 0, 1 (stale) or 2 (markers missing)."""
    import sys

    try:
        if not check:
            print(f"{'wrote' if update(blocks) else 'unchanged'} README.md", file=sys.stderr)
            return 0
        found = stale(blocks)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for name in found:
        print(f"README.md: {name} is stale: run `{command}` and commit it", file=sys.stderr)
    return 1 if found else 0
