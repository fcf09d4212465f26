"""End-to-end tests against the dev resources (ENV=dev STORAGE_MODE=aws, inline jobs).

By default they run against a moto server on 127.0.0.1 holding the bucket and table of the
generated dev template (``infrastructure/dev/template.yaml``); see ``dev_stack`` in
conftest.py for AWS_ENDPOINT_URL and real-AWS runs.
"""

from __future__ import annotations

import json

import pytest
from sa_events import (
    OTHER_USER,
    ROLE,
    SECRET_CONTENT,
    SECRET_VALUES,
    FakeContext,
    api_event,
    header,
    post_job,
    response_json,
    sqs_event,
    sqs_record,
)
from security_assistant import api, aws_clients, worker
from security_assistant.config import Settings
from security_assistant.jobs import submit
from security_assistant.models import DONE, QUEUED, new_job_id
from security_assistant.storage import get_storage

# One worker runs every test that uses moto (xdist group `moto`): the moto server (session
# fixture) starts once, and moto loads in that worker only.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("moto")]


def call(event):
    return api.handler(event, FakeContext())


def test_uses_the_dev_template_names(dev_env):
    assert dev_env["bucket"] == "security-assistant-dev-445567098699"
    assert dev_env["table"] == "security-assistant-dev-jobs"
    settings = Settings.from_env()
    assert (settings.env, settings.storage_mode) == ("dev", "aws")
    assert (settings.bucket_name, settings.table_name) == (dev_env["bucket"], dev_env["table"])
    table = aws_clients.client("dynamodb").describe_table(TableName=dev_env["table"])["Table"]
    assert table["KeySchema"] == [{"AttributeName": "job_id", "KeyType": "HASH"}]
    ttl = aws_clients.client("dynamodb").describe_time_to_live(TableName=dev_env["table"])
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expires_at"


def test_submit_scan_and_report_inline(dev_env):
    response = call(post_job(SECRET_CONTENT, name="deploy.env"))
    assert response["statusCode"] == 202
    job_id = response_json(response)["job_id"]
    assert response_json(response)["status"] == DONE
    assert header(response, "Location") == f"/staging/jobs/{job_id}"

    job = call(api_event("GET", f"/jobs/{job_id}"))
    assert job["statusCode"] == 200
    assert response_json(job)["finding_count"] == 3

    report = call(api_event("GET", f"/jobs/{job_id}/report"))
    assert report["statusCode"] == 200
    assert [f["line"] for f in response_json(report)["findings"]] == [2, 4, 5]
    assert all(secret not in report["body"] for secret in SECRET_VALUES)

    # The S3 layout and the DynamoDB item the templates expect.
    s3 = aws_clients.client("s3")
    assert s3.get_object(Bucket=dev_env["bucket"], Key=f"inputs/{job_id}")["Body"].read() == (
        SECRET_CONTENT.encode()
    )
    stored = json.loads(
        s3.get_object(Bucket=dev_env["bucket"], Key=f"reports/{job_id}.json")["Body"].read()
    )
    assert stored == response_json(report)
    item = aws_clients.client("dynamodb").get_item(
        TableName=dev_env["table"], Key={"job_id": {"S": job_id}}
    )["Item"]
    assert item["status"] == {"S": DONE}
    assert int(item["expires_at"]["N"]) > 0


def test_errors_on_aws_backend(dev_env):
    assert call(api_event("GET", f"/jobs/{new_job_id()}"))["statusCode"] == 404
    assert call(api_event("GET", f"/jobs/{new_job_id()}/report"))["statusCode"] == 404
    assert call(api_event("GET", "/jobs/nope"))["statusCode"] == 400

    class NoQueue:
        def send(self, job_id, correlation_id=None):
            pass

    storage = get_storage(Settings.from_env())
    job, _ = submit(storage, NoQueue(), content="x = 1\n", owner=ROLE)
    assert storage.get_job(job.job_id).owner == ROLE  # the owner is in the jobs table
    other = call(api_event("GET", f"/jobs/{job.job_id}/report", caller=OTHER_USER))
    assert other["statusCode"] == 404
    response = call(api_event("GET", f"/jobs/{job.job_id}/report"))
    assert response["statusCode"] == 409
    assert response_json(response) == {"message": f"report not ready (job is {QUEUED})"}


def test_idempotency_key_in_the_jobs_table(dev_env):
    key = f"e2e-{new_job_id()}"
    first = call(post_job("token = 1\n", headers={"Idempotency-Key": key}))
    second = call(post_job("token = 1\n", headers={"Idempotency-Key": key}))
    assert first["statusCode"] == second["statusCode"] == 202
    assert response_json(first)["job_id"] == response_json(second)["job_id"]
    conflict = call(post_job("token = 2\n", headers={"Idempotency-Key": key}))
    assert conflict["statusCode"] == 400


def test_duplicate_worker_delivery_writes_one_report_version(dev_env):
    class NoQueue:
        def send(self, job_id, correlation_id=None):
            pass

    storage = get_storage(Settings.from_env())
    job, _ = submit(storage, NoQueue(), content=SECRET_CONTENT)
    record = sqs_record({"job_id": job.job_id})
    for receive_count in (1, 2, 3):
        again = dict(record, attributes={**record["attributes"]})
        again["attributes"]["ApproximateReceiveCount"] = str(receive_count)
        assert worker.handler(sqs_event(again), FakeContext()) == {"batchItemFailures": []}
    assert storage.get_job(job.job_id).status == DONE
    if dev_env["emulated"]:  # the dev bucket is versioned: one report, never overwritten
        versions = aws_clients.client("s3").list_object_versions(
            Bucket=dev_env["bucket"], Prefix=f"reports/{job.job_id}.json"
        )
        assert len(versions.get("Versions", [])) == 1
