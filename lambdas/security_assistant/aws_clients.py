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
_session: Any = None  # boto3.session.Session, made with the first client
_lock = threading.Lock()


def region() -> str:
    return os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or DEFAULT_REGION


def client(service: str) -> Any:
    global _session
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
            if _session is None:
                # One private session for every client (not boto3's shared default one;
                # clients are made under the lock, as sessions are not thread-safe): a new
                # session reads the endpoint rules and SDK defaults again, ~0.1 s per client
                # for the API's S3, DynamoDB and SQS clients at cold start.
                _session = boto3.session.Session()
            cached = _session.client(service, region_name=key[1], config=config)
            _clients[key] = cached
    return cached


def reset() -> None:
    """Forget cached clients and the session with its credentials (tests that switch
    endpoints or credentials)."""
    global _session
    with _lock:
        _clients.clear()
        _session = None


def error_code(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    if isinstance(response, dict):
        return response.get("Error", {}).get("Code")
    return None
