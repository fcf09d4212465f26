"""tools/access_cost.py: the threat model's figures follow the config they are computed from."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path

import pytest

from stacks import config

SPEC = importlib.util.spec_from_file_location(
    "access_cost", Path(__file__).resolve().parents[1] / "tools" / "access_cost.py"
)
access_cost = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(access_cost)


def test_figures_follow_the_throttle_content_size_and_expiry():
    prod = config.get("prod")
    f = access_cost.figures(prod)
    assert f["jobs_per_month"] == prod.throttle_rate_limit * 30 * 86_400
    assert (
        f["input_gib_per_day"] == prod.throttle_rate_limit * prod.max_content_bytes * 86_400 / 2**30
    )
    assert f["stored_gib"] == pytest.approx(f["input_gib_per_day"] * f["input_days"])
    halved = access_cost.figures(
        dataclasses.replace(prod, throttle_rate_limit=prod.throttle_rate_limit // 2)
    )
    assert halved["$ API Gateway requests"] * 2 == pytest.approx(f["$ API Gateway requests"])
    # The worker's cost is capped by its concurrency, not by the request rate.
    assert halved["worker_gb_seconds"] == f["worker_gb_seconds"]
    dollars = [v for k, v in f.items() if k.startswith("$ ") and k != "$ total"]
    assert f["$ total"] == pytest.approx(sum(dollars))
