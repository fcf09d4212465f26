"""ApiFunction: the jobs API (API Gateway REST proxy events).

    POST /jobs                  202 {"job_id", "status"} + Location
    GET  /jobs/{job_id}         200 job | 400 malformed id | 404 unknown
    GET  /jobs/{job_id}/report  200 report | 404 unknown | 409 not finished
    GET  /health                200 {"status": "ok"}

Every client mistake is a 4xx with a JSON ``message``. The local server
(``python -m security_assistant serve``) calls the same ``handler``.

Every route but the public ones (contract.ROUTES) acts for the caller API Gateway
authenticated (IAM/SigV4): a job belongs to its submitter, anyone else gets 404 for it, and
a request that arrives without an identity (a misconfigured API) is refused with 403.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import (
    BadRequestError,
    ForbiddenError,
    NotFoundError,
    RequestEntityTooLargeError,
    ServiceError,
)
from aws_lambda_powertools.logging import correlation_paths

from .config import Settings
from .contract import ROUTES_BY_NAME
from .models import DONE, FAILED, Job, is_job_id
from .observability import logger, metrics, release_signal
from .principals import principal
from .release_signals import SERVER_ERRORS

app = APIGatewayRestResolver()

MAX_NAME_LENGTH = 255
MAX_IDEMPOTENCY_KEY_LENGTH = 255
# A JSON string escapes each character in at most 6 bytes (\uXXXX); anything larger than
# this cannot hold an acceptable content and is refused before parsing.
_JSON_OVERHEAD = 16_384


def _route(name: str):
    """Register a view for the route `name` of the one route table (contract.ROUTES); all
    but the public ones run for an authenticated caller, or not at all."""
    route = ROUTES_BY_NAME[name]
    middlewares = [] if route.public else [_require_caller]
    return app.route(route.resolver_path, route.method, middlewares=middlewares)


def _require_caller(app: APIGatewayRestResolver, next_middleware):
    caller = principal(app.current_event.raw_event)
    if caller is None:
        event = app.current_event
        logger.error(
            "request without a caller identity refused: is IAM authorization off?",
            extra={"method": event.http_method, "path": event.path},
        )
        raise ForbiddenError("Forbidden: the request carries no caller identity")
    app.append_context(caller=caller)
    return next_middleware(app)


class UnsupportedMediaTypeError(ServiceError):
    def __init__(self, msg: str) -> None:
        super().__init__(415, msg)


class ConflictError(ServiceError):
    def __init__(self, msg: str) -> None:
        super().__init__(409, msg)


# AWS refusing for load, not for what the client sent: retry later (503 + Retry-After).
THROTTLING_ERRORS = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "RequestThrottled",
        "SlowDown",
    }
)
RETRY_AFTER_SECONDS = 2


def _json_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
    return Response(
        status_code=status,
        content_type=content_types.APPLICATION_JSON,
        body=body,
        headers=headers,
    )


def _header(name: str) -> str | None:
    """A request header, case-insensitively, tolerant of a missing/odd ``headers`` map."""
    headers = app.current_event.raw_event.get("headers")
    if not isinstance(headers, dict):
        return None
    wanted = name.lower()
    for key, value in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            return value if isinstance(value, str) else None
    return None


def _raw_body() -> bytes:
    event = app.current_event.raw_event
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise BadRequestError("request body must be text")
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadRequestError("request body is not valid base64") from exc
    try:
        return body.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRequestError("request body is not valid UTF-8") from exc


def _location(job_id: str) -> str:
    """``/jobs/<id>`` under the path prefix the client used (e.g. the stage name)."""
    event = app.current_event.raw_event
    context = event.get("requestContext") or {}
    full = context.get("path") if isinstance(context, dict) else None
    path = event.get("path")
    prefix = ""
    if isinstance(full, str) and isinstance(path, str) and path and full.endswith(path):
        prefix = full[: -len(path)].rstrip("/")
    return f"{prefix}/jobs/{job_id}"


def _parse_submission(settings: Settings) -> tuple[str, str | None]:
    media_type = (_header("content-type") or "").split(";", 1)[0].strip().lower()
    if not (
        media_type == "application/json"
        or (media_type.startswith("application/") and media_type.endswith("+json"))
    ):
        raise UnsupportedMediaTypeError("Content-Type must be application/json")

    raw = _raw_body()
    limit = settings.max_content_bytes
    if len(raw) > 6 * limit + _JSON_OVERHEAD:
        raise RequestEntityTooLargeError(f"content is larger than {limit} bytes")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, ...
        raise BadRequestError("request body is not valid JSON") from exc
    if not isinstance(payload, dict):
        raise BadRequestError("request body must be a JSON object")
    unknown = sorted(set(payload) - {"content", "name"})
    if unknown:
        raise BadRequestError(f"unknown fields: {', '.join(unknown)[:200]}")

    content = payload.get("content")
    if not isinstance(content, str) or not content:
        raise BadRequestError("'content' must be a non-empty string")
    try:
        size = len(content.encode("utf-8"))
    except UnicodeEncodeError as exc:  # lone surrogates such as "\ud800"
        raise BadRequestError("'content' is not valid Unicode") from exc
    if size > limit:
        raise RequestEntityTooLargeError(f"content is larger than {limit} bytes")

    name = payload.get("name")
    if name is not None:
        if not isinstance(name, str) or not name or len(name) > MAX_NAME_LENGTH:
            raise BadRequestError(f"'name' must be a string of 1 to {MAX_NAME_LENGTH} characters")
        if not name.isprintable():  # also rejects lone surrogates (Unicode category Cs)
            raise BadRequestError("'name' must not contain control characters")
    return content, name


def _idempotency_key() -> str | None:
    key = _header("idempotency-key")
    if key is None:
        return None
    if not (
        0 < len(key) <= MAX_IDEMPOTENCY_KEY_LENGTH
        and key.isascii()
        and key.isprintable()
        and key.strip() == key
    ):
        raise BadRequestError(
            f"Idempotency-Key must be 1 to {MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters"
        )
    return key


def _job_id(job_id: str) -> str:
    if not is_job_id(job_id):
        raise BadRequestError("job id must be a lower-case UUID")
    return job_id


def _owned_job(storage, job_id: str) -> Job:
    """The caller's job; 404 for an unknown id and for someone else's (never confirm it)."""
    job = storage.get_job(_job_id(job_id))
    if job is None:
        raise NotFoundError("job not found")
    if job.owner != app.context["caller"]:
        logger.warning(
            "job requested by a principal that does not own it", extra={"job_id": job_id}
        )
        raise NotFoundError("job not found")
    return job


@_route("Health")
def health():
    return {"status": "ok"}


@_route("SubmitJob")
def submit_job():
    from .jobs import EnqueueError, IdempotencyConflictError, submit
    from .storage import get_queue, get_storage

    settings = Settings.from_env()
    content, name = _parse_submission(settings)
    key = _idempotency_key()
    try:
        job, created = submit(
            get_storage(settings),
            get_queue(settings),
            content=content,
            name=name,
            idempotency_key=key,
            correlation_id=logger.get_correlation_id(),
            owner=app.context["caller"],
            lease_seconds=settings.job_lease_seconds,
        )
    except IdempotencyConflictError as exc:
        raise BadRequestError("Idempotency-Key was already used with a different body") from exc
    except EnqueueError:
        logger.exception("enqueue failed")
        return _retry_later("the job could not be queued; retry (with the same Idempotency-Key)")
    headers = {"Location": _location(job.job_id)}
    if not created:
        headers["Idempotent-Replayed"] = "true"
    return _json_response(202, {"job_id": job.job_id, "status": job.status}, headers)


@_route("GetJob")
def get_job(job_id: str):
    from .storage import get_storage

    return _owned_job(get_storage(Settings.from_env()), job_id).public()


@_route("GetReport")
def get_report(job_id: str):
    from .storage import get_storage

    storage = get_storage(Settings.from_env())
    job = _owned_job(storage, job_id)
    if job.status == FAILED:
        reason = f" ({job.error})" if job.error else ""
        raise ConflictError(f"job failed{reason}; no report")
    if job.status != DONE:
        raise ConflictError(f"report not ready (job is {job.status})")
    report = storage.get_report(job.job_id)
    if report is None:
        raise NotFoundError("report expired")
    return report


@app.not_found
def not_found(exc: NotFoundError):
    # Unknown routes arrive as NotFoundError() ("Not found"); routes raise their own message.
    return _json_response(404, {"message": exc.msg})


@app.exception_handler(ServiceError)
def service_error(exc: ServiceError):
    return _json_response(int(exc.status_code), {"message": exc.msg})


def _retry_later(message: str):
    return _json_response(503, {"message": message}, {"Retry-After": str(RETRY_AFTER_SECONDS)})


@app.exception_handler(Exception)
def unexpected_error(exc: Exception):
    from .aws_clients import error_code

    if error_code(exc) in THROTTLING_ERRORS:
        # The SDK's own retries were not enough: the table or queue is at capacity.
        logger.warning("throttled", extra={"error_code": error_code(exc)})
        return _retry_later("the service is busy; retry later")
    # Server-side faults only (validation above turns every client mistake into a 4xx).
    logger.exception("unhandled error", extra={"error_type": type(exc).__name__})
    return _json_response(500, {"message": "Internal server error"})


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    response = app.resolve(event, context)
    if int(response.get("statusCode") or 0) >= 500:
        # A handled 5xx is invisible to Lambda's Errors: count it for the rollback alarm.
        release_signal({SERVER_ERRORS: 1})
    return response
