"""Unit tests of the file-system backend (STORAGE_MODE=local)."""

from __future__ import annotations

import threading

import pytest
from sa_events import FIXED_JOB_ID
from security_assistant.models import DONE, FAILED, QUEUED, RUNNING, Job, new_job_id
from security_assistant.storage import InputMissingError, JobExistsError


def test_input_round_trip_and_layout(local_storage, data_dir):
    job_id = new_job_id()
    local_storage.put_input(job_id, "héllo\n".encode())
    assert local_storage.get_input(job_id) == "héllo\n".encode()
    assert (data_dir / "inputs" / job_id).read_bytes() == "héllo\n".encode()


def test_missing_input_raises(local_storage):
    with pytest.raises(InputMissingError):
        local_storage.get_input(new_job_id())


@pytest.mark.parametrize("bad", ["../etc/passwd", "", "x" * 36, "A" * 8, FIXED_JOB_ID.upper()])
def test_ids_that_are_not_job_ids_never_touch_the_file_system(local_storage, bad):
    with pytest.raises(ValueError):
        local_storage.put_input(bad, b"x")
    with pytest.raises(ValueError):
        local_storage.get_job(bad)


def test_create_job_is_create_only(local_storage):
    job = Job.new(new_job_id(), name="a.txt", correlation_id="c-1")
    local_storage.create_job(job)
    with pytest.raises(JobExistsError):
        local_storage.create_job(Job.new(job.job_id, name="other", correlation_id=None))
    stored = local_storage.get_job(job.job_id)
    assert stored.name == "a.txt"
    assert stored.status == QUEUED
    assert stored.correlation_id == "c-1"
    assert stored.expires_at > 0


def test_unknown_job_is_none(local_storage):
    assert local_storage.get_job(new_job_id()) is None


def test_transition_is_conditional_on_status(local_storage):
    job = Job.new(new_job_id(), name=None, correlation_id=None)
    local_storage.create_job(job)
    assert local_storage.transition(job.job_id, RUNNING, allowed_from=(QUEUED,))
    assert not local_storage.transition(job.job_id, RUNNING, allowed_from=(QUEUED,))
    assert local_storage.transition(
        job.job_id, DONE, allowed_from=(QUEUED, RUNNING), finding_count=3
    )
    # A finished job never moves back.
    assert not local_storage.transition(job.job_id, FAILED, allowed_from=(QUEUED, RUNNING))
    stored = local_storage.get_job(job.job_id)
    assert (stored.status, stored.finding_count) == (DONE, 3)


def test_transition_of_unknown_job_is_false(local_storage):
    assert not local_storage.transition(new_job_id(), DONE, allowed_from=(QUEUED,))


def test_concurrent_transitions_have_exactly_one_winner(local_storage):
    job = Job.new(new_job_id(), name=None, correlation_id=None)
    local_storage.create_job(job)
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def finish() -> None:
        barrier.wait()
        results.append(local_storage.transition(job.job_id, DONE, allowed_from=(QUEUED,)))

    threads = [threading.Thread(target=finish) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 7 + [True]


def test_report_is_create_only(local_storage):
    job_id = new_job_id()
    assert local_storage.get_report(job_id) is None
    assert local_storage.put_report(job_id, {"findings": [1]}) is True
    assert local_storage.put_report(job_id, {"findings": [2]}) is False
    assert local_storage.get_report(job_id) == {"findings": [1]}


def test_idempotency_claim(local_storage, data_dir):
    first, second = new_job_id(), new_job_id()
    assert local_storage.claim_idempotency_key("ab12", first, "h1", 60) is None
    claim = local_storage.claim_idempotency_key("ab12", second, "h2", 60)
    assert (claim.job_id, claim.body_hash) == (first, "h1")
    # Kept beside the job records, under a key that can never be a job id.
    assert (data_dir / "jobs" / "idempotency#ab12.json").exists()


def test_expired_idempotency_claim_is_replaced(local_storage):
    first, second = new_job_id(), new_job_id()
    assert local_storage.claim_idempotency_key("cd34", first, "h1", -1) is None
    assert local_storage.claim_idempotency_key("cd34", second, "h2", 60) is None
    assert local_storage.claim_idempotency_key("cd34", first, "h1", 60).job_id == second


def test_no_temp_files_left_behind(local_storage, data_dir):
    job_id = new_job_id()
    local_storage.put_input(job_id, b"x")
    local_storage.put_report(job_id, {})
    local_storage.put_report(job_id, {})
    leftovers = [p for p in data_dir.rglob(".tmp-*")]
    assert leftovers == []
