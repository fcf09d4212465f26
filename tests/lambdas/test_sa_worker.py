"""WorkerFunction handler tests with realistic SQS events (file-system backend)."""

from __future__ import annotations

import json

import pytest
from sa_events import SECRET_CONTENT, SECRET_VALUES, FakeContext, sqs_event, sqs_record
from security_assistant import worker
from security_assistant.jobs import submit
from security_assistant.models import DONE, FAILED, QUEUED, new_job_id
from security_assistant.observability import metrics
from security_assistant.offline import emf_totals as emitted_metrics
from security_assistant.storage.local import LocalStorage


class ListQueue:
    def __init__(self):
        self.sent = []

    def send(self, job_id, correlation_id=None):
        self.sent.append(job_id)


@pytest.fixture
def storage(data_dir):
    return LocalStorage(data_dir)


@pytest.fixture
def queued_job(storage):
    def make(content="password = 'x'\n", name=None):
        job, created = submit(storage, ListQueue(), content=content, name=name)
        assert created and job.status == QUEUED
        metrics.clear_metrics()  # keep only what the worker emits
        return job.job_id

    return make


def run(*records):
    return worker.handler(sqs_event(*records), FakeContext(function_name="worker"))


def test_good_record_finishes_job(storage, queued_job, capsys):
    job_id = queued_job(SECRET_CONTENT, name="deploy.env")
    assert run(sqs_record({"job_id": job_id})) == {"batchItemFailures": []}
    job = storage.get_job(job_id)
    assert job.status == DONE
    assert job.finding_count == 3
    report = storage.get_report(job_id)
    assert report["job_id"] == job_id
    assert [f["type"] for f in report["findings"]] == [
        "AWS Access Key",
        "Secret Keyword",
        "Private Key",
    ]
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics == {"JobsFinished": 1, "Findings": 3}


def test_duplicate_delivery_is_idempotent(storage, queued_job, data_dir, capsys):
    job_id = queued_job()
    record = sqs_record({"job_id": job_id})
    assert run(record) == {"batchItemFailures": []}
    report_path = data_dir / "reports" / f"{job_id}.json"
    first_stat = report_path.stat()
    first_job = storage.get_job(job_id)
    capsys.readouterr()

    again = dict(record, attributes={**record["attributes"], "ApproximateReceiveCount": "2"})
    assert run(again) == {"batchItemFailures": []}
    assert report_path.stat().st_ino == first_stat.st_ino
    assert report_path.stat().st_mtime_ns == first_stat.st_mtime_ns
    assert storage.get_job(job_id) == first_job
    assert emitted_metrics(capsys.readouterr().out) == {"DuplicateDeliveries": 1}
    assert len(list((data_dir / "reports").iterdir())) == 1


def test_same_job_twice_in_one_batch(storage, queued_job, capsys):
    job_id = queued_job()
    assert run(sqs_record({"job_id": job_id}), sqs_record({"job_id": job_id})) == {
        "batchItemFailures": []
    }
    assert storage.get_job(job_id).status == DONE
    metrics = emitted_metrics(capsys.readouterr().out)
    assert metrics["JobsFinished"] == 1
    assert metrics["DuplicateDeliveries"] == 1


@pytest.mark.parametrize(
    "body",
    ["not json", "", "{}", "[]", "null", '{"job_id": "x"}', '{"job_id": 7}', "[" * 50_000],
)
def test_poison_message_is_an_item_failure_and_others_still_succeed(queued_job, storage, body):
    good = queued_job()
    poison = sqs_record(body)
    response = run(sqs_record({"job_id": good}), poison)
    assert response == {"batchItemFailures": [{"itemIdentifier": poison["messageId"]}]}
    assert storage.get_job(good).status == DONE


def test_unknown_job_is_an_item_failure():
    record = sqs_record({"job_id": new_job_id()}, receive_count=3)
    assert run(record) == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}


def test_failure_before_last_attempt_leaves_job_retryable(storage, queued_job, data_dir):
    job_id = queued_job()
    (data_dir / "inputs" / job_id).unlink()
    record = sqs_record({"job_id": job_id}, receive_count=1)
    assert run(record) == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    assert storage.get_job(job_id).status not in (DONE, FAILED)


def test_last_attempt_marks_job_failed(storage, queued_job, data_dir, monkeypatch, capsys):
    monkeypatch.setenv("MAX_RECEIVE_COUNT", "5")
    job_id = queued_job()
    (data_dir / "inputs" / job_id).unlink()
    record = sqs_record({"job_id": job_id}, receive_count=4)
    assert run(record)["batchItemFailures"]
    assert storage.get_job(job_id).status not in (DONE, FAILED)
    capsys.readouterr()

    record = sqs_record({"job_id": job_id}, receive_count=5)
    assert run(record) == {"batchItemFailures": [{"itemIdentifier": record["messageId"]}]}
    job = storage.get_job(job_id)
    assert job.status == FAILED
    assert job.error == "InputMissingError"
    assert emitted_metrics(capsys.readouterr().out) == {"JobsFailed": 1}
    # A failed job stays failed (and has no report) whatever arrives later.
    assert run(sqs_record({"job_id": job_id}, receive_count=1)) == {"batchItemFailures": []}
    assert storage.get_job(job_id).status == FAILED
    assert storage.get_report(job_id) is None


def test_done_job_is_not_moved_back_on_a_late_last_attempt(storage, queued_job):
    job_id = queued_job()
    assert run(sqs_record({"job_id": job_id})) == {"batchItemFailures": []}
    assert run(sqs_record({"job_id": job_id}, receive_count=3)) == {"batchItemFailures": []}
    assert storage.get_job(job_id).status == DONE


def test_correlation_id_and_no_secret_in_worker_logs(queued_job, log_output, capsys):
    job_id = queued_job(SECRET_CONTENT)
    run(sqs_record({"job_id": job_id}, correlation_id="corr-123"))
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    done = [line for line in lines if line["message"] == "job done"]
    assert done and done[0]["correlation_id"] == "corr-123"
    assert done[0]["job_id"] == job_id
    everything = log_output.getvalue() + capsys.readouterr().out
    assert all(secret not in everything for secret in SECRET_VALUES)


def test_parse_job_id():
    job_id = new_job_id()
    assert worker.parse_job_id(json.dumps({"job_id": job_id})) == job_id
    with pytest.raises(worker.PoisonMessageError):
        worker.parse_job_id(json.dumps({"job_id": job_id.upper()}))
