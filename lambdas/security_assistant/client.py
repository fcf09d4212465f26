"""``python -m security_assistant scan PATH... [--api URL | --local] [--format text|json]``

Scans files for leaked secrets: through the jobs API (``--api`` or
``SECURITY_ASSISTANT_API_URL``; requests to an API Gateway endpoint are signed with SigV4
from the standard AWS credential chain), or in-process and offline (``--local``, the same
scanner the worker runs). Prints ``path:line: type hint`` per finding and exits 0 when
nothing is found, 1 when something is, 2 on a usage or service error.

Imports stay light (no boto3; botocore only to sign): the pre-commit hook runs it per commit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from . import contract
from .config import DEFAULT_MAX_CONTENT_BYTES

CLEAN, FINDINGS, ERROR = 0, 1, 2
API_URL_ENV = contract.SECURITY_ASSISTANT_API_URL
# <api-id>.execute-api.<region>.amazonaws.com[.cn]: API Gateway's own endpoint, IAM-authorized.
_API_GATEWAY_HOST = re.compile(r"[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?")
_SKIPPED_DIRS = {".git", ".hg", ".svn"}  # version-control internals, never the user's text
_RETRIED = {429, 502, 503, 504}  # throttled or briefly unavailable: the request is safe to repeat
_TERMINAL = {"done", "failed"}


class UsageError(Exception):
    """The command line or the environment is wrong (exit 2)."""


class ServiceError(Exception):
    """The API could not be reached or answered with an error (exit 2)."""


@dataclass
class Outcome:
    findings: list[dict[str, Any]] = field(default_factory=list)  # path, line, type, hint
    skipped: list[dict[str, str]] = field(default_factory=list)  # path, reason
    errors: list[dict[str, str]] = field(default_factory=list)  # path, message

    @property
    def exit_code(self) -> int:
        return ERROR if self.errors else FINDINGS if self.findings else CLEAN


@dataclass(frozen=True)
class Source:
    path: str  # as shown to the user
    text: str

    @property
    def name(self) -> str | None:
        """What the service gets as the job's ``name``: the file name, whose extension
        steers the scanner's file-type heuristics."""
        name = Path(self.path).name[-255:]
        return name if name and name.isprintable() else None


