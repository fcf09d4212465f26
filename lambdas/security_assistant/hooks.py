"""CodeDeploy PreTraffic hook (``CodeDeployHook_security-assistant-<env>-pre-traffic``).

Invokes the new ApiFunction version (``TARGET_FUNCTION_ARN``) with a synthetic
``GET /health`` and a bad request, checks both answers and reports Succeeded or Failed to
CodeDeploy (``report``, shared with the worker's hook in ``worker_hook``). Any exception
reports Failed. boto3 is imported lazily.
"""

from __future__ import annotations

import json
import os
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


def report(event: dict[str, Any], check) -> dict[str, str]:
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
    return report(event, run_checks)
