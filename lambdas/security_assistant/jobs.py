"""Job lifecycle: submission (API) and processing (worker, or inline without a queue).

Free of HTTP and SQS concerns so the API, the worker and the local server share it.
"""

from __future__ import annotations

import hashlib
import json
import time

from . import observability as obs
from .config import DEFAULT_JOB_LEASE_SECONDS
from .models import (
    DONE,
    FAILED,
    IDEMPOTENCY_TTL_SECONDS,
    QUEUED,
    RUNNING,
    TERMINAL,
    Job,
    new_job_id,
)
from .scanner import ScanTimeoutError
from .storage import JobExistsError, Queue, Storage

logger = obs.logger


class IdempotencyConflictError(Exception):
    """The Idempotency-Key was already used with a different body."""


class JobNotFoundError(Exception):
    """A message names a job that has no record (poison message)."""


class EnqueueError(Exception):
    """The job could not be sent to the queue (after the SDK's own retries)."""


def _sha256(data: str | bytes) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def body_fingerprint(content: str, name: str | None) -> str:
    return _sha256(json.dumps({"content": content, "name": name}, sort_keys=True))


def idempotency_key_hash(owner: str | None, key: str) -> str:
    """Keys are per principal: two callers choosing the same key get two jobs."""
    return _sha256(key if owner is None else f"{owner}\n{key}")


def submit(
    storage: Storage,
    queue: Queue | None,
    *,
    content: str,
    name: str | None = None,
    idempotency_key: str | None = None,
    correlation_id: str | None = None,
    owner: str | None = None,
    lease_seconds: int = DEFAULT_JOB_LEASE_SECONDS,
) -> tuple[Job, bool]:
    """Store the input, record the job (belonging to ``owner``) and enqueue it (or process
    it inline without a queue). Returns ``(job, created)``; ``created`` is False for an
    idempotent replay of the same owner's Idempotency-Key.

    A replay takes a stalled job up again: one still ``queued`` or ``running`` once its lease
    (``lease_seconds``, the worker's timeout) has expired, at most once per lease.
    Raises EnqueueError when the queue refuses the job: it is then ``failed``, or, with an
    Idempotency-Key, left ``queued`` with an expired lease for the client's replay."""
    job_id = new_job_id()
    if idempotency_key is not None:
        fingerprint = body_fingerprint(content, name)
        claim = storage.claim_idempotency_key(
            idempotency_key_hash(owner, idempotency_key),
            job_id,
            fingerprint,
            IDEMPOTENCY_TTL_SECONDS,
        )
        if claim is not None:
            if claim.body_hash != fingerprint:
                raise IdempotencyConflictError
            existing = storage.get_job(claim.job_id)
            if existing is not None:
                logger.info("idempotent replay", extra={"job_id": existing.job_id})
                resumed = _resume_if_stalled(
                    storage, queue, existing, correlation_id, lease_seconds
                )
                return resumed or existing, False
            # The first attempt stopped before recording the job: finish it under its id.
            job_id = claim.job_id

    job = Job.new(
        job_id, name=name, correlation_id=correlation_id, owner=owner, lease_seconds=lease_seconds
    )
    storage.put_input(job_id, content.encode("utf-8"))
    try:
        storage.create_job(job)
    except JobExistsError:
        existing = storage.get_job(job_id)
        if existing is None:  # pragma: no cover - would need a delete in between
            raise
        return existing, False
    obs.count(obs.JOBS_SUBMITTED)
    logger.info(
        "job submitted",
        extra={
            "job_id": job_id,
            "content_bytes": len(content.encode("utf-8")),
            "inline": queue is None,
        },
    )

    return _dispatch(
        storage, queue, job, correlation_id, lease_seconds, replayable=idempotency_key is not None
    ), True


def _resume_if_stalled(
    storage: Storage, queue: Queue | None, job: Job, correlation_id: str | None, lease: int
) -> Job | None:
    """Dispatch again a queued or running job whose holder's lease has expired: the first
    attempt stopped before enqueueing, or the process scanning it died (crash, timeout,
    kill). The conditional lease write lets one caller per lease do it. Returns the job's
    new state, or None when this call did not take it up."""
    now = int(time.time())
    if job.status not in (QUEUED, RUNNING) or not job.lease_expired(now):
        return None
    if not storage.take_lease(
        job.job_id, allowed_from=(QUEUED, RUNNING), now=now, until=now + lease
    ):
        return None  # another caller took it
    logger.warning("resuming stalled job", extra={"job_id": job.job_id, "status": job.status})
    return _dispatch(storage, queue, job, correlation_id, lease, replayable=True)


