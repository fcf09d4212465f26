"""CodeDeploy PreTraffic hook tests with stubbed Lambda and CodeDeploy clients."""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from sa_events import FakeContext
from security_assistant import api, hooks, worker_hook

TARGET = "arn:aws:lambda:eu-west-2:123456789012:function:security-assistant-staging-api:7"
EVENT = {
    "DeploymentId": "d-ABCDEF123",
    "LifecycleEventHookExecutionId": "eyJlbmNyeXB0ZWREYXRhIjoiZXhhbXBsZSJ9",
}


def _payload(answer: dict) -> StreamingBody:
    data = json.dumps(answer).encode()
    return StreamingBody(io.BytesIO(data), len(data))


@pytest.fixture
def clients(monkeypatch):
    monkeypatch.setenv("TARGET_FUNCTION_ARN", TARGET)
    lambda_client = boto3.client("lambda", region_name="eu-west-2")
    codedeploy = boto3.client("codedeploy", region_name="eu-west-2")
    by_name = {"lambda": lambda_client, "codedeploy": codedeploy}
    monkeypatch.setattr("security_assistant.aws_clients.client", lambda name: by_name[name])
    with Stubber(lambda_client) as lambda_stub, Stubber(codedeploy) as codedeploy_stub:
        yield lambda_stub, codedeploy_stub


def expect_status(codedeploy_stub: Stubber, status: str) -> None:
    codedeploy_stub.add_response(
        "put_lifecycle_event_hook_execution_status",
        {"lifecycleEventHookExecutionId": EVENT["LifecycleEventHookExecutionId"]},
        {
            "deploymentId": EVENT["DeploymentId"],
            "lifecycleEventHookExecutionId": EVENT["LifecycleEventHookExecutionId"],
            "status": status,
        },
    )


def expect_invoke(lambda_stub: Stubber, answer: dict, **extra) -> None:
    lambda_stub.add_response(
        "invoke",
        {"StatusCode": 200, "Payload": _payload(answer), **extra},
        {
            "FunctionName": TARGET,
            "InvocationType": "RequestResponse",
            "Payload": ANY,
        },
    )


def real_answer(check_index: int) -> dict:
    """What the ApiFunction code itself answers to the hook's synthetic event."""
    return api.handler(hooks.CHECKS[check_index][1], FakeContext())


def test_healthy_version_succeeds(clients):
    lambda_stub, codedeploy_stub = clients
    expect_invoke(lambda_stub, real_answer(0))
    expect_invoke(lambda_stub, real_answer(1))
    expect_status(codedeploy_stub, "Succeeded")
    assert hooks.pre_traffic(EVENT, FakeContext()) == {"status": "Succeeded"}
    lambda_stub.assert_no_pending_responses()
    codedeploy_stub.assert_no_pending_responses()


def test_synthetic_requests_are_what_we_expect():
    assert real_answer(0)["statusCode"] == 200
    assert real_answer(1)["statusCode"] == 400


@pytest.mark.parametrize(
    "answers",
    [
        # health answers 500
        [{"statusCode": 500, "body": '{"message": "Internal server error"}'}, None],
        # health answers 200 with the wrong body
        [{"statusCode": 200, "body": '{"status": "degraded"}'}, None],
        # the bad request is accepted instead of refused
        [None, {"statusCode": 202, "body": '{"job_id": "x", "status": "queued"}'}],
        # the bad request's error is not JSON with a message
        [None, {"statusCode": 400, "body": "Bad Request"}],
    ],
)
def test_wrong_answer_fails(clients, answers):
    lambda_stub, codedeploy_stub = clients
    for index, answer in enumerate(answers):
        expect_invoke(lambda_stub, answer if answer is not None else real_answer(index))
    expect_status(codedeploy_stub, "Failed")
    assert hooks.pre_traffic(EVENT, FakeContext()) == {"status": "Failed"}
    codedeploy_stub.assert_no_pending_responses()


def test_function_error_fails(clients):
    lambda_stub, codedeploy_stub = clients
    expect_invoke(
        lambda_stub,
        {"errorMessage": "boom", "errorType": "RuntimeError"},
        FunctionError="Unhandled",
    )
    expect_status(codedeploy_stub, "Failed")
    assert hooks.pre_traffic(EVENT, FakeContext()) == {"status": "Failed"}


def test_invoke_exception_fails(clients):
    lambda_stub, codedeploy_stub = clients
    lambda_stub.add_client_error("invoke", "ResourceNotFoundException", http_status_code=404)
    expect_status(codedeploy_stub, "Failed")
    assert hooks.pre_traffic(EVENT, FakeContext()) == {"status": "Failed"}
    codedeploy_stub.assert_no_pending_responses()


def test_missing_target_fails(clients, monkeypatch):
    _, codedeploy_stub = clients
    monkeypatch.delenv("TARGET_FUNCTION_ARN")
    expect_status(codedeploy_stub, "Failed")
    assert hooks.pre_traffic(EVENT, FakeContext()) == {"status": "Failed"}


# --- the worker's PreTraffic hook -----------------------------------------------------------


class InProcessLambda:
    """A Lambda client whose invoke runs a handler here (the "new version")."""

    def __init__(self, handler):
        self.handler = handler
        self.calls = []

    def invoke(self, FunctionName, InvocationType, Payload):  # noqa: N803 - boto3's names
        self.calls.append(FunctionName)
        answer = self.handler(json.loads(Payload), FakeContext(function_name="worker"))
        return {"StatusCode": 200, "Payload": io.BytesIO(json.dumps(answer).encode())}


def test_worker_check_processes_a_synthetic_job_end_to_end(local_storage):
    from security_assistant import worker

    client = InProcessLambda(worker.handler)
    assert worker_hook.run_worker_check(client, TARGET, local_storage) == []
    assert client.calls == [TARGET]  # the check itself verified the job is done, with a report


def test_worker_check_fails_when_the_new_version_fails_the_record(local_storage):
    client = InProcessLambda(
        lambda event, context: {"batchItemFailures": [{"itemIdentifier": "x"}]}
    )
    failures = worker_hook.run_worker_check(client, TARGET, local_storage)
    assert any("failed" in f for f in failures)
    assert any("not done" in f for f in failures)


def test_worker_hook_reports_to_codedeploy(monkeypatch, data_dir):
    from security_assistant import worker

    monkeypatch.setenv("TARGET_FUNCTION_ARN", TARGET)
    codedeploy = boto3.client("codedeploy", region_name="eu-west-2")
    by_name = {"lambda": InProcessLambda(worker.handler), "codedeploy": codedeploy}
    monkeypatch.setattr("security_assistant.aws_clients.client", lambda name: by_name[name])
    with Stubber(codedeploy) as stub:
        expect_status(stub, hooks.SUCCEEDED)
        assert worker_hook.pre_traffic(EVENT, FakeContext()) == {"status": hooks.SUCCEEDED}
        stub.assert_no_pending_responses()
    by_name["lambda"] = InProcessLambda(lambda event, context: {"batchItemFailures": [{}]})
    with Stubber(codedeploy) as stub:
        expect_status(stub, hooks.FAILED)
        assert worker_hook.pre_traffic(EVENT, FakeContext()) == {"status": hooks.FAILED}
