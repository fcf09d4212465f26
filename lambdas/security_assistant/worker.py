"""WorkerFunction: scans queued jobs (SQS event source with ReportBatchItemFailures).

Each record is processed on its own; a failing record is returned as a batch item failure so
SQS retries only that message. On the record's last attempt (``ApproximateReceiveCount`` >=
``MAX_RECEIVE_COUNT``, the queue's redrive maxReceiveCount) the job is marked ``failed``
before the message moves to the DLQ. Processing is idempotent (see ``jobs.process_job``).

Time budget: a record gets ``SCAN_BUDGET_SECONDS`` for its scan, and is started only if the
invocation has that much left plus ``SAFETY_MARGIN_MS`` (reading the input, writing the report
and status); a scan over budget fails its job with a clear reason instead of running into the
Lambda timeout, which would leave the job ``running`` and send the whole batch back to the
queue. The template sizes the timeout for a full batch of worst-case scans (stacks/config.py).
"""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from .config import Settings
from .models import is_job_id
from .observability import logger, metrics, release_signal
from .release_signals import FAILED_RECORDS, RECORDS

# Poison messages (and the job they name) fail every attempt and end in the DLQ; reporting
# them as item failures, never as an invocation error, keeps the Lambda error rate (a
# rollback alarm) for real faults.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


# Time a record needs besides its scan: input download, report and status writes.
SAFETY_MARGIN_MS = 5_000


class PoisonMessageError(Exception):
    """The message body is not ``{"job_id": "<uuid>"}``."""


class NotEnoughTimeError(Exception):
    """The invocation has too little time left to give this record its full scan budget."""


def parse_job_id(body: str | None) -> str:
    try:
        payload = json.loads(body or "")
    except (ValueError, RecursionError) as exc:
        raise PoisonMessageError("message body is not JSON") from exc
    job_id = payload.get("job_id") if isinstance(payload, dict) else None
    if not is_job_id(job_id):
        raise PoisonMessageError("message body has no valid job_id")
    return job_id


def _correlation_id(record: SQSRecord) -> str | None:
    """The API request id the job was submitted under (message attribute), if any."""
    attributes = record.raw_event.get("messageAttributes")
    attribute = attributes.get("correlation_id") if isinstance(attributes, dict) else None
    value = attribute.get("stringValue") if isinstance(attribute, dict) else None
    return value[:128] if isinstance(value, str) else None


def record_handler(record: SQSRecord, lambda_context: Any = None) -> str:
    from .jobs import process_job
    from .storage import get_storage

    settings = Settings.from_env()
    try:
        receive_count = int(record.attributes.approximate_receive_count or 1)
    except (TypeError, ValueError):
        receive_count = 1
    final_attempt = receive_count >= settings.max_receive_count
    logger.append_keys(message_id=record.message_id, receive_count=receive_count)
    try:
        job_id = parse_job_id(record.body)
        correlation = _correlation_id(record)
        if correlation:
            logger.set_correlation_id(correlation)
        logger.append_keys(job_id=job_id)
        budget = settings.scan_budget_seconds
        if lambda_context is not None:
            left_ms = lambda_context.get_remaining_time_in_millis() - SAFETY_MARGIN_MS
            if left_ms < budget * 1000:
                # Not this job's fault: SQS redelivers it to a fresh invocation.
                raise NotEnoughTimeError(f"{left_ms} ms left, the scan budget is {budget} s")
        return process_job(
            get_storage(settings),
            job_id,
            final_attempt=final_attempt,
            scan_budget_seconds=budget,
            lease_seconds=settings.job_lease_seconds,
        )
    except Exception as exc:
        logger.warning(
            "record failed",
            extra={"error_type": type(exc).__name__, "final_attempt": final_attempt},
        )
        raise
    finally:
        logger.remove_keys(["message_id", "receive_count", "job_id"])
        logger.set_correlation_id(None)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response = process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
    release_signal(
        {
            RECORDS: len(processor.records),
            FAILED_RECORDS: sum(is_release_failure(exc) for _, exc, _ in processor.exceptions),
        }
    )
    return response


def is_release_failure(exc: BaseException | None) -> bool:
    """A record that failed for a reason of this version, not of the message's own data."""
    from .jobs import JobNotFoundError
    from .storage import InputMissingError

    return not isinstance(exc, PoisonMessageError | JobNotFoundError | InputMissingError)
