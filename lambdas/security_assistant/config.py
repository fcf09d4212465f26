"""Settings read from the environment variables the templates set (see architecture.md).

Read on demand (cheap) so tests and the local server can change the environment. A caller
that drives the handlers in-process (tools/reliability.py) injects its settings with
`Settings.injected(...)` instead of changing the process's environment.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from . import contract as c

DEFAULT_MAX_CONTENT_BYTES = 262_144
DEFAULT_MAX_RECEIVE_COUNT = 3
DEFAULT_DATA_DIR = ".local-data"
# How long a job's holder keeps it (the templates set the worker's timeout); local default.
DEFAULT_JOB_LEASE_SECONDS = 60
# Longest a worker gives one scan (the templates size it from tools/bench_scan.py).
DEFAULT_SCAN_BUDGET_SECONDS = 20
DEFAULT_REGION = "eu-west-2"


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise RuntimeError(f"environment variable {name} must be an integer") from exc
    if value <= 0:
        raise RuntimeError(f"environment variable {name} must be positive")
    return value


@dataclass(frozen=True)
class Settings:
    env: str
    storage_mode: str  # "local" | "aws"
    bucket_name: str | None
    table_name: str | None
    queue_url: str | None
    max_content_bytes: int
    max_receive_count: int
    data_dir: str
    job_lease_seconds: int = DEFAULT_JOB_LEASE_SECONDS
    scan_budget_seconds: int = DEFAULT_SCAN_BUDGET_SECONDS

    @classmethod
    def from_env(cls) -> Settings:
        injected = _INJECTED.get()
        if injected is not None:
            return injected
        mode = os.environ.get(c.STORAGE_MODE, "local").strip().lower() or "local"
        if mode not in ("local", "aws"):
            raise RuntimeError("STORAGE_MODE must be 'local' or 'aws'")
        return cls(
            env=os.environ.get(c.ENV, "local"),
            storage_mode=mode,
            bucket_name=os.environ.get(c.BUCKET_NAME) or None,
            table_name=os.environ.get(c.TABLE_NAME) or None,
            queue_url=os.environ.get(c.QUEUE_URL) or None,
            max_content_bytes=_int_env(c.MAX_CONTENT_BYTES, DEFAULT_MAX_CONTENT_BYTES),
            max_receive_count=_int_env(c.MAX_RECEIVE_COUNT, DEFAULT_MAX_RECEIVE_COUNT),
            data_dir=os.environ.get(c.DATA_DIR) or DEFAULT_DATA_DIR,
            job_lease_seconds=_int_env(c.JOB_LEASE_SECONDS, DEFAULT_JOB_LEASE_SECONDS),
            scan_budget_seconds=_int_env(c.SCAN_BUDGET_SECONDS, DEFAULT_SCAN_BUDGET_SECONDS),
        )

    @staticmethod
    @contextmanager
    def injected(settings: Settings) -> Iterator[Settings]:
        """`from_env()` returns `settings` in this context (this thread or task only)."""
        token = _INJECTED.set(settings)
        try:
            yield settings
        finally:
            _INJECTED.reset(token)


_INJECTED: ContextVar[Settings | None] = ContextVar("injected_settings", default=None)