def resume_stalled(
    storage: Storage, job_ids: list[str], lease_seconds: int, queue: Queue | None = None
) -> int:
    """Local mode, at server start: dispatch again every job a previous server left queued
    or running (its lease expired). Returns how many were taken up."""
    resumed = 0
    for job_id in job_ids:
        job = storage.get_job(job_id)
        if job is not None and _resume_if_stalled(
            storage, queue, job, job.correlation_id, lease_seconds
        ):
            resumed += 1
    return resumed


def _dispatch(
    storage: Storage,
    queue: Queue | None,
    job: Job,
    correlation_id: str | None,
    lease_seconds: int,
    *,
    replayable: bool,
) -> Job:
    """Enqueue the job, or without a queue process it inline; return its current state."""
    if queue is not None:
        try:
            queue.send(job.job_id, correlation_id)
        except Exception as exc:
            if replayable:  # the client's replay (same Idempotency-Key) sends it again
                storage.transition(job.job_id, QUEUED, allowed_from=(QUEUED,), lease_until=0)
            else:  # nobody would ever run it: say so
                mark_failed(storage, job.job_id, "enqueue_failed: the job could not be queued")
            raise EnqueueError(job.job_id) from exc
        return job
    try:
        process_job(storage, job.job_id, final_attempt=True, lease_seconds=lease_seconds)
    except Exception:
        logger.exception("inline processing failed", extra={"job_id": job.job_id})
    return storage.get_job(job.job_id) or job


def process_job(
    storage: Storage,
    job_id: str,
    *,
    final_attempt: bool,
    scan_budget_seconds: float | None = None,
    lease_seconds: int = DEFAULT_JOB_LEASE_SECONDS,
) -> str:
    """Scan one job's input and write its report. Idempotent: returns ``"done"`` when this
    call finished the job, ``"duplicate"`` when it was already finished. Raises on failure;
    on the final attempt the job is marked ``failed`` first.

    A scan that outlasts ``scan_budget_seconds`` fails the job for good (``"failed"``): the
    same input would take as long on every attempt."""
    try:
        return _process(storage, job_id, scan_budget_seconds, lease_seconds)
    except ScanTimeoutError:
        reason = (
            f"scan_timeout: the input could not be scanned within {scan_budget_seconds:g} s; "
            "submit it in smaller parts"
        )
        return "failed" if mark_failed(storage, job_id, reason) else "duplicate"
    except Exception as exc:
        if final_attempt:
            mark_failed(storage, job_id, type(exc).__name__)
        raise


def mark_failed(storage: Storage, job_id: str, reason: str) -> bool:
    changed = storage.transition(job_id, FAILED, allowed_from=(QUEUED, RUNNING), error=reason)
    if changed:
        obs.count(obs.JOBS_FAILED)
        logger.error("job failed", extra={"job_id": job_id, "reason": reason})
    return changed


def _process(
    storage: Storage, job_id: str, scan_budget_seconds: float | None, lease_seconds: int
) -> str:
    from .scanner import scan_text, scanner_version

    # A running job is taken up again (redelivery, replay, restart) once this lease expires.
    job = storage.start_job(job_id, lease_until=int(time.time()) + lease_seconds)
    if job is None:
        raise JobNotFoundError(job_id)
    if job.status in TERMINAL:
        obs.count(obs.DUPLICATE_DELIVERIES)
        logger.info("job already finished", extra={"job_id": job_id, "status": job.status})
        return "duplicate"

    text = storage.get_input(job_id).decode("utf-8")  # InputMissingError: retried, then DLQ
    started = time.perf_counter()
    deadline = None if scan_budget_seconds is None else time.monotonic() + scan_budget_seconds
    findings = scan_text(text, job.name, deadline=deadline)
    report = {
        "job_id": job_id,
        "name": job.name,
        "scanner": scanner_version(),
        "finding_count": len(findings),
        "findings": findings,
    }
    if job.name is None:
        del report["name"]
    storage.put_report(job_id, report)  # create-only: a duplicate keeps the first report

    if not storage.transition(
        job_id, DONE, allowed_from=(QUEUED, RUNNING), finding_count=len(findings)
    ):
        obs.count(obs.DUPLICATE_DELIVERIES)
        logger.info("job finished concurrently", extra={"job_id": job_id})
        return "duplicate"
    obs.count(obs.JOBS_FINISHED)
    obs.count(obs.FINDINGS, len(findings))
    logger.info(
        "job done",
        extra={
            "job_id": job_id,
            "finding_count": len(findings),
            "finding_types": sorted({f["type"] for f in findings}),
            "scan_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )
    return "done"
