"""Storage backends behind one interface (``Storage``), chosen by ``STORAGE_MODE``."""

from __future__ import annotations

import os
import threading

from ..config import Settings
from .base import (
    IdempotencyClaim,
    InputMissingError,
    JobExistsError,
    Queue,
    Storage,
    StorageError,
)

__all__ = [
    "IdempotencyClaim",
    "InputMissingError",
    "JobExistsError",
    "Queue",
    "Storage",
    "StorageError",
    "get_queue",
    "get_storage",
    "set_local_queue",
]

_cache: dict[tuple, Storage] = {}
_lock = threading.Lock()
# The local server's in-process queue (python -m security_assistant serve), if running.
_local_queue: Queue | None = None


def set_local_queue(queue: Queue | None) -> None:
    """Without QUEUE_URL, send jobs to ``queue`` instead of processing them inline."""
    global _local_queue
    _local_queue = queue


def get_storage(settings: Settings) -> Storage:
    if settings.storage_mode == "aws":
        if not settings.bucket_name or not settings.table_name:
            raise RuntimeError("STORAGE_MODE=aws needs BUCKET_NAME and TABLE_NAME")
        key: tuple = ("aws", settings.bucket_name, settings.table_name)
    else:
        key = ("local", os.path.abspath(settings.data_dir))
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            if key[0] == "aws":
                from .aws import AwsStorage

                backend = AwsStorage(settings.bucket_name, settings.table_name)  # type: ignore[arg-type]
            else:
                from .local import LocalStorage

                backend = LocalStorage(key[1])
            _cache[key] = backend
    return backend


def get_queue(settings: Settings) -> Queue | None:
    """The SQS queue; without QUEUE_URL the local server's queue, or None (inline)."""
    if not settings.queue_url:
        return _local_queue
    from .aws import SqsQueue

    return SqsQueue(settings.queue_url)
