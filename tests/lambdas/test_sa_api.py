"""ApiFunction handler tests with realistic API Gateway REST proxy events."""

from __future__ import annotations

import json

import pytest
from sa_events import (
    FIXED_JOB_ID,
    PASSWORD,
    ROLE,
    SECRET_CONTENT,
    SECRET_VALUES,
    FakeContext,
    api_event,
    header,
    post_job,
    response_json,
)
from security_assistant import api
from security_assistant.models import QUEUED, Job, is_job_id, new_job_id
from security_assistant.storage.local import LocalStorage


def call(event):
    return api.handler(event, FakeContext())


def submit(content="hello\n", **kwargs):
    response = call(post_job(content, **kwargs))
    assert response["statusCode"] == 202, response
    return response


def test_health():
    response = call(api_event("GET", "/health"))
    assert response["statusCode"] == 200
    assert response_json(response) == {"status": "ok"}
    assert header(response, "Content-Type") == "application/json"


def test_submit_inline_returns_202_location_and_done_job():
    response = submit(SECRET_CONTENT, name="deploy.env")
    body = response_json(response)
    assert set(body) == {"job_id", "status"}
    assert is_job_id(body["job_id"])
    assert body["status"] == "done"  # no QUEUE_URL: processed inline
    # Location keeps the stage prefix the client used.
    assert header(response, "Location") == f"/staging/jobs/{body['job_id']}"

    job = call(api_event("GET", f"/jobs/{body['job_id']}"))
    assert job["statusCode"] == 200
    job_body = response_json(job)
    assert job_body["job_id"] == body["job_id"]
    assert job_body["status"] == "done"
    assert job_body["name"] == "deploy.env"
    assert job_body["finding_count"] == 3
    assert set(job_body) >= {"created_at", "updated_at"}

    report = call(api_event("GET", f"/jobs/{body['job_id']}/report"))
    assert report["statusCode"] == 200
    report_body = response_json(report)
    assert report_body["job_id"] == body["job_id"]
    assert [(f["type"], f["line"]) for f in report_body["findings"]] == [
        ("AWS Access Key", 2),
        ("Secret Keyword", 4),
        ("Private Key", 5),
    ]
    assert all(f["hint"].endswith("…") for f in report_body["findings"])


def test_no_secret_value_in_report_logs_metrics_or_job_records(
    capsys, log_output, data_dir, monkeypatch
):
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    response = submit(SECRET_CONTENT, name="deploy.env")
    job_id = response_json(response)["job_id"]
    report = call(api_event("GET", f"/jobs/{job_id}/report"))["body"]
    job = call(api_event("GET", f"/jobs/{job_id}"))["body"]
    stdout = capsys.readouterr().out  # EMF metrics are printed to stdout
    logs = log_output.getvalue()
    assert '"JobsSubmitted"' in stdout and "job done" in logs  # we did capture them
    stored = [
        p.read_text(errors="replace")
        for p in data_dir.rglob("*")
        if p.is_file() and "inputs" not in p.parts
    ]
    for secret in SECRET_VALUES:
        for where, text in [("report", report), ("job", job), ("metrics", stdout), ("logs", logs)]:
            assert secret not in text, f"secret leaked into {where}"
            assert json.dumps(secret)[1:-1] not in text, f"secret leaked into {where}"
        assert all(secret not in text for text in stored)
    # The input itself is stored (that is the service), only under inputs/.
    assert PASSWORD in (data_dir / "inputs" / job_id).read_text()


def test_idempotent_replay_returns_same_job():
    headers = {"Idempotency-Key": "order-42"}
    first = submit("a = 1\n", headers=headers)
    second = submit("a = 1\n", headers=headers)
    assert response_json(first) == response_json(second)
    assert header(second, "Location") == header(first, "Location")
    assert header(second, "Idempotent-Replayed") == "true"
    other = submit("a = 1\n", headers={"Idempotency-Key": "order-43"})
    assert response_json(other)["job_id"] != response_json(first)["job_id"]


