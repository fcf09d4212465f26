"""Which templates exist, where they are committed, and how to build or check them."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stacks import config
from stacks.render import to_yaml

ROOT = Path(__file__).resolve().parent.parent
INFRASTRUCTURE = ROOT / "infrastructure"


@dataclass(frozen=True)
class Target:
    name: str
    make: Callable[[], dict]  # returns the template as a plain dict

    @property
    def path(self) -> Path:
        return INFRASTRUCTURE / self.name / "template.yaml"

    @property
    def command(self) -> str:
        return f"python -m stacks build --env {self.name}"

    def render(self) -> str:
        return to_yaml(self.make(), self.command)


def _service(env: str) -> Callable[[], dict]:
    def make() -> dict:
        from stacks import names
        from stacks.service import service_template

        cfg = config.get(env)
        template = service_template(cfg).to_dict()
        too_long = names.problems(template, cfg.stack_name)
        if too_long:
            raise config.ConfigError(
                f"names that do not fit in {env}'s template:\n  - "
                + "\n  - ".join(f"{lid}: {problem}" for lid, problem in too_long)
            )
        return template

    return make


def _bootstrap() -> dict:
    from stacks.bootstrap import bootstrap_template

    return bootstrap_template().to_dict()


TARGETS: dict[str, Target] = {name: Target(name, _service(name)) for name in config.ENVIRONMENTS}
# The pipeline's prerequisites (artifacts bucket, deploy roles), applied once by hand.
TARGETS["bootstrap"] = Target("bootstrap", _bootstrap)


def stale_diff(target: Target, rendered: str | None = None) -> str:
    """A unified diff from the committed template to the generated one ("" when current)."""
    rendered = target.render() if rendered is None else rendered
    committed = target.path.read_text() if target.path.exists() else ""
    if committed == rendered:
        return ""
    path = target.path.resolve()
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
    return "".join(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            rendered.splitlines(keepends=True),
            fromfile=f"{rel} (committed)",
            tofile=f"{rel} (generated)",
        )
    )
