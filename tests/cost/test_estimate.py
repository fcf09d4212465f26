from dataclasses import replace

import pytest

from stacks import config
from stacks.cost.model import UnpricedResource, estimate

# They expand templates: on the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_every_resource_of_every_environment_is_priced(expanded, prices, env):
    est = estimate(expanded[env], config.get(env), prices)
    assert {line.resource for line in est.lines} >= set(expanded[env]["Resources"])
    assert all(line.monthly >= 0 for line in est.lines)


def test_dev_and_staging_stay_within_the_design_documents_figures(expanded, prices):
    assert config.get("dev").monthly_budget_usd == 1.0
    assert config.get("staging").monthly_budget_usd == 5.0
    for env in config.ENVIRONMENTS:
        est = estimate(expanded[env], config.get(env), prices)
        assert not est.over_budget, f"{env}: ${est.total:.2f} over ${est.budget}"


def test_an_unknown_resource_type_is_an_error_not_free(staging, prices):
    staging["Resources"]["Nat"] = {"Type": "AWS::EC2::NatGateway", "Properties": {}}
    with pytest.raises(UnpricedResource, match=r"Nat \(AWS::EC2::NatGateway\).*FREE_TYPES"):
        estimate(staging, config.get("staging"), prices)


def test_a_function_nothing_invokes_is_an_error(staging, prices):
    fn = dict(staging["Resources"]["WorkerFunction"])
    fn["Properties"] = {**fn["Properties"], "FunctionName": "orphan"}
    staging["Resources"]["Orphan"] = fn
    with pytest.raises(UnpricedResource, match="function Orphan has no API permission"):
        estimate(staging, config.get("staging"), prices)


def _lines(est, resource):
    return {line.component: line for line in est.lines if line.resource == resource}


def test_lambda_is_priced_from_its_trigger_memory_and_architecture(staging, prices):
    cfg = config.get("staging")
    worker = _lines(estimate(staging, cfg, prices), "WorkerFunction")
    gb_s = cfg.usage.jobs * cfg.usage.scan_ms / 1000 * cfg.worker_memory_mb / 1024
    assert worker["requests"].quantity == cfg.usage.jobs  # SQS event source: one run per job
    assert worker["duration (arm64)"].quantity == pytest.approx(gb_s)
    assert worker["duration (arm64)"].unit_price == prices["lambda.duration_arm64"]

    staging["Resources"]["WorkerFunction"]["Properties"]["MemorySize"] = 2048
    bigger = _lines(estimate(staging, cfg, prices), "WorkerFunction")
    assert bigger["duration (arm64)"].monthly == pytest.approx(
        2048 / cfg.worker_memory_mb * worker["duration (arm64)"].monthly
    )

    staging["Resources"]["WorkerFunction"]["Properties"]["Architectures"] = ["x86_64"]
    x86 = _lines(estimate(staging, cfg, prices), "WorkerFunction")
    assert x86["duration (x86_64)"].unit_price == prices["lambda.duration_x86_64"]


def test_bucket_storage_follows_lifecycle_and_noncurrent_versions(staging, prices):
    cfg = config.get("staging")
    storage = _lines(estimate(staging, cfg, prices), "DataBucket")["storage (Standard)"]
    # inputs/ expire after 3 days, reports/ after 14, plus 1 noncurrent day each (versioned)
    kib_days = cfg.usage.jobs * (cfg.usage.input_kb * (3 + 1) + 2.0 * (14 + 1))
    assert storage.quantity == pytest.approx(kib_days / (730 / 24) / 1024**2)


def test_alarms_and_custom_metrics_are_fixed_costs_priced_generically(staging, prices):
    cfg = config.get("staging")
    staging["Resources"]["VersionFailuresAlarm"] = {
        "Type": "AWS::CloudWatch::Alarm",
        "Properties": {
            "Namespace": "SecurityAssistant",
            "MetricName": "JobsFailed",
            "Dimensions": [{"Name": "version", "Value": "7"}],
            "Statistic": "Sum",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    }
    lines = _lines(estimate(staging, cfg, prices), "VersionFailuresAlarm")
    assert lines["alarm metrics"].fixed and lines["alarm metrics"].monthly == pytest.approx(0.1)
    custom = lines["custom metrics alarmed on"]
    assert custom.fixed and custom.quantity == 1
    assert custom.unit_price == prices["cloudwatch.custom_metrics"]
    # a metric-math alarm is billed per metric it reads, not per expression
    api = _lines(estimate(staging, cfg, prices), "ApiStage5xxRateAlarm")
    assert api["alarm metrics"].quantity == 2


def test_the_idle_sqs_poller_is_a_fixed_cost(staging, prices):
    est = estimate(staging, config.get("staging"), prices)
    (poll,) = [line for line in est.lines if line.component == "idle SQS polling"]
    assert poll.fixed and poll.quantity == 5 * 730 * 3600 / 20


def test_over_budget_when_usage_grows(expanded, prices):
    cfg = config.get("staging")
    busy = replace(cfg, usage=replace(cfg.usage, jobs=200_000, api_requests=1_000_000))
    est = estimate(expanded["staging"], busy, prices)
    assert est.over_budget and est.total > 5


def test_usage_figures_are_validated():
    cfg = config.get("staging")
    with pytest.raises(config.ConfigError, match="usage.jobs must be >= 0"):
        replace(cfg, usage=replace(cfg.usage, jobs=-1))
    with pytest.raises(config.ConfigError, match="monthly_budget_usd must be > 0"):
        replace(cfg, monthly_budget_usd=0)


def test_a_log_metric_filter_is_a_custom_metric(staging, prices):
    staging["Resources"]["FailedScans"] = {
        "Type": "AWS::Logs::MetricFilter",
        "Properties": {
            "LogGroupName": "/aws/lambda/x",
            "FilterPattern": "ERROR",
            "MetricTransformations": [
                {"MetricName": "Errors", "MetricNamespace": "SA", "MetricValue": "1"}
            ],
        },
    }
    (line,) = _lines(estimate(staging, config.get("staging"), prices), "FailedScans").values()
    assert line.fixed and line.quantity == 1 and line.monthly == pytest.approx(0.3)


def test_prods_budget_is_based_on_its_estimate(expanded, prices):
    """prod's figure is the estimate with headroom: re-base it when the usage profile moves."""
    cfg = config.get("prod")
    est = estimate(expanded["prod"], cfg, prices)
    assert est.total <= cfg.monthly_budget_usd <= 2 * est.total
