"""Nothing stuck: leases, replays of stalled jobs, scan budgets, failed enqueues, throttling."""

from __future__ import annotations

import pytest
from sa_events import (
    ROLE,
    FakeContext,
    api_event,
    header,
    post_job,
    response_json,
    sqs_event,
    sqs_record,
)
from security_assistant import api, worker
from security_assistant.jobs import EnqueueError, process_job, submit
from security_assistant.models import DONE, FAILED, QUEUED, RUNNING


class ListQueue:
    def __init__(self, fail: bool = False):
        self.sent, self.fail = [], fail

    def send(self, job_id, correlation_id=None):
        self.sent.append(job_id)
        if self.fail:
            raise ConnectionError("SQS unreachable")


def _expire_lease(storage, job_id, status):
    assert storage.transition(job_id, status, allowed_from=(QUEUED, RUNNING), lease_until=1)


def test_replays_of_a_queued_job_enqueue_at_most_once_per_lease(local_storage):
    queue = ListQueue()
    job, _ = submit(local_storage, queue, content="a = 1\n", idempotency_key="k")
    for _ in range(10):
        assert (
            submit(local_storage, queue, content="a = 1\n", idempotency_key="k")[0].status == QUEUED
        )
    assert queue.sent == [job.job_id]  # the lease (60 s) has not expired

    _expire_lease(local_storage, job.job_id, QUEUED)
    for _ in range(10):
        submit(local_storage, queue, content="a = 1\n", idempotency_key="k")
    assert queue.sent == [job.job_id, job.job_id]  # once for the expired lease, not ten times


def test_a_running_job_whose_holder_died_is_taken_up_by_a_replay(local_storage):
    job, _ = submit(
        local_storage, ListQueue(), content="password = 'hunter2hunter2'\n", idempotency_key="k"
    )
    local_storage.transition(job.job_id, RUNNING, allowed_from=(QUEUED,))  # then a kill -9

    # Within its lease the job may still be running somewhere: a replay leaves it alone.
    assert (
        submit(local_storage, None, content="password = 'hunter2hunter2'\n", idempotency_key="k")[
            0
        ].status
        == RUNNING
    )

    _expire_lease(local_storage, job.job_id, RUNNING)
    replayed, created = submit(
        local_storage, None, content="password = 'hunter2hunter2'\n", idempotency_key="k"
    )
    assert (created, replayed.status, replayed.finding_count) == (False, DONE, 1)


def test_take_lease_has_one_winner(local_storage):
    job, _ = submit(local_storage, ListQueue(), content="x\n")
    _expire_lease(local_storage, job.job_id, QUEUED)
    wins = [
        local_storage.take_lease(job.job_id, allowed_from=(QUEUED,), now=100, until=200)
        for _ in range(3)
    ]
    assert wins == [True, False, False]
    assert not local_storage.take_lease(job.job_id, allowed_from=(DONE,), now=300, until=400)


def test_a_failed_enqueue_without_a_key_fails_the_job_visibly(local_storage):
    queue = ListQueue(fail=True)
    with pytest.raises(EnqueueError) as raised:
        submit(local_storage, queue, content="x\n")
    job = local_storage.get_job(str(raised.value))
    assert job.status == FAILED and job.error.startswith("enqueue_failed")
    assert job.public()["error"].startswith("enqueue_failed")


def test_a_failed_enqueue_with_a_key_is_retried_by_the_replay(local_storage):
    with pytest.raises(EnqueueError):
        submit(local_storage, ListQueue(fail=True), content="x\n", idempotency_key="k")
    queue = ListQueue()
    job, created = submit(local_storage, queue, content="x\n", idempotency_key="k")
    assert (created, job.status, queue.sent) == (False, QUEUED, [job.job_id])


def test_a_scan_over_budget_fails_the_job_with_its_reason(local_storage):
    content = "password = 'hunter2hunter2'\n"
    job, _ = submit(local_storage, ListQueue(), content=content, owner=ROLE)
    assert (
        process_job(local_storage, job.job_id, final_attempt=False, scan_budget_seconds=0)
        == "failed"
    )
    failed = local_storage.get_job(job.job_id)
    assert failed.status == FAILED
    assert failed.error.startswith("scan_timeout: the input could not be scanned within 0 s")
    response = api.handler(api_event("GET", f"/jobs/{job.job_id}/report"), FakeContext())
    assert response["statusCode"] == 409
    assert "scan_timeout" in response_json(response)["message"]


class ShortContext(FakeContext):
    def __init__(self, left_ms):
        super().__init__(function_name="worker")
        self.left_ms = left_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.left_ms


def test_worker_does_not_start_a_scan_it_has_no_time_for(local_storage, monkeypatch):
    monkeypatch.setenv("SCAN_BUDGET_SECONDS", "20")
    job, _ = submit(local_storage, ListQueue(), content="a = 1\n")
    event = sqs_event(sqs_record({"job_id": job.job_id}, message_id="m1"))
    result = worker.handler(event, ShortContext(left_ms=20_000))  # 20 s - 5 s margin < 20 s
    assert result == {"batchItemFailures": [{"itemIdentifier": "m1"}]}
    assert local_storage.get_job(job.job_id).status == QUEUED  # untouched: redelivered later

    assert worker.handler(event, ShortContext(left_ms=26_000)) == {"batchItemFailures": []}
    assert local_storage.get_job(job.job_id).status == DONE


