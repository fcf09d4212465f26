"""`python -m stacks cost`: what each environment costs a month, against its budget."""

from __future__ import annotations

from dataclasses import replace

from stacks.config import EnvConfig
from stacks.cost.model import Estimate, estimate
from stacks.cost.prices import load


def estimate_template(template: dict, cfg: EnvConfig) -> Estimate:
    """The estimate of a SAM template (expanded first, offline) at `cfg`'s usage, with
    `breaking_jobs` set: the scans a month (API calls growing with them) that exceed the
    budget, None when the template costs nothing per scan."""
    from stacks.expand import expand

    expanded, prices = expand(template, cfg.region), load()
    at_usage = estimate(expanded, cfg, prices)
    idle = estimate(
        expanded, replace(cfg, usage=replace(cfg.usage, jobs=0, api_requests=0)), prices
    )
    per_job = (at_usage.total - idle.total) / cfg.usage.jobs if cfg.usage.jobs else 0
    breaking = int((cfg.monthly_budget_usd - idle.total) / per_job) + 1 if per_job > 0 else None
    return replace(at_usage, breaking_jobs=breaking)


def estimate_env(cfg: EnvConfig) -> Estimate:
    """The estimate of the template the code generates now for `cfg`."""
    from stacks.templates import TARGETS

    return estimate_template(TARGETS[cfg.name].make(), cfg)
