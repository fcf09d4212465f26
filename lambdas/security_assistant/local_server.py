"""Local development server: HTTP on 127.0.0.1 -> API Gateway REST proxy event -> the same
``api.handler`` the ApiFunction runs (file-system storage, inline processing)."""

from __future__ import annotations

import base64
import json
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from .events import rest_event
from .offline import LambdaContext

HOST = "127.0.0.1"
STAGE = "local"
# API Gateway refuses payloads over 10 MB before the function runs; so do we.
MAX_REQUEST_BYTES = 10 * 1024 * 1024


def build_event(
    method: str, target: str, headers: list[tuple[str, str]], body: bytes | None
) -> dict[str, Any]:
    """The API Gateway REST proxy event of one local HTTP request."""
    return rest_event(
        method, target, stage=STAGE, headers=headers, body=body, source_ip=HOST, stage_in_url=False
    )


class Handler(BaseHTTPRequestHandler):
    server_version = "security-assistant-local"

    def _respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        from .api import handler

        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_REQUEST_BYTES:
            message = {"message": "Request too large" if length > 0 else "Bad Content-Length"}
            status = 413 if length > 0 else 400
            self.close_connection = True
            self._respond(
                status, {"Content-Type": "application/json"}, json.dumps(message).encode()
            )
            return
        body = self.rfile.read(length) if length else None
        event = build_event(self.command, self.path, list(self.headers.items()), body)
        result = handler(event, LambdaContext("security-assistant-local-api"))
        headers = dict(result.get("headers") or {})
        for key, values in (result.get("multiValueHeaders") or {}).items():
            headers.setdefault(key, ", ".join(values))
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        self._respond(int(result["statusCode"]), headers, data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _handle

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # the handler's structured logs already record each request


def make_server(port: int) -> HTTPServer:
    # Single-threaded on purpose: Powertools' resolver keeps the current event per process.
    return HTTPServer((HOST, port), Handler)
