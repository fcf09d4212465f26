"""Aliases, deployment preferences and the alarms that roll a bad release back."""

import dataclasses

import pytest

from stacks import config
from stacks.config import METRIC_DELAY_SECONDS, RTO_SECONDS
from tests.stacks.conftest import build, of_type

ALARMS = {
    "ApiFunctionErrorRateAlarm",
    "WorkerFunctionErrorRateAlarm",
    "Api5xxRateAlarm",
    "DeadLetterQueueAlarm",
}


def test_traffic_serving_functions_shift_gradually_with_rollback_alarms(full):
    env, t = full
    fns = t["Resources"]
    for name in ("ApiFunction", "WorkerFunction"):
        props = fns[name]["Properties"]
        assert props["AutoPublishAlias"] == "live"
        pref = props["DeploymentPreference"]
        assert pref["Type"] == config.get(env).deployment_type
        assert pref["Type"].startswith(("Canary", "Linear"))
        alarms = {a["Ref"] for a in pref["Alarms"]}
        assert alarms == {f"{name}ErrorRateAlarm", "Api5xxRateAlarm", "DeadLetterQueueAlarm"}
    api_pref = fns["ApiFunction"]["Properties"]["DeploymentPreference"]
    assert api_pref["Hooks"] == {"PreTraffic": {"Ref": "PreTrafficHook"}}
    assert "Hooks" not in fns["WorkerFunction"]["Properties"]["DeploymentPreference"]


def _metrics(alarm):
    return {m["Id"]: m for m in alarm["Properties"]["Metrics"]}


@pytest.mark.parametrize("fn", ["ApiFunction", "WorkerFunction"])
def test_error_rate_alarm_watches_only_the_new_version(full, fn):
    _, t = full
    alarm = t["Resources"][f"{fn}ErrorRateAlarm"]
    metrics = _metrics(alarm)
    assert {
        m["MetricStat"]["Metric"]["MetricName"] for m in metrics.values() if "MetricStat" in m
    } == {"Errors", "Invocations"}
    for id_ in ("errors", "invocations"):
        dims = {d["Name"]: d["Value"] for d in metrics[id_]["MetricStat"]["Metric"]["Dimensions"]}
        assert dims == {
            "FunctionName": {"Ref": fn},
            "Resource": {"Fn::Sub": f"${{{fn}}}:live"},
            "ExecutedVersion": {"Fn::GetAtt": [f"{fn}.Version", "Version"]},
        }
    assert metrics["rate"]["ReturnData"] is True
    assert metrics["rate"]["Expression"] == "100 * FILL(errors, 0) / invocations"
    props = alarm["Properties"]
    assert props["Threshold"] == 10.0 and props["ComparisonOperator"] == "GreaterThanThreshold"
    assert props["TreatMissingData"] == "notBreaching"


def test_api_5xx_alarm_is_a_rate_over_5_percent(full):
    env, t = full
    props = t["Resources"]["Api5xxRateAlarm"]["Properties"]
    metrics = _metrics(t["Resources"]["Api5xxRateAlarm"])
    dims = {
        d["Name"]: d["Value"]
        for d in metrics["server_errors"]["MetricStat"]["Metric"]["Dimensions"]
    }
    assert dims == {"ApiName": t["Resources"]["Api"]["Properties"]["Name"], "Stage": env}
    assert metrics["server_errors"]["MetricStat"]["Metric"]["MetricName"] == "5XXError"
    assert metrics["requests"]["MetricStat"]["Metric"]["MetricName"] == "Count"
    assert props["Threshold"] == 5.0


def test_dlq_alarm_fires_on_any_message(full):
    _, t = full
    props = t["Resources"]["DeadLetterQueueAlarm"]["Properties"]
    assert props["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert props["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["JobsDeadLetterQueue", "QueueName"]}}
    ]
    assert props["Threshold"] == 0 and props["ComparisonOperator"] == "GreaterThanThreshold"


def _window(props):
    if "Metrics" in props:
        return max(m["MetricStat"]["Period"] for m in props["Metrics"] if "MetricStat" in m)
    return props["Period"]


def test_detection_and_rollback_fit_the_rto_and_the_canary_window(full):
    env, t = full
    canary = config.DEPLOYMENT_TYPES[config.get(env).deployment_type] * 60
    for name in ALARMS:
        props = t["Resources"][name]["Properties"]
        detection = _window(props) * props["EvaluationPeriods"] + METRIC_DELAY_SECONDS
        assert detection + config.ROLLBACK_SECONDS <= RTO_SECONDS, name
        assert detection <= canary, name


def test_alarms_notify_the_topic_and_email_only_when_configured(full):
    env, t = full
    for name in ALARMS:
        props = t["Resources"][name]["Properties"]
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
        assert props["AlarmName"].startswith(f"security-assistant-{env}-")
    assert of_type(t, "AWS::SNS::Subscription") == {}
    with_email = build(dataclasses.replace(config.get(env), alarm_email="oncall@example.org"))
    (sub,) = of_type(with_email, "AWS::SNS::Subscription").values()
    assert sub["Properties"] == {
        "Endpoint": "oncall@example.org",
        "Protocol": "email",
        "TopicArn": {"Ref": "AlarmTopic"},
    }


def test_provisioned_concurrency_appears_only_when_a_config_opts_in(full):
    env, _ = full
    t = build(dataclasses.replace(config.get(env), provisioned_concurrency=2))
    fn = t["Resources"]["ApiFunction"]["Properties"]
    assert fn["ProvisionedConcurrencyConfig"] == {"ProvisionedConcurrentExecutions": 2}
