"""Job ids, statuses and the job record shared by the API, the worker and the backends."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

# Job ids are canonical lower-case UUID4 strings; anything else is a malformed id (400).
JOB_ID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
STATUSES = (QUEUED, RUNNING, DONE, FAILED)
TERMINAL = (DONE, FAILED)

# Idempotency records share the jobs table; their key can never be a valid job id.
IDEMPOTENCY_PREFIX = "idempotency#"

# Job records expire (DynamoDB TTL attribute `expires_at`) after this long.
JOB_TTL_SECONDS = 30 * 24 * 3600
IDEMPOTENCY_TTL_SECONDS = 24 * 3600


def new_job_id() -> str:
    return str(uuid.uuid4())


def is_job_id(value: object) -> bool:
    return isinstance(value, str) and JOB_ID_RE.fullmatch(value) is not None


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


@dataclass
class Job:
    job_id: str
    status: str
    created_at: str
    updated_at: str
    expires_at: int
    name: str | None = None
    finding_count: int | None = None
    error: str | None = None
    correlation_id: str | None = None
    owner: str | None = None  # the submitting principal (principals.principal)
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def new(
        cls, job_id: str, *, name: str | None, correlation_id: str | None, owner: str | None = None
    ) -> Job:
        stamp = now_iso()
        return cls(
            job_id=job_id,
            status=QUEUED,
            created_at=stamp,
            updated_at=stamp,
            expires_at=int(time.time()) + JOB_TTL_SECONDS,
            name=name,
            correlation_id=correlation_id,
            owner=owner,
        )

    def to_item(self) -> dict[str, Any]:
        item = asdict(self)
        item.pop("extra")
        return {k: v for k, v in item.items() if v is not None}

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> Job:
        known = {f for f in cls.__dataclass_fields__ if f != "extra"}
        kwargs = {k: item.get(k) for k in known}
        kwargs["expires_at"] = int(kwargs.get("expires_at") or 0)
        if kwargs.get("finding_count") is not None:
            kwargs["finding_count"] = int(kwargs["finding_count"])
        return cls(**kwargs)

    def public(self) -> dict[str, Any]:
        """What GET /jobs/{job_id} returns."""
        body: dict[str, Any] = {
            "job_id": self.job_id,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }
        if self.name is not None:
            body["name"] = self.name
        if self.finding_count is not None:
            body["finding_count"] = self.finding_count
        return body
