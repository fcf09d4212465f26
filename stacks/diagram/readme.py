"""Keep the README's embedded diagrams equal to what `python -m stacks diagram` draws.

Each environment's diagram sits between `<!-- diagram:<env> -->` and `<!-- /diagram:<env> -->`
in a ```mermaid block, which GitHub renders; a test fails when one is stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from stacks.templates import ROOT

README = ROOT / "README.md"


def _block(env: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- diagram:{env} -->\n)(.*?)(<!-- /diagram:{env} -->)", re.S)


def embed(text: str, diagrams: dict[str, str]) -> str:
    """`text` with each environment's block replaced by its diagram."""
    for env, diagram in diagrams.items():
        pattern = _block(env)
        if not pattern.search(text):
            raise ValueError(
                f"README has no <!-- diagram:{env} --> ... <!-- /diagram:{env} --> markers"
            )
        block = f"```mermaid\n{diagram}```\n"
        text = pattern.sub(lambda m, block=block: m[1] + block + m[3], text)
    return text


def stale(diagrams: dict[str, str], path: Path = README) -> list[str]:
    """Environments whose embedded diagram differs from `diagrams`."""
    text = path.read_text()
    return [env for env in diagrams if embed(text, {env: diagrams[env]}) != text]


def update(diagrams: dict[str, str], path: Path = README) -> bool:
    """Rewrite the blocks; True when the file changed."""
    old = path.read_text()
    new = embed(old, diagrams)
    if new != old:
        path.write_text(new)
    return new != old