def test_idempotency_key_reused_with_other_body_is_400():
    headers = {"Idempotency-Key": "order-44"}
    submit("a = 1\n", headers=headers)
    response = call(post_job("a = 2\n", headers=headers))
    assert response["statusCode"] == 400
    assert "Idempotency-Key" in response_json(response)["message"]


@pytest.mark.parametrize("key", ["", " padded ", "x" * 256, "caf\u00e9", "a\tb"])
def test_malformed_idempotency_key_is_400(key):
    response = call(post_job("a\n", headers={"Idempotency-Key": key}))
    assert response["statusCode"] == 400
    assert "Idempotency-Key" in response_json(response)["message"]


def test_header_names_are_case_insensitive():
    event = api_event(
        "POST",
        "/jobs",
        body=json.dumps({"content": "x"}),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert call(event)["statusCode"] == 202


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "json"],
)
def test_not_json_is_415(content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    event = api_event("POST", "/jobs", body=json.dumps({"content": "x"}), headers=headers)
    response = call(event)
    assert response["statusCode"] == 415
    assert response_json(response) == {"message": "Content-Type must be application/json"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "request body is not valid JSON"),
        ("{", "request body is not valid JSON"),
        ("[" * 100_000, "request body is not valid JSON"),
        ('["content"]', "request body must be a JSON object"),
        ('"content"', "request body must be a JSON object"),
        ("{}", "'content' must be a non-empty string"),
        ('{"content": ""}', "'content' must be a non-empty string"),
        ('{"content": 42}', "'content' must be a non-empty string"),
        ('{"content": null}', "'content' must be a non-empty string"),
        ('{"content": ["a"]}', "'content' must be a non-empty string"),
        ('{"content": "\\ud800"}', "'content' is not valid Unicode"),
        ('{"content": "x", "name": 3}', "'name' must be a string of 1 to 255 characters"),
        ('{"content": "x", "name": ""}', "'name' must be a string of 1 to 255 characters"),
        ('{"content": "x", "name": "a\\nb"}', "'name' must not contain control characters"),
        ('{"content": "x", "name": "\\ud800"}', "'name' must not contain control characters"),
        ('{"content": "x", "extra": 1}', "unknown fields: extra"),
    ],
)
def test_bad_bodies_are_400(body, message):
    event = api_event("POST", "/jobs", body=body, headers={"Content-Type": "application/json"})
    response = call(event)
    assert response["statusCode"] == 400
    assert response_json(response) == {"message": message}


def test_invalid_base64_body_is_400():
    event = api_event("POST", "/jobs", body="%%%", headers={"Content-Type": "application/json"})
    event["isBase64Encoded"] = True
    response = call(event)
    assert response["statusCode"] == 400
    assert response_json(response) == {"message": "request body is not valid base64"}


