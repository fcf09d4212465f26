"""File-system backend (STORAGE_MODE=local, the default): local mode and unit tests.

Layout under the data directory mirrors the AWS one:
  inputs/<job_id>, reports/<job_id>.json, jobs/<job_id>.json, jobs/idempotency#<hash>.json

Create-only writes go through ``os.link`` of a fully written temp file (atomic, fails if the
target exists); conditional updates read-check-``os.replace`` under a lock (a thread lock plus
``fcntl.flock`` on ``.lock`` so several local processes can share a directory).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..models import IDEMPOTENCY_PREFIX, QUEUED, RUNNING, Job, is_job_id, now_iso
from .base import IdempotencyClaim, InputMissingError, JobExistsError, Storage

try:  # POSIX only; on other systems the thread lock alone is used.
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


def _check_id(job_id: str) -> str:
    # Never let an id become a path component it should not be.
    if not is_job_id(job_id):
        raise ValueError("invalid job id")
    return job_id


class LocalStorage(Storage):
    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        for sub in ("inputs", "reports", "jobs"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self._lock_path = self.root / ".lock"
        self._thread_lock = threading.Lock()

    # -- helpers ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            if fcntl is None:  # pragma: no cover
                yield
                return
            with open(self._lock_path, "a+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def _write_temp(self, directory: Path, data: bytes) -> str:
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            os.unlink(tmp)
            raise
        return tmp

    def _create_only(self, path: Path, data: bytes) -> bool:
        tmp = self._write_temp(path.parent, data)
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        finally:
            os.unlink(tmp)

    def _replace(self, path: Path, data: bytes) -> None:
        tmp = self._write_temp(path.parent, data)
        os.replace(tmp, path)

    @staticmethod
    def _read_json(path: Path) -> dict[str, Any] | None:
        try:
            return json.loads(path.read_bytes())
        except FileNotFoundError:
            return None

    # -- inputs ----------------------------------------------------------------------------
    def put_input(self, job_id: str, content: bytes) -> None:
        self._replace(self.root / "inputs" / _check_id(job_id), content)

    def get_input(self, job_id: str) -> bytes:
        try:
            return (self.root / "inputs" / _check_id(job_id)).read_bytes()
        except FileNotFoundError as exc:
            raise InputMissingError(job_id) from exc

    # -- reports ---------------------------------------------------------------------------
    def put_report(self, job_id: str, report: dict[str, Any]) -> bool:
        data = json.dumps(report, sort_keys=True).encode()
        return self._create_only(self.root / "reports" / f"{_check_id(job_id)}.json", data)

    def get_report(self, job_id: str) -> dict[str, Any] | None:
        return self._read_json(self.root / "reports" / f"{_check_id(job_id)}.json")

    # -- jobs ------------------------------------------------------------------------------
    def _job_path(self, job_id: str) -> Path:
        return self.root / "jobs" / f"{_check_id(job_id)}.json"

    def create_job(self, job: Job) -> None:
        data = json.dumps(job.to_item(), sort_keys=True).encode()
        if not self._create_only(self._job_path(job.job_id), data):
            raise JobExistsError(job.job_id)

    def get_job(self, job_id: str) -> Job | None:
        item = self._read_json(self._job_path(job_id))
        return None if item is None else Job.from_item(item)

    def transition(
        self, job_id: str, status: str, *, allowed_from: tuple[str, ...], **fields: Any
    ) -> bool:
        def change(item: dict) -> None:
            item.update({k: v for k, v in fields.items() if v is not None})
            item["status"] = status

        return self._update_job(job_id, allowed_from, change)

    def start_job(self, job_id: str, *, lease_until: int) -> Job | None:
        path = self._job_path(job_id)
        with self._locked():
            item = self._read_json(path)
            if item is not None and item.get("status") in (QUEUED, RUNNING):
                item.update(status=RUNNING, lease_until=lease_until, updated_at=now_iso())
                self._replace(path, json.dumps(item, sort_keys=True).encode())
        return None if item is None else Job.from_item(item)

    def take_lease(
        self, job_id: str, *, allowed_from: tuple[str, ...], now: int, until: int
    ) -> bool:
        def change(item: dict) -> bool:
            if int(item.get("lease_until") or 0) > now:
                return False  # someone still holds it
            item["lease_until"] = until
            return True

        return self._update_job(job_id, allowed_from, change)

    def _update_job(self, job_id: str, allowed_from: tuple[str, ...], change) -> bool:
        """Under the lock: apply `change` to a job in one of `allowed_from` (like DynamoDB's
        conditional update); False when the job is missing, elsewhere, or `change` declines."""
        path = self._job_path(job_id)
        with self._locked():
            item = self._read_json(path)
            if item is None or item.get("status") not in allowed_from:
                return False
            if change(item) is False:
                return False
            item["updated_at"] = now_iso()
            self._replace(path, json.dumps(item, sort_keys=True).encode())
            return True

    def job_ids(self) -> list[str]:
        """Every job in the directory (local mode's restart recovery)."""
        return sorted(p.stem for p in (self.root / "jobs").glob("*.json") if is_job_id(p.stem))

    # -- idempotency -----------------------------------------------------------------------
    def claim_idempotency_key(
        self, key_hash: str, job_id: str, body_hash: str, ttl_seconds: int
    ) -> IdempotencyClaim | None:
        if not all(c in "0123456789abcdef" for c in key_hash) or not key_hash:
            raise ValueError("key hash must be hex")
        path = self.root / "jobs" / f"{IDEMPOTENCY_PREFIX}{key_hash}.json"
        now = int(time.time())
        record = {"target_job_id": job_id, "body_hash": body_hash, "expires_at": now + ttl_seconds}
        with self._locked():
            existing = self._read_json(path)
            if existing is not None and int(existing.get("expires_at", 0)) > now:
                return IdempotencyClaim(existing["target_job_id"], existing["body_hash"])
            self._replace(path, json.dumps(record, sort_keys=True).encode())
            return None
