"""The design document's limits live once (stacks/policy.py): config refuses looser alarms."""

import dataclasses

import pytest

from stacks import config, policy
from stacks.config import ConfigError
from stacks.lint.rules._alarms import ROLLBACK_KINDS

PROD = config.get("prod")


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("error_rate_threshold_percent", policy.ERROR_RATE_PERCENT),
        ("api_5xx_threshold_percent", policy.API_5XX_PERCENT),
    ],
)
def test_a_threshold_looser_than_the_design_is_refused(field, limit):
    with pytest.raises(ConfigError) as info:
        dataclasses.replace(PROD, **{field: limit + 5})
    assert f"{field} {limit + 5:g} is looser than the design document's {limit:g} %" in str(
        info.value
    )
    # The design's own value and a stricter one are accepted.
    assert getattr(dataclasses.replace(PROD, **{field: limit}), field) == limit
    assert getattr(dataclasses.replace(PROD, **{field: limit / 2}), field) == limit / 2


def test_config_and_rules_read_the_same_constants():
    assert config.RTO_SECONDS is policy.RTO_SECONDS
    for env in config.ENVIRONMENTS.values():
        assert env.error_rate_threshold_percent <= policy.ERROR_RATE_PERCENT
        assert env.api_5xx_threshold_percent <= policy.API_5XX_PERCENT
    assert f"> {policy.ERROR_RATE_PERCENT:g} %" in ROLLBACK_KINDS["error-rate"]
    assert f"> {policy.API_5XX_PERCENT:g} %" in ROLLBACK_KINDS["api-5xx-rate"]