def test_base64_body_is_accepted():
    event = api_event(
        "POST",
        "/jobs",
        body=json.dumps({"content": "x = 1"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert event["isBase64Encoded"] is True
    assert call(event)["statusCode"] == 202


def test_content_over_limit_is_413(monkeypatch):
    monkeypatch.setenv("MAX_CONTENT_BYTES", "10")
    assert call(post_job("x" * 10))["statusCode"] == 202
    response = call(post_job("é" * 6))  # 12 bytes in UTF-8
    assert response["statusCode"] == 413
    assert response_json(response) == {"message": "content is larger than 10 bytes"}


def test_huge_body_is_413_before_parsing(monkeypatch):
    monkeypatch.setenv("MAX_CONTENT_BYTES", "10")
    body = "{" + " " * 100_000  # not even JSON: refused on size alone
    event = api_event("POST", "/jobs", body=body, headers={"Content-Type": "application/json"})
    assert call(event)["statusCode"] == 413


def test_default_limit_is_256_kib():
    # 4096 lines of 64 bytes: at the limit in a shape the scanner gets through quickly (one
    # 256 KiB line costs it several times more; tests/lambdas/test_sa_scanner.py scans those).
    at_limit = ("x" * 63 + "\n") * 4096
    assert len(at_limit.encode()) == 262_144
    assert call(post_job(at_limit))["statusCode"] == 202
    assert call(post_job(at_limit + "x"))["statusCode"] == 413


@pytest.mark.parametrize(
    "job_id",
    # fixed values: test ids must be the same in every pytest-xdist worker
    ["abc", "not-a-uuid", FIXED_JOB_ID.upper(), FIXED_JOB_ID + "0", "1" * 36, "%2e%2e"],
)
def test_malformed_job_id_is_400(job_id):
    for path in (f"/jobs/{job_id}", f"/jobs/{job_id}/report"):
        response = call(api_event("GET", path))
        assert response["statusCode"] == 400, path
        assert response_json(response) == {"message": "job id must be a lower-case UUID"}


def test_unknown_job_is_404():
    for path in (f"/jobs/{new_job_id()}", f"/jobs/{new_job_id()}/report"):
        response = call(api_event("GET", path))
        assert response["statusCode"] == 404
        assert response_json(response) == {"message": "job not found"}


def test_report_of_unfinished_job_is_409(data_dir):
    job = Job.new(new_job_id(), name=None, correlation_id=None, owner=ROLE)
    LocalStorage(data_dir).create_job(job)
    response = call(api_event("GET", f"/jobs/{job.job_id}/report"))
    assert response["statusCode"] == 409
    assert response_json(response) == {"message": f"report not ready (job is {QUEUED})"}


def test_report_of_failed_job_is_409(data_dir):
    storage = LocalStorage(data_dir)
    job = Job.new(new_job_id(), name=None, correlation_id=None, owner=ROLE)
    storage.create_job(job)
    storage.transition(job.job_id, "failed", allowed_from=(QUEUED,))
    response = call(api_event("GET", f"/jobs/{job.job_id}/report"))
    assert response["statusCode"] == 409
    assert response_json(response) == {"message": "job failed; no report"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/nope"), ("DELETE", "/jobs"), ("GET", "/jobs"), ("PUT", "/health")],
)
def test_unknown_route_is_404(method, path):
    response = call(api_event(method, path))
    assert response["statusCode"] == 404
    assert response_json(response) == {"message": "Not found"}


def test_submit_with_queue_enqueues_and_stays_queued(monkeypatch):
    sent = []

    class FakeQueue:
        def send(self, job_id, correlation_id=None):
            sent.append((job_id, correlation_id))

    monkeypatch.setattr("security_assistant.storage.get_queue", lambda settings: FakeQueue())
    event = post_job("x = 1\n")
    response = call(event)
    body = response_json(response)
    assert response["statusCode"] == 202
    assert body["status"] == "queued"
    assert sent == [(body["job_id"], event["requestContext"]["requestId"])]
    report = call(api_event("GET", f"/jobs/{body['job_id']}/report"))
    assert report["statusCode"] == 409


def test_storage_fault_is_a_json_500_without_details(monkeypatch):
    def broken(settings):
        raise RuntimeError("disk on fire /secret/path")

    monkeypatch.setattr("security_assistant.storage.get_storage", broken)
    response = call(api_event("GET", f"/jobs/{new_job_id()}"))
    assert response["statusCode"] == 500
    assert response_json(response) == {"message": "Internal server error"}


def test_replay_of_a_job_never_enqueued_enqueues_it_again(monkeypatch):
    sent = []

    class FlakyQueue:
        def send(self, job_id, correlation_id=None):
            sent.append(job_id)
            if len(sent) == 1:
                raise ConnectionError("SQS unreachable")

    monkeypatch.setattr("security_assistant.storage.get_queue", lambda settings: FlakyQueue())
    headers = {"Idempotency-Key": "retry-me"}
    first = call(post_job("x = 1\n", headers=headers))
    assert first["statusCode"] == 503  # a server fault; the client retries with the same key
    assert header(first, "Retry-After") == "2"
    second = call(post_job("x = 1\n", headers=headers))
    assert second["statusCode"] == 202
    body = response_json(second)
    assert body["status"] == QUEUED
    assert sent == [body["job_id"], body["job_id"]]
