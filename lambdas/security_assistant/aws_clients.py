"""Lazily created, cached boto3 clients.

boto3 is imported on first use, not at module import, so handlers that never call AWS
(health checks, rejected requests) do not pay for it during cold start. ``AWS_ENDPOINT_URL``
(standard boto3 setting) points every client at an emulator in tests.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from .config import DEFAULT_REGION

_clients: dict[tuple[str, str, str | None], Any] = {}
_lock = threading.Lock()


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def client(service: str) -> Any:
    key = (service, region(), os.environ.get("AWS_ENDPOINT_URL"))
    cached = _clients.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _clients.get(key)
        if cached is None:
            import boto3
            from botocore.config import Config

            config = Config(
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=3,
                read_timeout=10,
            )
            # A private session: thread-safe client creation, no shared default session.
            cached = boto3.session.Session().client(service, region_name=key[1], config=config)
            _clients[key] = cached
    return cached


def reset() -> None:
    """Forget cached clients (tests that switch endpoints or credentials)."""
    with _lock:
        _clients.clear()


def error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None