# -- files ------------------------------------------------------------------------------------
def _files(paths: Iterable[str]) -> Iterable[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and not _SKIPPED_DIRS & set(found.relative_to(path).parts):
                    yield found
        elif path.is_file():
            yield path
        else:
            raise UsageError(f"{raw}: no such file or directory")


def collect(paths: Iterable[str], limit: int, outcome: Outcome) -> list[Source]:
    """The text files under ``paths``; binaries and files over ``limit`` bytes are noted in
    ``outcome.skipped``, empty files (nothing to leak) are left out."""
    sources = []
    for path in _files(paths):
        shown = str(path)
        try:
            size = path.stat().st_size
            if size > limit:
                outcome.skipped.append(
                    {"path": shown, "reason": f"{size} bytes, over the {limit}-byte limit"}
                )
                continue
            data = path.read_bytes()
        except OSError as exc:
            outcome.skipped.append({"path": shown, "reason": f"unreadable: {exc.strerror}"})
            continue
        if not data.strip():
            continue
        try:
            if b"\0" in data:
                raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            outcome.skipped.append({"path": shown, "reason": "binary (not UTF-8 text)"})
            continue
        sources.append(Source(shown, text))
    return sources


# -- progress ---------------------------------------------------------------------------------
class Progress:
    """``scanning 3/10`` on stderr, rewritten in place; only on a terminal."""

    def __init__(self, total: int, stream=None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = total > 0 and self.stream.isatty()

    def update(self, done: int) -> None:
        if self.enabled:
            self.stream.write(f"\rscanning {done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _add_findings(outcome: Outcome, source: Source, findings: list[dict[str, Any]]) -> None:
    for f in findings:
        outcome.findings.append(
            {"path": source.path, "line": f["line"], "type": f["type"], "hint": f.get("hint", "")}
        )


# -- in-process ---------------------------------------------------------------------------------
def scan_local(sources: list[Source], outcome: Outcome, progress: Progress) -> None:
    from .scanner import scan_text

    for done, source in enumerate(sources, 1):
        _add_findings(outcome, source, scan_text(source.text, source.name))
        progress.update(done)


# -- through the API ----------------------------------------------------------------------------
Signer = Callable[[str, str, bytes | None, dict[str, str]], dict[str, str]]


def sigv4_signer(region: str) -> Signer:
    """Signs requests for API Gateway (service ``execute-api``) with the standard credential
    chain: environment, shared files and profiles, SSO, container or instance role."""
    try:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.session import Session
    except ImportError as exc:
        raise UsageError("signing requests needs botocore: pip install botocore") from exc
    credentials = Session().get_credentials()
    if credentials is None:
        raise UsageError(
            "no AWS credentials found to sign the request: configure some (e.g. `aws configure`"
            " or `aws sso login`, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)"
        )

    def sign(method: str, url: str, body: bytes | None, headers: dict[str, str]):
        request = AWSRequest(method=method, url=url, data=body, headers=headers)
        SigV4Auth(credentials.get_frozen_credentials(), "execute-api", region).add_auth(request)
        return dict(request.headers.items())

    return sign


class Api:
    def __init__(self, url: str, *, signer: Signer | None = None, timeout: float = 30) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise UsageError(f"--api {url!r} is not an http(s) URL")
        self.base = url.rstrip("/")
        self.timeout = timeout
        region = _API_GATEWAY_HOST.fullmatch(parts.hostname)
        self.signer = signer or (sigv4_signer(region.group(1)) if region else None)

    def call(self, method: str, path: str, body: dict | None = None, headers=None):
        """(status, parsed JSON) of one request, repeating it while throttled."""
        import urllib.error  # here: --local never pays for the HTTP stack (~40 % of imports)
        import urllib.request

        url = self.base + path
        data = json.dumps(body).encode() if body is not None else None
        wanted = {"Accept": "application/json", **(headers or {})}
        if data is not None:
            wanted["Content-Type"] = "application/json"
        for attempt in range(6):
            sent = self.signer(method, url, data, wanted) if self.signer else wanted
            request = urllib.request.Request(url, data=data, method=method, headers=sent)
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                    return response.status, _json(response.read())
            except urllib.error.HTTPError as error:
                status, payload = error.code, _json(error.read())
                if status not in _RETRIED or attempt == 5:
                    return status, payload
                time.sleep(_retry_after(error.headers.get("Retry-After"), attempt))
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise ServiceError(f"cannot reach {self.base}: {reason}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def expect(self, status: int, method: str, path: str, **kwargs) -> dict:
        got, payload = self.call(method, path, **kwargs)
        if got != status:
            raise ServiceError(f"{method} {path}: {got} {_message(payload)}")
        return payload


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _message(payload: Any) -> str:
    if isinstance(payload, dict):
        return str(payload.get("message") or payload.get("Message") or "")
    return ""


def _retry_after(header: str | None, attempt: int) -> float:
    try:
        return min(float(header), 10.0) if header else 0.5 * 2**attempt
    except ValueError:
        return 0.5 * 2**attempt


def scan_api(
    api: Api, sources: list[Source], outcome: Outcome, progress: Progress, wait: float
) -> None:
    """Submit every file, then poll until each job is finished and read its report."""
    pending: dict[str, Source] = {}
    done = 0
    for source in sources:
        # The same file content gets the same key: re-running a scan within a day replays.
        key = hashlib.sha256(f"{source.path}\n{source.text}".encode()).hexdigest()
        status, job = api.call(
            "POST",
            "/jobs",
            {"content": source.text, "name": source.name},
            {"Idempotency-Key": key},
        )
        if status == 413:
            outcome.skipped.append({"path": source.path, "reason": _message(job)})
        elif status != 202 or not isinstance(job, dict) or "job_id" not in job:
            raise ServiceError(f"POST /jobs: {status} {_message(job)}")
        else:
            pending[job["job_id"]] = source
    total = len(pending)
    deadline, delay = time.monotonic() + wait, 0.2
    while pending:
        for job_id, source in list(pending.items()):
            job = api.expect(200, "GET", f"/jobs/{job_id}")
            if job.get("status") not in _TERMINAL:
                continue
            del pending[job_id]
            done += 1
            progress.update(done)
            if job["status"] == "failed":
                outcome.errors.append(
                    {"path": source.path, "message": "the service could not scan it"}
                )
                continue
            report = api.expect(200, "GET", f"/jobs/{job_id}/report")
            _add_findings(outcome, source, report.get("findings") or [])
        if pending:
            if time.monotonic() > deadline:
                raise ServiceError(
                    f"{len(pending)} of {total} jobs still unfinished after {wait:g} s"
                )
            time.sleep(delay)
            delay = min(delay * 1.5, 2.0)


# -- output ---------------------------------------------------------------------------------------
def render(outcome: Outcome, fmt: str) -> str:
    outcome.findings.sort(key=lambda f: (f["path"], f["line"], f["type"]))
    if fmt == "json":
        return (
            json.dumps(
                {
                    "findings": outcome.findings,
                    "skipped": outcome.skipped,
                    "errors": outcome.errors,
                },
                indent=2,
            )
            + "\n"
        )
    return "".join(f"{f['path']}:{f['line']}: {f['type']} {f['hint']}\n" for f in outcome.findings)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to scan")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--api",
        metavar="URL",
        default=os.environ.get(contract.SECURITY_ASSISTANT_API_URL) or None,
        help=f"the jobs API's base URL (default ${API_URL_ENV}); API Gateway endpoints "
        "are called with SigV4-signed requests",
    )
    where.add_argument("--local", action="store_true", help="scan in-process, offline (no service)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--wait",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="how long to wait for the service's reports (default 300)",
    )


def run(args: argparse.Namespace) -> int:
    outcome = Outcome()
    try:
        if not args.local and not args.api:
            raise UsageError(f"say where to scan: --api URL (or set {API_URL_ENV}) or --local")
        if args.wait <= 0:
            raise UsageError("--wait must be a positive number of seconds")
        api = None if args.local else Api(args.api)
        sources = collect(args.paths, DEFAULT_MAX_CONTENT_BYTES, outcome)
        progress = Progress(len(sources))
        try:
            if api is None:
                scan_local(sources, outcome, progress)
            else:
                scan_api(api, sources, outcome, progress, args.wait)
        finally:
            progress.close()
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return ERROR
    except ServiceError as exc:
        outcome.errors.append({"path": "", "message": str(exc)})
    for skipped in outcome.skipped:
        print(f"note: {skipped['path']}: skipped, {skipped['reason']}", file=sys.stderr)
    for error in outcome.errors:
        where = f"{error['path']}: " if error["path"] else ""
        print(f"error: {where}{error['message']}", file=sys.stderr)
    sys.stdout.write(render(outcome, args.format))
    return outcome.exit_code
