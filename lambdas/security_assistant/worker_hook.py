"""CodeDeploy PreTraffic hook of the worker
(``CodeDeployHook_security-assistant-<env>-worker-pre-traffic``).

Records a synthetic job (input in S3, item in DynamoDB), has the new WorkerFunction version
(``TARGET_FUNCTION_ARN``) process it from the SQS event the queue would deliver, and checks
that the job is done with its report written: the new version reached every dependency it
needs. Reports Succeeded or Failed to CodeDeploy; any exception reports Failed.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

from .hooks import _invoke, report
from .observability import logger

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


@logger.inject_lambda_context
def pre_traffic(event: dict[str, Any], context: Any) -> dict[str, str]:
    from .config import Settings
    from .storage import get_storage

    return report(
        event,
        lambda lambda_client, target: run_worker_check(
            lambda_client, target, get_storage(Settings.from_env())
        ),
    )
