"""The storage interface the API and the worker use, whatever the backend.

Every write that must not happen twice is conditional:
- ``create_job`` and ``put_report`` only create (a second call is a no-op / error),
- ``transition`` moves a job only from one of the ``allowed_from`` statuses,
- ``claim_idempotency_key`` returns the existing claim instead of overwriting it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from ..models import Job


class StorageError(Exception):
    """A backend failed (server side: never caused by what a client sent)."""


class JobExistsError(StorageError):
    pass


class InputMissingError(StorageError):
    pass


@dataclass(frozen=True)
class IdempotencyClaim:
    job_id: str
    body_hash: str


class Storage(ABC):
    # inputs/<job_id>
    @abstractmethod
    def put_input(self, job_id: str, content: bytes) -> None: ...

    @abstractmethod
    def get_input(self, job_id: str) -> bytes:
        """Raises InputMissingError when there is no input for the job."""

    # reports/<job_id>.json
    @abstractmethod
    def put_report(self, job_id: str, report: dict[str, Any]) -> bool:
        """Create the report; False (and no write) if it already exists."""

    @abstractmethod
    def get_report(self, job_id: str) -> dict[str, Any] | None: ...

    # job records
    @abstractmethod
    def create_job(self, job: Job) -> None:
        """Raises JobExistsError when the job id is taken."""

    @abstractmethod
    def get_job(self, job_id: str) -> Job | None: ...

    @abstractmethod
    def transition(
        self,
        job_id: str,
        status: str,
        *,
        allowed_from: tuple[str, ...],
        **fields: Any,
    ) -> bool:
        """Set ``status`` (and ``fields``) only if the job exists and its status is in
        ``allowed_from``. Returns whether the job was changed."""

    @abstractmethod
    def start_job(self, job_id: str, *, lease_until: int) -> Job | None:
        """Mark a queued or running job running, its lease until ``lease_until``, in one
        conditional write, and return the job as it is now: running, or as it was when it
        has finished. None when there is no such job."""

    def take_lease(
        self, job_id: str, *, allowed_from: tuple[str, ...], now: int, until: int
    ) -> bool:
        """Set the job's ``lease_until`` to ``until`` only if its status is in
        ``allowed_from`` and its lease has expired (``lease_until`` absent or <= ``now``).
        Exactly one of several concurrent callers wins."""
        raise NotImplementedError

    # idempotency records (same table / directory family as jobs)
    @abstractmethod
    def claim_idempotency_key(
        self, key_hash: str, job_id: str, body_hash: str, ttl_seconds: int
    ) -> IdempotencyClaim | None:
        """Record key -> (job_id, body_hash) unless a live record exists; return that
        existing record, or None when this call made the claim."""


class Queue(ABC):
    @abstractmethod
    def send(self, job_id: str, correlation_id: str | None = None) -> None: ...
