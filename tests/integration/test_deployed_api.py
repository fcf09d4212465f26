"""Integration tests against a deployed API (the staging deploy job sets API_URL).

Real HTTP with urllib, checking the Jobs API contract of docs/architecture: health, submit,
poll until done, the report never holds a full secret, 404/400 for unknown/malformed ids.
Skipped unless API_URL is set, e.g. API_URL=https://<id>.execute-api.eu-west-2.amazonaws.com/staging/
(or the local server: `python -m security_assistant serve`, API_URL=http://127.0.0.1:3000/).

Requests to an API Gateway endpoint are SigV4-signed with the standard AWS credential chain
(the deploy job's role, which needs the stack's ApiInvokePolicyArn), as the client signs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urljoin

import pytest
from security_assistant import client

API_URL = os.environ.get("API_URL", "")
POLL_SECONDS = float(os.environ.get("INTEGRATION_POLL_SECONDS", "90"))

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not API_URL, reason="API_URL is not set (no deployed API to test)"),
]

# A fake AWS access key id, assembled so that secret scanners do not flag this file.
FAKE_KEY = "AKIA" + "IOSFODNN7" + "EXAMPLE"
CONTENT = f"[default]\nregion = eu-west-2\naws_access_key_id = {FAKE_KEY}\n"


def _signer():
    """SigV4 for an API Gateway endpoint (None for another URL), created on first use."""
    if not hasattr(_signer, "value"):
        _signer.value = client.Api(API_URL).signer
    return _signer.value


def call(method: str, path: str, body: dict | None = None, headers: dict | None = None, sign=True):
    """(status, headers, parsed JSON body) of one request; HTTP errors are results too."""
    url = urljoin(API_URL if API_URL.endswith("/") else API_URL + "/", path.lstrip("/"))
    data = json.dumps(body).encode() if body is not None else None
    wanted = dict(headers or {})
    if data is not None:
        wanted["Content-Type"] = "application/json"
    if sign and _signer():
        wanted = _signer()(method, url, data, wanted)
    request = urllib.request.Request(url, data=data, method=method, headers=wanted)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, head, raw = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, head, raw = error.code, dict(error.headers), error.read()
    return status, head, json.loads(raw) if raw else None


def submit(content: str = CONTENT) -> tuple[str, dict]:
    status, headers, body = call("POST", "jobs", {"content": content, "name": "integration"})
    assert status == 202, body
    assert body["status"] in ("queued", "running", "done")
    return body["job_id"], headers


def wait_done(job_id: str) -> dict:
    deadline = time.monotonic() + POLL_SECONDS
    while True:
        status, _, job = call("GET", f"jobs/{job_id}")
        assert status == 200, job
        if job["status"] in ("done", "failed"):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} still {job['status']} after {POLL_SECONDS} s")
        time.sleep(2)


def test_health_is_open():
    status, _, body = call("GET", "health", sign=False)
    assert (status, body) == (200, {"status": "ok"})


def test_unsigned_requests_are_refused_with_a_json_message():
    if _signer() is None:
        pytest.skip("API_URL is not an API Gateway endpoint (no IAM authorization in front)")
    for method, path in (("POST", "jobs"), ("GET", f"jobs/{uuid.uuid4()}")):
        status, _, body = call(
            method, path, {"content": "x"} if method == "POST" else None, sign=False
        )
        assert status == 403 and "SigV4" in body["message"], (method, path, body)


def test_the_client_scans_through_the_api(tmp_path):
    leak = tmp_path / "settings.ini"
    leak.write_text(CONTENT)
    result = subprocess.run(
        [sys.executable, "-m", "security_assistant", "scan", "--api", API_URL, str(leak)],
        capture_output=True,
        text=True,
        timeout=POLL_SECONDS + 60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{leak}:3: ")
    assert FAKE_KEY not in result.stdout


def test_submit_returns_202_with_location():
    job_id, headers = submit()
    location = {k.lower(): v for k, v in headers.items()}.get("location", "")
    assert location.rstrip("/").endswith(f"/jobs/{job_id}")


def test_job_completes_and_report_has_no_full_secret():
    job_id, _ = submit()
    job = wait_done(job_id)
    assert job["status"] == "done", job
    assert job["job_id"] == job_id
    status, _, report = call("GET", f"jobs/{job_id}/report")
    assert status == 200, report
    assert report["job_id"] == job_id
    assert report["findings"], "the fake AWS key was not found"
    assert all({"type", "line"} <= set(f) for f in report["findings"])
    assert FAKE_KEY not in json.dumps(report)


def test_unknown_job_is_404_with_a_message():
    status, _, body = call("GET", f"jobs/{uuid.uuid4()}")
    assert status == 404 and body["message"]


def test_malformed_job_id_is_400_with_a_message():
    status, _, body = call("GET", "jobs/not-a-job-id")
    assert status == 400 and body["message"]


def test_malformed_submission_is_400_not_5xx():
    status, _, body = call("POST", "jobs", {"name": "no content"})
    assert status == 400 and body["message"]
