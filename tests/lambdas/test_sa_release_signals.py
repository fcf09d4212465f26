"""A broken release of either function produces a signal that one of its own deployment
group's rollback alarms watches, scoped to the new version.

Each test runs the real handler as a broken release (its storage endpoint unreachable), reads
the EMF record it prints, and matches it against the alarm in the committed staging template:
namespace, metric name and every dimension of the alarm's query, then evaluates the alarm's
metric math on what this invocation publishes.
"""

from __future__ import annotations

import json

import pytest
from sa_events import FakeContext, sqs_event, sqs_record
from security_assistant import api, release_signals, worker
from security_assistant.events import rest_event
from security_assistant.models import new_job_id

from stacks.diff.sources import parse
from stacks.drill import metricmath, timing
from stacks.templates import TARGETS

VERSION = "7"  # what Lambda sets AWS_LAMBDA_FUNCTION_VERSION to when version 7 runs
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: connection refused


@pytest.fixture(scope="module")
def template() -> dict:
    return parse(TARGETS["staging"].path.read_text(), "staging")


def broken_release(monkeypatch, template: dict, function_id: str) -> str:
    props = template["Resources"][function_id]["Properties"]
    name = props["FunctionName"]
    # The code publishes under what the template tells it; the alarms assume the contract.
    variables = props["Environment"]["Variables"]
    assert variables["POWERTOOLS_SERVICE_NAME"] == release_signals.SERVICE
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == release_signals.NAMESPACE
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", name)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_VERSION", VERSION)
    monkeypatch.setenv("STORAGE_MODE", "aws")
    monkeypatch.setenv("BUCKET_NAME", "security-assistant-staging-data")
    monkeypatch.setenv("TABLE_NAME", "security-assistant-staging-jobs")
    monkeypatch.setenv("AWS_ENDPOINT_URL", UNREACHABLE)
    return name


def emf_records(stdout: str) -> list[dict]:
    docs = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return [d for d in docs if "_aws" in d]


def signal(records: list[dict], metric: str) -> tuple[dict[str, str], float]:
    """(dimensions, value) of the record publishing `metric` in the release namespace."""
    for doc in records:
        (directive,) = doc["_aws"]["CloudWatchMetrics"]
        names = {m["Name"] for m in directive["Metrics"]}
        if directive["Namespace"] == release_signals.NAMESPACE and metric in names:
            (dims,) = directive["Dimensions"]
            value = doc[metric]  # EMF allows a list of values
            return {d: doc[d] for d in dims}, float(
                sum(value) if isinstance(value, list) else value
            )
    raise AssertionError(f"no {metric} published: {records}")


def watching_alarm(template: dict, function_id: str, metric: str) -> dict:
    """The rollback alarm of `function_id`'s deployment group with a query on `metric`."""
    pref = template["Resources"][function_id]["Properties"]["DeploymentPreference"]
    for ref in pref["Alarms"]:
        props = template["Resources"][ref["Ref"]]["Properties"]
        for q in props.get("Metrics", []):
            m = q.get("MetricStat", {}).get("Metric", {})
            if (m.get("Namespace"), m.get("MetricName")) == (release_signals.NAMESPACE, metric):
                return props
    raise AssertionError(f"no alarm of {function_id}'s deployment group watches {metric}")


def assert_alarm_matches(props: dict, metric: str, function_id: str, dims: dict, name: str):
    (query,) = [
        q
        for q in props["Metrics"]
        if q.get("MetricStat", {}).get("Metric", {}).get("MetricName") == metric
    ]
    wanted = {d["Name"]: d["Value"] for d in query["MetricStat"]["Metric"]["Dimensions"]}
    assert set(wanted) == set(dims), "the alarm and the code must use the same dimensions"
    assert wanted["FunctionName"] == {"Ref": function_id} and dims["FunctionName"] == name
    assert wanted["service"] == dims["service"] == release_signals.SERVICE
    # The alarm watches the version being deployed; the code names the version that ran.
    assert ".".join(wanted["ExecutedVersion"]["Fn::GetAtt"]) == f"{function_id}.Version.Version"
    assert dims["ExecutedVersion"] == VERSION


def breaches(props: dict, published: dict[str, float]) -> bool:
    """Evaluate the alarm's math on one period holding this invocation's datapoints."""
    series = {}
    for q in props["Metrics"]:
        if "MetricStat" in q:
            name = q["MetricStat"]["Metric"]["MetricName"]
            value = published.get(name)
            series[q["Id"]] = [None if value is None else float(value)]
    (expression,) = [q["Expression"] for q in props["Metrics"] if q.get("ReturnData")]
    (value,) = metricmath.evaluate(expression, series, 60)
    return timing.COMPARE[props["ComparisonOperator"]](value, props["Threshold"])


def test_broken_api_release_reaches_its_5xx_alarm(monkeypatch, template, capsys):
    name = broken_release(monkeypatch, template, "ApiFunction")
    monkeypatch.setenv("QUEUE_URL", f"{UNREACHABLE}/000000000000/jobs")
    event = rest_event(
        "POST",
        "/jobs",
        stage="staging",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"content": "password = 'hunter2'"}),
    )
    response = api.handler(event, FakeContext(function_name=name, function_version=VERSION))
    assert response["statusCode"] == 500  # handled: Lambda's Errors stays at 0
    dims, value = signal(emf_records(capsys.readouterr().out), release_signals.SERVER_ERRORS)
    props = watching_alarm(template, "ApiFunction", release_signals.SERVER_ERRORS)
    assert_alarm_matches(props, release_signals.SERVER_ERRORS, "ApiFunction", dims, name)
    # Lambda publishes the invocation (no Errors: the handler returned).
    assert breaches(props, {"Invocations": 1, "Errors": 0, release_signals.SERVER_ERRORS: value})


def test_client_mistakes_are_no_release_signal(monkeypatch, template, capsys):
    name = broken_release(monkeypatch, template, "ApiFunction")
    event = rest_event("POST", "/jobs", stage="staging", body="{not json")
    response = api.handler(event, FakeContext(function_name=name, function_version=VERSION))
    assert 400 <= response["statusCode"] < 500
    out = capsys.readouterr().out
    assert release_signals.SERVER_ERRORS not in out


def test_broken_worker_release_reaches_its_error_rate_alarm(monkeypatch, template, capsys):
    name = broken_release(monkeypatch, template, "WorkerFunction")
    event = sqs_event(sqs_record({"job_id": new_job_id()}), sqs_record("not json"))
    result = worker.handler(event, FakeContext(function_name=name, function_version=VERSION))
    assert len(result["batchItemFailures"]) == 2  # both retried, neither an invocation error
    records = emf_records(capsys.readouterr().out)
    dims, failed = signal(records, release_signals.FAILED_RECORDS)
    _, received = signal(records, release_signals.RECORDS)
    # The poison message failed too, but it is the message's fault, not the release's.
    assert (failed, received) == (1, 2)
    props = watching_alarm(template, "WorkerFunction", release_signals.FAILED_RECORDS)
    assert_alarm_matches(props, release_signals.FAILED_RECORDS, "WorkerFunction", dims, name)
    published = {
        "Invocations": 1,
        "Errors": 0,
        release_signals.FAILED_RECORDS: failed,
        release_signals.RECORDS: received,
    }
    assert breaches(props, published)


def test_outside_lambda_nothing_is_published(capsys):
    from security_assistant.observability import release_signal

    release_signal({release_signals.SERVER_ERRORS: 1})
    assert release_signals.SERVER_ERRORS not in capsys.readouterr().out
