"""Invalid configuration fails early with a message naming the value and the fix."""

import dataclasses

import pytest

from stacks import config
from stacks.config import ConfigError, Expiry

PROD = config.get("prod")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expiries": (Expiry("inputs/", -1),)}, "inputs/ days must be >= 1, got -1"),
        ({"expiries": ()}, "expiries must name at least one prefix"),
        ({"noncurrent_version_days": 0}, "noncurrent_version_days must be >= 1"),
        ({"deployment_type": "Canary50Percent"}, "deployment_type 'Canary50Percent' is unknown"),
        ({"error_rate_threshold_percent": 150}, "error_rate_threshold_percent must be between"),
        ({"api_5xx_threshold_percent": 0}, "api_5xx_threshold_percent must be between"),
        ({"max_receive_count": 0}, "max_receive_count must be 1-1000"),
        ({"log_retention_days": 10}, "log_retention_days must be one of"),
        ({"alarm_email": "not-an-address"}, "is not an e-mail address"),
        ({"api_timeout_seconds": 30}, "API Gateway's limit"),
        ({"alarm_evaluation_periods": 3}, "over the 300 s RTO"),
        ({"deployment_type": "AllAtOnce", "alarm_period_seconds": 300}, "over the 300 s RTO"),
        ({"provisioned_concurrency": -1}, "provisioned_concurrency must be >= 0"),
    ],
)
def test_invalid_values_are_refused_with_a_clear_message(change, message):
    with pytest.raises(ConfigError, match="invalid config for environment 'prod'") as info:
        dataclasses.replace(PROD, **change)
    assert message in str(info.value)


def test_detection_after_the_canary_window_is_refused():
    with pytest.raises(ConfigError, match="after the 5-minute canary window"):
        dataclasses.replace(
            PROD, alarm_period_seconds=240, deployment_type="Canary10Percent5Minutes"
        )


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as info:
        dataclasses.replace(PROD, max_receive_count=0, memory_mb=1)
    assert "max_receive_count" in str(info.value) and "memory_mb" in str(info.value)


def test_configs_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PROD.memory_mb = 1024  # type: ignore[misc]


def test_unknown_environment_names_the_choices():
    with pytest.raises(
        ConfigError, match="unknown environment 'qa'; choose from dev, staging, prod"
    ):
        config.get("qa")


def test_shipped_configs_meet_the_design_document():
    for cfg in config.ENVIRONMENTS.values():
        assert cfg.account_id == "445567098699" and cfg.region == "eu-west-2"
        assert cfg.error_rate_threshold_percent == 10 and cfg.api_5xx_threshold_percent == 5
    assert config.get("dev").expiries == (Expiry("", 7),)
    assert not config.get("dev").full_service


def test_worker_timeout_must_fit_a_batch_of_worst_case_scans():
    with pytest.raises(ConfigError) as info:
        dataclasses.replace(PROD, worker_timeout_seconds=50, worker_batch_size=4)
    assert "cannot fit a batch of 4 worst-case scans" in str(info.value)
    dataclasses.replace(PROD, worker_timeout_seconds=15, worker_batch_size=1)  # 1 x (10 + 5)


def test_worker_margin_is_the_one_the_worker_keeps():
    from security_assistant.worker import SAFETY_MARGIN_MS

    from stacks.config import WORKER_MARGIN_SECONDS

    assert WORKER_MARGIN_SECONDS * 1000 == SAFETY_MARGIN_MS


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"expiries": (Expiry("inputs/", 3), ("reports/", 14))}, "expiries must be a tuple"),
        ({"point_in_time_recovery": None}, "point_in_time_recovery must be True or False"),
        ({"worker_timeout_seconds": 30.5}, "worker_timeout_seconds must be a whole number"),
        ({"memory_mb": "512"}, "memory_mb must be a whole number, got '512'"),
        ({"max_receive_count": True}, "max_receive_count must be a whole number, got True"),
        ({"log_level": 10}, "log_level must be a string"),
        ({"alarm_email": 42}, "alarm_email must be a string or None"),
        ({"error_rate_threshold_percent": "10"}, "error_rate_threshold_percent must be a number"),
    ],
)
def test_wrong_types_are_refused_naming_the_field(change, message):
    with pytest.raises(ConfigError, match="invalid config for environment 'prod'") as info:
        dataclasses.replace(PROD, **change)
    assert message in str(info.value)


def test_numbers_of_the_right_kind_pass():
    assert dataclasses.replace(PROD, error_rate_threshold_percent=8).memory_mb == 512
    assert dataclasses.replace(PROD, alarm_email="oncall@example.com").alarm_email


def test_expiry_checks_its_types():
    with pytest.raises(ConfigError, match="days must be a whole number, got '3'"):
        Expiry("inputs/", "3")
    with pytest.raises(ConfigError, match="prefix must be a string, got None"):
        Expiry(None, 3)


def test_unknown_and_missing_fields_are_config_errors_naming_them():
    with pytest.raises(ConfigError) as info:
        dataclasses.replace(PROD, log_retention=14)
    assert "invalid EnvConfig for environment 'prod'" in str(info.value)
    assert "unknown field 'log_retention' (did you mean 'log_retention_days'?)" in str(info.value)
    with pytest.raises(ConfigError, match="missing field 'retain_stateful'"):
        config.EnvConfig(
            name="qa",
            full_service=False,
            expiries=(Expiry("", 7),),
            noncurrent_version_days=7,
            incomplete_upload_days=7,
            point_in_time_recovery=False,
        )
    with pytest.raises(ConfigError, match="unknown field 'day'"):
        Expiry(prefix="", day=3)


def test_each_environment_is_filed_under_its_own_name():
    staging = config.ENVIRONMENTS["staging"]
    renamed = {**config.ENVIRONMENTS, "staging": dataclasses.replace(staging, name="prod")}
    with pytest.raises(ConfigError, match="ENVIRONMENTS\\['staging'\\] is named 'prod'"):
        config._check_environments(renamed)
    config._check_environments(config.ENVIRONMENTS)  # the shipped ones pass
