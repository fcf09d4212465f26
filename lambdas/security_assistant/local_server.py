"""Local development server: HTTP on 127.0.0.1 -> API Gateway REST proxy event -> the same
``api.handler`` the ApiFunction runs, with file-system storage.

One client cannot stall it: each connection has its own thread and a socket timeout, the
listen backlog absorbs bursts, and jobs are scanned by a worker thread (``LocalQueue``, the
local stand-in for SQS and the WorkerFunction), so a scan never holds up other requests.
Calls into ``api.handler`` are serialized: Powertools keeps the current event in class
attributes. Every error, including a malformed request line or method, is JSON.

A development server, not a production one: it listens on 127.0.0.1 only and has no auth.
"""

from __future__ import annotations

import base64
import contextlib
import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .events import rest_event
from .offline import LambdaContext

HOST = "127.0.0.1"
STAGE = "local"
# API Gateway refuses payloads over 10 MB before the function runs; so do we.
MAX_REQUEST_BYTES = 10 * 1024 * 1024
# Seconds a connection may sit idle or half-sent before it is closed.
SOCKET_TIMEOUT = 10
# Pending connections the kernel queues while threads start (the stdlib default is 5).
BACKLOG = 128


def build_event(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes | None
) -> dict[str, Any]:
    """The API Gateway REST proxy event of one local HTTP request."""
    return rest_event(
        method, target, stage=STAGE, headers=headers, body=body, source_ip=HOST, stage_in_url=False
    )


class LocalQueue:
    """SQS and the WorkerFunction in one thread: jobs are scanned one at a time, in order,
    by ``jobs.process_job`` (idempotent, leased, with the worker's scan budget)."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="local-worker", daemon=True)
        self._thread.start()

    def send(self, job_id: str, correlation_id: str | None = None) -> None:
        self._jobs.put(job_id)

    def join(self) -> None:
        """Wait until every job sent so far is processed (tests)."""
        self._jobs.join()

    def close(self) -> None:
        self._jobs.put(None)

    def _run(self) -> None:
        from .config import Settings
        from .jobs import process_job
        from .observability import logger
        from .storage import get_storage

        while (job_id := self._jobs.get()) is not None:
            try:
                settings = Settings.from_env()
                process_job(
                    get_storage(settings),
                    job_id,
                    final_attempt=True,
                    scan_budget_seconds=settings.scan_budget_seconds,
                    lease_seconds=settings.job_lease_seconds,
                )
            except Exception:
                logger.exception("local processing failed", extra={"job_id": job_id})
            finally:
                self._jobs.task_done()


_api_lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    server_version = "security-assistant-local"
    timeout = SOCKET_TIMEOUT

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError, TimeoutError):  # the client went away
            super().handle()

    def _respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json_error(self, status: int, message: str) -> None:
        self.close_connection = True
        body = json.dumps({"message": message}).encode()
        self._respond(status, {"Content-Type": "application/json"}, body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        # The stdlib's errors (bad request line, header too long, ...) are HTML; ours are JSON.
        self.close_connection = True
        if getattr(self, "command", None) is None:
            self.command = ""  # a request line too broken to have a method
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # else the stdlib sends a bare body, no headers
        reason = message or self.responses.get(code, ("Error",))[0]
        self._json_error(code, reason)

    def _handle(self) -> None:
        from .api import handler

        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:
            if length > 0:
                self._json_error(413, "Request too large")
            else:
                self._json_error(400, "Bad Content-Length")
            return
        try:
            body = self.rfile.read(length) if length else None
        except TimeoutError:
            self.close_connection = True  # a client that stopped sending its body
            return
        if body is not None and len(body) < length:
            self._json_error(400, "Request body shorter than its Content-Length")
            return
        event = build_event(self.command, self.path, list(self.headers.items()), body)
        with _api_lock:
            result = handler(event, LambdaContext())
        headers = dict(result.get("headers") or {})
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers.setdefault(key, ", ".join(values))
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        self._respond(int(result["statusCode"]), headers, data)

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the API (which answers unknown routes with a JSON 404), as
        # API Gateway would; the stdlib would answer methods it lacks a do_X for with HTML.
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the handler's structured logs already record each request


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = BACKLOG

    def __init__(self, port: int, local_queue: LocalQueue | None = None) -> None:
        super().__init__((HOST, port), Handler)
        self.local_queue = local_queue

    def server_close(self) -> None:
        super().server_close()
        if self.local_queue is not None:
            self.local_queue.close()


def make_server(port: int, *, background_jobs: bool = False) -> LocalServer:
    """The server on 127.0.0.1:``port``. With ``background_jobs`` (``serve``), jobs go to a
    ``LocalQueue`` worker thread and a POST answers at once; otherwise they run inline."""
    from .storage import set_local_queue

    local_queue = LocalQueue() if background_jobs else None
    set_local_queue(local_queue)
    return LocalServer(port, local_queue)


def resume_stalled_jobs() -> int:
    """Send every job a previous server left ``queued`` or ``running`` (lease expired: it
    was killed, or crashed) to the local queue again. Returns how many."""
    from .config import Settings
    from .jobs import resume_stalled
    from .storage import get_queue, get_storage

    settings = Settings.from_env()
    storage = get_storage(settings)
    job_ids = storage.job_ids() if hasattr(storage, "job_ids") else []
    return resume_stalled(storage, job_ids, settings.job_lease_seconds, get_queue(settings))
