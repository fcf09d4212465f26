"""Print estimates: a table for a terminal, JSON for tools, markdown for the README and PRs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from stacks.cost.model import Estimate, Line


def _money(x: float) -> str:
    return f"${x:,.2f}" if x >= 0.01 or x == 0 else f"${x:.4f}"


def _qty(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) or x >= 100 else f"{x:,.4g}"


def _price(x: float) -> str:
    return f"{x:.10g}"


def _groups(e: Estimate) -> list[tuple[str, list[Line]]]:
    fixed = [line for line in e.lines if line.fixed]
    usage = [line for line in e.lines if not line.fixed and line.unit_price]
    free = [line for line in e.lines if not line.fixed and not line.unit_price]
    return [
        ("fixed (billed whether used or not)", fixed),
        ("usage", usage),
        ("free", free),
    ]


def _breaks(e: Estimate) -> str:
    return "never (no per-scan cost)" if e.breaking_jobs is None else f"{e.breaking_jobs:,} scans"


def _verdict(e: Estimate) -> str:
    word = "OVER" if e.over_budget else "within"
    return (
        f"{_money(e.total)} a month, {word} the {_money(e.budget)} budget "
        f"({e.usage.jobs:,} scans; over budget from {_breaks(e)} a month)"
    )


def text(estimates: Sequence[Estimate]) -> str:
    out = []
    for e in estimates:
        out.append(f"=== {e.env}: {_verdict(e)}")
        for title, lines in _groups(e):
            if not lines:
                continue
            subtotal = sum(line.monthly for line in lines)
            out.append(f"  {title}: {_money(subtotal)}")
            for line in lines:
                out.append(
                    f"    {line.resource:<38} {line.component:<30} "
                    f"{_qty(line.quantity):>12} {line.unit:<10} x {_price(line.unit_price):<12} "
                    f"= {_money(line.monthly)}"
                )
    if estimates:
        p = estimates[0].prices
        out.append(f"prices: {p.region}, read {p.date}; {p.source}")
    return "\n".join(out) + "\n"


def as_dict(e: Estimate) -> dict:
    return {
        "env": e.env,
        "currency": "USD",
        "monthly_total": round(e.total, 6),
        "budget": e.budget,
        "prices": {"source": e.prices.source, "date": e.prices.date},
        "usage": asdict(e.usage),
        "lines": [
            {
                "resource": line.resource,
                "type": line.type,
                "component": line.component,
                "quantity": round(line.quantity, 6),
                "unit": line.unit,
                "unit_price": line.unit_price,
                "monthly": round(line.monthly, 6),
            }
            for line in e.lines
        ],
    }


def as_json(estimates: Sequence[Estimate]) -> str:
    data = [as_dict(e) for e in estimates]
    return json.dumps(data[0] if len(data) == 1 else data, indent=2) + "\n"


def summary_table(estimates: Sequence[Estimate]) -> str:
    """One row per environment: fixed, usage, total, budget (the README's cost table)."""
    rows = [
        "| environment | scans a month | fixed | usage | total a month | budget "
        "| over budget from |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for e in estimates:
        groups = dict(_groups(e))
        fixed = sum(line.monthly for line in groups["fixed (billed whether used or not)"])
        rows.append(
            f"| {e.env} | {e.usage.jobs:,} | {_money(fixed)} | {_money(e.total - fixed)} | "
            f"**{_money(e.total)}** | {_money(e.budget)} | {_breaks(e)} |"
        )
    return "\n".join(rows) + "\n"


def markdown(estimates: Sequence[Estimate]) -> str:
    out = ["## Monthly cost estimate", "", summary_table(estimates)]
    for e in estimates:
        out.append(f"<details><summary>{e.env}: {_verdict(e)}</summary>\n")
        out.append("| resource | component | quantity | unit | unit price | monthly |")
        out.append("|---|---|---:|---|---:|---:|")
        for _, lines in _groups(e):
            for line in lines:
                out.append(
                    f"| `{line.resource}` | {line.component} | {_qty(line.quantity)} | "
                    f"{line.unit} | {_price(line.unit_price)} | {_money(line.monthly)} |"
                )
        out.append("\n</details>\n")
    if estimates:
        p = estimates[0].prices
        out.append(f"_Prices: {p.region}, read {p.date}._")
    return "\n".join(out) + "\n"


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
