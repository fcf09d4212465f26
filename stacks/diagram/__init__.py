"""`python -m stacks diagram`: the architecture of each environment, drawn from its template."""

from __future__ import annotations

from stacks.diagram.graph import mermaid

__all__ = ["mermaid", "of_env"]


def of_env(env: str) -> str:
    """The Mermaid flowchart of the template the code generates for `env`."""
    from stacks.templates import TARGETS

    return mermaid(TARGETS[env].make())
