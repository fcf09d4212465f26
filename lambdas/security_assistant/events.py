"""API Gateway REST proxy events: the one request shape `api.handler` understands.

Built here for whoever calls the API handler without API Gateway in front: the local server
(`python -m security_assistant serve`), the PreTraffic hook's synthetic requests and the
reliability run (`tools/reliability.py`).
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .principals import LOCAL_PRINCIPAL


def rest_event(
    method: str,
    target: str,
    *,
    stage: str,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    body: str | bytes | None = None,
    source_ip: str = "127.0.0.1",
    user_agent: str | None = None,
    stage_in_url: bool = True,
    principal: str | None = LOCAL_PRINCIPAL,
) -> dict[str, Any]:
    """The event API Gateway would send for `method target` (target: path and query).

    `requestContext.path` is the path clients see, from which the API builds `Location`:
    `/<stage>/...` on API Gateway's own endpoint; without the stage where the API is served at
    the root (`stage_in_url=False`, the local server). `principal` is the caller IAM
    authorization would have put there (`None`: an unauthenticated request).
    """
    parts = urlsplit(target)
    path = parts.path or "/"
    query = parse_qsl(parts.query, keep_blank_values=True)
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        single[key] = value
        multi.setdefault(key, []).append(value)
    is_base64 = False
    if isinstance(body, bytes):
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError:  # API Gateway passes binary bodies base64-encoded
            body, is_base64 = base64.b64encode(body).decode("ascii"), True
    identity = {"sourceIp": source_ip}
    if user_agent:
        identity["userAgent"] = user_agent
    if principal is not None:
        identity["userArn"] = principal
    return {
        "resource": path,
        "path": path,
        "httpMethod": method,
        "headers": single or None,
        "multiValueHeaders": multi or None,
        "queryStringParameters": dict(query) or None,
        "multiValueQueryStringParameters": {k: [v for kk, v in query if kk == k] for k, _ in query}
        or None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": path,
            "httpMethod": method,
            "path": f"/{stage}{path}" if stage_in_url else path,
            "stage": stage,
            "requestId": str(uuid.uuid4()),
            "requestTimeEpoch": int(time.time() * 1000),
            "identity": identity,
        },
        "body": body or None,
        "isBase64Encoded": is_base64,
    }
