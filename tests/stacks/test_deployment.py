"""Aliases, deployment preferences and the alarms that roll a bad release back."""

import dataclasses

from stacks import config
from tests.stacks.conftest import build, of_type

ROLLBACK = {
    "ApiFunction": {
        "ApiFunctionErrorRateAlarm",
        "ApiFunction5xxRateAlarm",
        "DeadLetterArrivalsAlarm",
    },
    "WorkerFunction": {"WorkerFunctionErrorRateAlarm", "DeadLetterArrivalsAlarm"},
}
NOTIFY_ONLY = {"ApiStage5xxRateAlarm", "DeadLetterQueueAlarm"}
ALARMS = set().union(*ROLLBACK.values()) | NOTIFY_ONLY
HOOKS = {"ApiFunction": "PreTrafficHook", "WorkerFunction": "WorkerHook"}


def test_traffic_serving_functions_shift_gradually_with_rollback_alarms_and_hooks(full):
    env, t = full
    fns = t["Resources"]
    for name in ("ApiFunction", "WorkerFunction"):
        props = fns[name]["Properties"]
        assert props["AutoPublishAlias"] == "live"
        pref = props["DeploymentPreference"]
        assert pref["Type"] == config.get(env).deployment_type
        assert pref["Type"].startswith(("Canary", "Linear"))
        assert {a["Ref"] for a in pref["Alarms"]} == ROLLBACK[name]
        assert pref["Hooks"] == {"PreTraffic": {"Ref": HOOKS[name]}}


def test_break_glass_drops_alarm_gating_but_keeps_shifting_and_hooks(full):
    env, _ = full
    t = build(dataclasses.replace(config.get(env), break_glass=True))
    assert t["Metadata"]["SecurityAssistant"]["BreakGlass"] is True
    for name in ("ApiFunction", "WorkerFunction"):
        pref = t["Resources"][name]["Properties"]["DeploymentPreference"]
        assert "Alarms" not in pref
        assert pref["Type"] == config.get(env).deployment_type and "Hooks" in pref
    assert "BreakGlass" not in full[1]["Metadata"]["SecurityAssistant"]


def _metrics(alarm):
    return {m["Id"]: m for m in alarm["Properties"]["Metrics"]}


def _dims(query):
    return {d["Name"]: d["Value"] for d in query["MetricStat"]["Metric"]["Dimensions"]}


def _new_version(fn):
    return {"Fn::GetAtt": [f"{fn}.Version", "Version"]}


def _lambda_dims(fn):
    return {
        "FunctionName": {"Ref": fn},
        "Resource": {"Fn::Sub": f"${{{fn}}}:live"},
        "ExecutedVersion": _new_version(fn),
    }


def _signal_dims(fn):
    return {
        "service": "security-assistant",
        "FunctionName": {"Ref": fn},
        "ExecutedVersion": _new_version(fn),
    }


def test_api_error_rate_alarm_watches_only_the_new_version(full):
    _, t = full
    alarm = t["Resources"]["ApiFunctionErrorRateAlarm"]
    metrics = _metrics(alarm)
    for id_ in ("errors", "invocations"):
        assert _dims(metrics[id_]) == _lambda_dims("ApiFunction")
    assert metrics["rate"]["ReturnData"] is True
    assert metrics["rate"]["Expression"] == "100 * FILL(errors, 0) / invocations"
    props = alarm["Properties"]
    assert props["Threshold"] == 10.0 and props["ComparisonOperator"] == "GreaterThanThreshold"
    assert props["TreatMissingData"] == "notBreaching"


def test_worker_error_rate_alarm_adds_the_new_versions_failed_records(full):
    _, t = full
    metrics = _metrics(t["Resources"]["WorkerFunctionErrorRateAlarm"])
    for id_ in ("errors", "invocations"):
        assert _dims(metrics[id_]) == _lambda_dims("WorkerFunction")
    for id_, name in (("failed", "FailedRecords"), ("records", "Records")):
        assert metrics[id_]["MetricStat"]["Metric"]["Namespace"] == "SecurityAssistant"
        assert metrics[id_]["MetricStat"]["Metric"]["MetricName"] == name
        assert _dims(metrics[id_]) == _signal_dims("WorkerFunction")
    assert metrics["rate"]["Expression"] == (
        "MAX([100 * FILL(errors, 0) / invocations, 100 * FILL(failed, 0) / records])"
    )


def test_api_5xx_alarm_is_the_new_versions_5xx_rate_over_5_percent(full):
    _, t = full
    props = t["Resources"]["ApiFunction5xxRateAlarm"]["Properties"]
    metrics = _metrics(t["Resources"]["ApiFunction5xxRateAlarm"])
    assert _dims(metrics["errors"]) == _dims(metrics["invocations"]) == _lambda_dims("ApiFunction")
    assert metrics["server_errors"]["MetricStat"]["Metric"]["MetricName"] == "ServerErrors"
    assert _dims(metrics["server_errors"]) == _signal_dims("ApiFunction")
    assert props["Threshold"] == 5.0


def test_stage_5xx_alarm_notifies_only(full):
    env, t = full
    metrics = _metrics(t["Resources"]["ApiStage5xxRateAlarm"])
    assert _dims(metrics["server_errors"]) == {
        "ApiName": t["Resources"]["Api"]["Properties"]["Name"],
        "Stage": env,
    }
    assert metrics["server_errors"]["MetricStat"]["Metric"]["MetricName"] == "5XXError"


def test_dlq_rolls_back_on_new_dead_letters_and_notifies_on_any(full):
    _, t = full
    queue = {"Name": "QueueName", "Value": {"Fn::GetAtt": ["JobsDeadLetterQueue", "QueueName"]}}
    arrivals = _metrics(t["Resources"]["DeadLetterArrivalsAlarm"])
    assert arrivals["visible"]["MetricStat"]["Metric"]["Dimensions"] == [queue]
    assert arrivals["visible"]["MetricStat"]["Stat"] == "Maximum"
    assert arrivals["arrivals"]["Expression"] == "DIFF(FILL(visible, 0))"
    props = t["Resources"]["DeadLetterQueueAlarm"]["Properties"]
    assert props["MetricName"] == "ApproximateNumberOfMessagesVisible"
    assert props["Dimensions"] == [queue]
    assert props["Threshold"] == 0 and props["ComparisonOperator"] == "GreaterThanThreshold"


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
