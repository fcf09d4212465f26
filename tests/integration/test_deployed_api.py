"""Integration tests against a deployed API (the staging deploy job sets API_URL).

Real HTTP with urllib, checking the Jobs API contract of docs/architecture: health, submit,
poll until done, the report never holds a full secret, 404/400 for unknown/malformed ids.
Skipped unless API_URL is set, e.g. API_URL=https://<id>.execute-api.eu-west-2.amazonaws.com/staging/
(or the local server: `python -m security_assistant serve`, API_URL=http://127.0.0.1:3000/).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urljoin

import pytest

API_URL = os.environ.get("API_URL", "")
POLL_SECONDS = float(os.environ.get("INTEGRATION_POLL_SECONDS", "90"))

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not API_URL, reason="API_URL is not set (no deployed API to test)"),
]

# A fake AWS access key id, assembled so that secret scanners do not flag this file.
FAKE_KEY = "AKIA" + "IOSFODNN7" + "EXAMPLE"
CONTENT = f"[default]\nregion = eu-west-2\naws_access_key_id = {FAKE_KEY}\n"


def call(method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """(status, headers, parsed JSON body) of one request; HTTP errors are results too."""
    url = urljoin(API_URL if API_URL.endswith("/") else API_URL + "/", path.lstrip("/"))
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
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


def test_health():
    status, _, body = call("GET", "health")
    assert (status, body) == (200, {"status": "ok"})


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