def test_worker_fails_a_job_over_budget_and_keeps_its_message_out_of_the_dlq(
    local_storage, monkeypatch
):
    monkeypatch.setattr(worker, "SAFETY_MARGIN_MS", 0)
    monkeypatch.setenv("SCAN_BUDGET_SECONDS", "1")
    from security_assistant import scanner

    def slow(*args, deadline=None, **kwargs):
        raise scanner.ScanTimeoutError("scan did not finish in its time budget")

    monkeypatch.setattr(scanner, "scan_text", slow)
    job, _ = submit(local_storage, ListQueue(), content="a = 1\n")
    event = sqs_event(sqs_record({"job_id": job.job_id}, message_id="m1"))
    assert worker.handler(event, ShortContext(left_ms=60_000)) == {"batchItemFailures": []}
    assert local_storage.get_job(job.job_id).error.startswith("scan_timeout")


@pytest.mark.parametrize(
    "code",
    ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"],
)
def test_throttling_is_a_503_with_retry_after(monkeypatch, code):
    from botocore.exceptions import ClientError

    class Throttled:
        def get_job(self, job_id):
            raise ClientError({"Error": {"Code": code, "Message": "slow down"}}, "GetItem")

    monkeypatch.setattr("security_assistant.storage.get_storage", lambda settings: Throttled())
    response = api.handler(
        api_event("GET", "/jobs/3f1c8a0e-8f3b-4c1e-9a4b-2d5e6f7a8b9c"), FakeContext()
    )
    assert response["statusCode"] == 503
    assert header(response, "Retry-After") == "2"
    assert response_json(response) == {"message": "the service is busy; retry later"}


def test_other_aws_errors_stay_500(monkeypatch):
    from botocore.exceptions import ClientError

    class Broken:
        def get_job(self, job_id):
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "GetItem")

    monkeypatch.setattr("security_assistant.storage.get_storage", lambda settings: Broken())
    response = api.handler(
        api_event("GET", "/jobs/3f1c8a0e-8f3b-4c1e-9a4b-2d5e6f7a8b9c"), FakeContext()
    )
    assert response["statusCode"] == 500
    assert header(response, "Retry-After") is None


def test_post_with_a_failed_enqueue_is_a_503(monkeypatch):
    monkeypatch.setattr(
        "security_assistant.storage.get_queue", lambda settings: ListQueue(fail=True)
    )
    response = api.handler(post_job("x = 1\n"), FakeContext())
    assert response["statusCode"] == 503
    assert header(response, "Retry-After") == "2"


@pytest.mark.e2e
@pytest.mark.xdist_group("moto")  # with test_sa_e2e.py: one moto server
def test_take_lease_on_dynamodb(dev_env):
    from security_assistant.models import Job, new_job_id
    from security_assistant.storage.aws import AwsStorage

    storage = AwsStorage(dev_env["bucket"], dev_env["table"])
    job = Job.new(new_job_id(), name=None, correlation_id=None, lease_seconds=60)
    storage.create_job(job)
    until = job.lease_until
    assert not storage.take_lease(job.job_id, allowed_from=(QUEUED,), now=until - 1, until=0)
    assert storage.take_lease(job.job_id, allowed_from=(QUEUED,), now=until, until=until + 60)
    assert not storage.take_lease(job.job_id, allowed_from=(QUEUED,), now=until, until=until + 99)
    assert not storage.take_lease(job.job_id, allowed_from=(DONE,), now=until + 60, until=0)
    assert storage.get_job(job.job_id).lease_until == until + 60


def _starts_jobs_in_one_write(storage):
    from security_assistant.models import Job, new_job_id

    job = Job.new(new_job_id(), name="a.env", correlation_id=None)
    storage.create_job(job)
    started = storage.start_job(job.job_id, lease_until=123)
    assert (started.status, started.lease_until, started.name) == (RUNNING, 123, "a.env")
    again = storage.start_job(job.job_id, lease_until=456)  # a redelivery takes it up again
    assert (again.status, again.lease_until) == (RUNNING, 456)
    assert storage.transition(job.job_id, DONE, allowed_from=(RUNNING,))
    finished = storage.start_job(job.job_id, lease_until=789)  # returned as it is, unchanged
    assert (finished.status, finished.lease_until) == (DONE, 456)
    assert storage.get_job(job.job_id) == finished
    assert storage.start_job(new_job_id(), lease_until=1) is None


def test_start_job_locally(local_storage):
    _starts_jobs_in_one_write(local_storage)


@pytest.mark.e2e
@pytest.mark.xdist_group("moto")  # with test_sa_e2e.py: one moto server
def test_start_job_on_dynamodb(dev_env):
    from security_assistant.storage.aws import AwsStorage

    _starts_jobs_in_one_write(AwsStorage(dev_env["bucket"], dev_env["table"]))
