"""Who sees what, through the real handler with events as API Gateway sends them behind IAM
authorization: jobs belong to their submitter, Idempotency-Keys are per principal, and a
request without a caller identity is refused."""

from __future__ import annotations

import json

import pytest
from sa_events import (
    OTHER_USER,
    ROLE,
    ROLE_SESSION,
    SECRET_CONTENT,
    FakeContext,
    api_event,
    post_job,
    response_json,
)
from security_assistant import api
from security_assistant.principals import principal
from security_assistant.storage.local import LocalStorage

SECOND_SESSION = ROLE_SESSION.replace("GitHubActions-1", "GitHubActions-2")


def call(event):
    return api.handler(event, FakeContext())


def submit(caller=ROLE_SESSION, headers=None, content=SECRET_CONTENT) -> str:
    response = call(post_job(content, caller=caller, headers=headers))
    assert response["statusCode"] == 202, response
    return response_json(response)["job_id"]


@pytest.mark.parametrize(
    ("user_arn", "expected"),
    [
        (ROLE_SESSION, ROLE),
        ("arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice"),
        ("arn:aws:iam::123456789012:root", "arn:aws:iam::123456789012:root"),
        (
            "arn:aws-us-gov:sts::123456789012:assumed-role/deployer/i-0abc@example.com",
            "arn:aws-us-gov:sts::123456789012:assumed-role/deployer",
        ),
        (
            "arn:aws:sts::123456789012:federated-user/bob",
            "arn:aws:sts::123456789012:federated-user/bob",
        ),
        (None, None),
        ("", None),
        ("  ", None),
        (7, None),
    ],
)
def test_principal_is_the_user_or_role_not_the_session(user_arn, expected):
    event = api_event("GET", "/health")
    event["requestContext"]["identity"]["userArn"] = user_arn
    assert principal(event) == expected


@pytest.mark.parametrize("context", [None, {}, {"identity": None}, {"identity": "x"}])
def test_principal_of_a_malformed_context_is_none(context):
    assert principal({"requestContext": context}) is None


def test_owner_reads_its_job_and_report_from_any_session(data_dir):
    job_id = submit()
    assert LocalStorage(data_dir).get_job(job_id).owner == ROLE  # stored with the job
    for caller in (ROLE_SESSION, SECOND_SESSION):
        job = call(api_event("GET", f"/jobs/{job_id}", caller=caller))
        assert job["statusCode"] == 200 and response_json(job)["status"] == "done"
        report = call(api_event("GET", f"/jobs/{job_id}/report", caller=caller))
        assert report["statusCode"] == 200 and response_json(report)["findings"]


def test_another_principal_gets_404_as_for_an_unknown_job(data_dir):
    job_id = submit()
    unknown = "00000000-0000-4000-8000-000000000000"
    for suffix in ("", "/report"):
        theirs = call(api_event("GET", f"/jobs/{job_id}{suffix}", caller=OTHER_USER))
        missing = call(api_event("GET", f"/jobs/{unknown}{suffix}", caller=OTHER_USER))
        assert theirs["statusCode"] == missing["statusCode"] == 404
        assert response_json(theirs) == response_json(missing) == {"message": "job not found"}
        assert "finding" not in theirs["body"]


def test_a_job_without_an_owner_is_nobodys(data_dir):
    """Records from before ownership (or written by hand) are served to no one."""
    job_id = submit()
    path = data_dir / "jobs" / f"{job_id}.json"
    record = json.loads(path.read_text())
    del record["owner"]
    path.write_text(json.dumps(record))
    assert call(api_event("GET", f"/jobs/{job_id}"))["statusCode"] == 404


def test_same_idempotency_key_from_two_principals_gives_two_jobs():
    key = {"Idempotency-Key": "build-42"}
    mine = submit(headers=key)
    assert submit(caller=SECOND_SESSION, headers=key) == mine  # same role: a replay
    theirs = submit(caller=OTHER_USER, headers=key)
    assert theirs != mine
    assert call(api_event("GET", f"/jobs/{theirs}", caller=OTHER_USER))["statusCode"] == 200
    assert call(api_event("GET", f"/jobs/{theirs}"))["statusCode"] == 404


def test_a_key_reused_with_another_body_conflicts_only_for_the_same_principal():
    key = {"Idempotency-Key": "k"}
    submit(headers=key, content="one\n")
    again = call(post_job("two\n", headers=key))
    assert again["statusCode"] == 400
    submit(caller=OTHER_USER, headers=key, content="two\n")


@pytest.mark.parametrize(
    "event",
    [
        post_job("text\n", caller=None),
        api_event("GET", "/jobs/00000000-0000-4000-8000-000000000000", caller=None),
        api_event("GET", "/jobs/00000000-0000-4000-8000-000000000000/report", caller=None),
        api_event("GET", "/jobs/not-an-id", caller=None),  # refused before any validation
    ],
)
def test_no_identity_is_refused_with_403_and_logged(event, data_dir, log_output):
    response = call(event)
    assert response["statusCode"] == 403
    assert "identity" in response_json(response)["message"]
    assert not [p for p in data_dir.rglob("*") if p.is_file()]  # nothing stored
    (record,) = [
        json.loads(line)
        for line in log_output.getvalue().splitlines()
        if "without a caller identity" in line
    ]
    assert record["level"] == "ERROR"
    assert (record["method"], record["path"]) == (event["httpMethod"], event["path"])


def test_health_needs_no_identity():
    response = call(api_event("GET", "/health", caller=None))
    assert (response["statusCode"], response_json(response)) == (200, {"status": "ok"})


def test_local_serve_acts_for_one_local_principal():
    from security_assistant.local_server import build_event
    from security_assistant.principals import LOCAL_PRINCIPAL

    event = build_event("POST", "/jobs", [("Content-Type", "application/json")], b"{}")
    assert principal(event) == LOCAL_PRINCIPAL
