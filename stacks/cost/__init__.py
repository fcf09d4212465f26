"""`python -m stacks cost`: what each environment costs a month, against its budget."""

from __future__ import annotations

from stacks.config import EnvConfig
from stacks.cost.estimate import Estimate, estimate
from stacks.cost.prices import load


def estimate_template(template: dict, cfg: EnvConfig) -> Estimate:
    """The estimate of a SAM template (expanded first, offline) at `cfg`'s usage."""
    from stacks.expand import expand

    return estimate(expand(template, cfg.region), cfg, load())


def estimate_env(cfg: EnvConfig) -> Estimate:
    """The estimate of the template the code generates now for `cfg`."""
    from stacks.templates import TARGETS

    return estimate_template(TARGETS[cfg.name].make(), cfg)
