"""CodeDeploy PreTraffic hooks: smoke-test a new version before any traffic reaches it.

``pre_traffic`` (``CodeDeployHook_security-assistant-<env>-pre-traffic``) invokes the new
ApiFunction version (``TARGET_FUNCTION_ARN``) with a synthetic ``GET /health`` and a bad
request and checks both answers. ``worker_pre_traffic``
(``CodeDeployHook_security-assistant-<env>-worker-pre-traffic``) records a synthetic job (input
in S3, item in DynamoDB), has the new WorkerFunction version process it from a synthetic SQS
event, and checks that the job is done and its report written: the new version reached every
dependency it needs. Each reports Succeeded or Failed to CodeDeploy; any exception reports
Failed. boto3 is imported lazily.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from .events import rest_event
from .observability import logger

SUCCEEDED = "Succeeded"
FAILED = "Failed"


def _request(method: str, path: str, body: str | None, headers: dict[str, str]) -> dict:
    return rest_event(
        method,
        path,
        stage="pre-traffic",
        headers=headers,
        body=body,
        user_agent="codedeploy-pre-traffic",
    )


# (name, event, expected status, check of the decoded JSON body)
CHECKS: list[tuple[str, dict, int, Any]] = [
    (
        "health",
        _request("GET", "/health", None, {"Accept": "application/json"}),
        200,
        lambda body: body == {"status": "ok"},
    ),
    (
        "bad request",
        _request("POST", "/jobs", "{not json", {"Content-Type": "application/json"}),
        400,
        lambda body: isinstance(body, dict) and isinstance(body.get("message"), str),
    ),
]


def _invoke(lambda_client: Any, function_arn: str, event: dict) -> dict:
    response = lambda_client.invoke(
        FunctionName=function_arn,
        InvocationType="RequestResponse",
        Payload=json.dumps(event).encode(),
    )
    payload = response["Payload"].read()
    if response.get("FunctionError"):
        raise RuntimeError(f"function error: {response['FunctionError']}")
    return json.loads(payload)


def run_checks(lambda_client: Any, function_arn: str) -> list[str]:
    """Return the failed checks' descriptions (empty when all passed)."""
    failures = []
    for name, event, expected_status, body_ok in CHECKS:
        answer = _invoke(lambda_client, function_arn, event)
        status = answer.get("statusCode") if isinstance(answer, dict) else None
        try:
            body = json.loads(answer.get("body") or "null")
        except (TypeError, ValueError, AttributeError):
            body = None
        if status != expected_status or not body_ok(body):
            failures.append(f"{name}: got status {status}, expected {expected_status}")
    return failures


SMOKE_CONTENT = "# pre-traffic smoke test\npassword = 'not-a-real-secret-0123456789'\n"


def sqs_event(job_id: str) -> dict:
    """The SQS event the queue would deliver for one job's message (first receive)."""
    return {
        "Records": [
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": "pre-traffic",
                "body": json.dumps({"job_id": job_id}),
                "attributes": {"ApproximateReceiveCount": "1"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "awsRegion": os.environ.get("AWS_REGION", ""),
            }
        ]
    }


def run_worker_check(lambda_client: Any, function_arn: str, storage: Any) -> list[str]:
    """Process a synthetic job with the new worker version; return the failures found."""
    from .models import DONE, Job, new_job_id

    job_id = new_job_id()
    storage.put_input(job_id, SMOKE_CONTENT.encode())
    storage.create_job(Job.new(job_id, name="pre-traffic smoke test", correlation_id=None))
    answer = _invoke(lambda_client, function_arn, sqs_event(job_id))
    failures = []
    if not isinstance(answer, dict) or answer.get("batchItemFailures"):
        failures.append(f"worker reported the synthetic job's record as failed: {answer}")
    job = storage.get_job(job_id)
    if job is None or job.status != DONE:
        failures.append(f"synthetic job {job_id} is {job.status if job else 'missing'}, not done")
    elif storage.get_report(job_id) is None:
        failures.append(f"synthetic job {job_id} has no report")
    return failures


def _report(event: dict[str, Any], check) -> dict[str, str]:
    from .aws_clients import client

    status = FAILED
    try:
        target = os.environ["TARGET_FUNCTION_ARN"]
        failures = check(client("lambda"), target)
        if failures:
            logger.error("pre-traffic checks failed", extra={"failures": failures})
        else:
            status = SUCCEEDED
            logger.info("pre-traffic checks passed", extra={"target": target})
    except Exception:
        logger.exception("pre-traffic hook error")
    client("codedeploy").put_lifecycle_event_hook_execution_status(
        deploymentId=event.get("DeploymentId"),
        lifecycleEventHookExecutionId=event.get("LifecycleEventHookExecutionId"),
        status=status,
    )
    return {"status": status}


@logger.inject_lambda_context
def pre_traffic(event: dict[str, Any], context: Any) -> dict[str, str]:
    return _report(event, run_checks)


@logger.inject_lambda_context
def worker_pre_traffic(event: dict[str, Any], context: Any) -> dict[str, str]:
    from .config import Settings
    from .storage import get_storage

    return _report(
        event,
        lambda lambda_client, target: run_worker_check(
            lambda_client, target, get_storage(Settings.from_env())
        ),
    )
