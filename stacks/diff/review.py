"""What a template change costs and how the architecture changes: the end of `stacks diff`.

For each compared environment, the monthly estimate (`python -m stacks cost`) of the old and
the new template at the environment's current usage profile, the difference, and each
resource whose cost moved; in markdown also the diagram of each changed environment with
added, removed and modified resources marked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from stacks import config
from stacks.diff.semantic import TemplateDiff

# Differences below half a cent are rounding, not a change a reviewer should weigh.
EPSILON = 0.005


@dataclass(frozen=True)
class CostChange:
    env: str
    budget: float
    before: float | None = None
    after: float | None = None
    moved: tuple[tuple[str, float, float], ...] = ()  # (resource, before, after)
    note: str = ""  # why there is no estimate

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0)


def env_of(name: str, template: dict) -> str | None:
    """The environment a compared template belongs to (its name, or the template's own)."""
    if name in config.ENVIRONMENTS:
        return name
    meta = (template.get("Metadata") or {}).get("SecurityAssistant") or {}
    env = meta.get("Environment") if isinstance(meta, dict) else None
    return env if env in config.ENVIRONMENTS else None


def _estimate(template: dict, cfg: config.EnvConfig):
    from stacks.cost import estimate_template

    if not template.get("Resources"):
        return None  # no template on this side (a new or deleted environment)
    return estimate_template(template, cfg)


def cost_change(env: str, old: dict, new: dict) -> CostChange:
    cfg = config.get(env)
    try:
        before, after = _estimate(old, cfg), _estimate(new, cfg)
    except Exception as exc:  # an unpriceable or unexpandable side must not hide the diff
        return CostChange(env, cfg.monthly_budget_usd, note=f"no estimate: {exc}")
    a = before.by_resource() if before else {}
    b = after.by_resource() if after else {}
    moved = tuple(
        (rid, a.get(rid, 0.0), b.get(rid, 0.0))
        for rid in sorted(set(a) | set(b))
        if abs(a.get(rid, 0.0) - b.get(rid, 0.0)) >= EPSILON
    )
    return CostChange(
        env,
        cfg.monthly_budget_usd,
        before.total if before else None,
        after.total if after else None,
        moved,
    )


def changes(diffs: Sequence[TemplateDiff], sides: Sequence[tuple[dict, dict]]) -> list:
    """A CostChange per compared environment template (not for bootstrap or foreign files)."""
    found = []
    for d, (old, new) in zip(diffs, sides, strict=True):
        env = env_of(d.name, new) or env_of(d.name, old)
        if env is not None:
            found.append(cost_change(env, old, new))
    return found


def diagrams(diffs: Sequence[TemplateDiff], sides: Sequence[tuple[dict, dict]]) -> dict:
    """The new architecture of each changed environment, its changes marked."""
    from stacks.diagram.graph import mermaid

    drawn = {}
    for d, (old, new) in zip(diffs, sides, strict=True):
        env = env_of(d.name, new) or env_of(d.name, old)
        if d.equal or env is None:
            continue
        marks = {e.logical_id: e.status for e in d.entries if e.section == "Resources"}
        removed = {
            rid: res
            for rid, res in (old.get("Resources") or {}).items()
            if marks.get(rid) == "removed"
        }
        drawn[d.name or env] = mermaid(new, marks, removed)
    return drawn


def _money(x: float | None) -> str:
    return "-" if x is None else f"${x:,.2f}"


def _signed(x: float) -> str:
    return f"{'+' if x >= 0 else '-'}${abs(x):,.2f}"


def text(costs: Sequence[CostChange]) -> str:
    if not costs:
        return ""
    out = ["=== monthly cost (python -m stacks cost), before -> after"]
    for c in costs:
        if c.note:
            out.append(f"    {c.env}: {c.note}")
            continue
        out.append(
            f"    {c.env}: {_money(c.before)} -> {_money(c.after)} ({_signed(c.delta)}), "
            f"budget {_money(c.budget)}"
        )
        out.extend(
            f"      {rid}: {_money(a)} -> {_money(b)} ({_signed(b - a)})" for rid, a, b in c.moved
        )
    return "\n".join(out) + "\n"


def markdown(costs: Sequence[CostChange], drawn: dict[str, str]) -> str:
    out = []
    if costs:
        out += [
            "",
            "### Monthly cost",
            "",
            "| environment | before | after | change | budget |",
            "|---|---:|---:|---:|---:|",
        ]
        for c in costs:
            if c.note:
                out.append(f"| {c.env} | - | - | {c.note.replace('|', '&#124;')} | - |")
            else:
                flag = " ⚠️ over budget" if (c.after or 0) > c.budget else ""
                out.append(
                    f"| {c.env} | {_money(c.before)} | {_money(c.after)} | "
                    f"{_signed(c.delta)} | {_money(c.budget)}{flag} |"
                )
        moved = [(c.env, m) for c in costs for m in c.moved]
        if moved:
            out += ["", "| environment | resource | before | after | change |"]
            out.append("|---|---|---:|---:|---:|")
            out += [
                f"| {env} | <code>{rid}</code> | {_money(a)} | {_money(b)} | {_signed(b - a)} |"
                for env, (rid, a, b) in moved
            ]
    for env, diagram in drawn.items():
        out += [
            "",
            f"<details><summary>Architecture of {env} (added, removed, modified marked)</summary>",
            "",
            "```mermaid",
            diagram.rstrip("\n"),
            "```",
            "",
            "</details>",
        ]
    return "\n".join(out) + "\n" if out else ""
