"""Reliability: jobs through the queue path against moto, with duplicate messages,
redeliveries and poison messages mixed in (scenario and figures: tools/reliability.py).

100 jobs in the default run; the 1000-job run is `slow` (`pytest -m slow`, run by CI's slow job)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict
from types import SimpleNamespace

import pytest

from tools import reliability


def check(figures: reliability.Figures, jobs: int) -> None:
    print(asdict(figures))  # shown with -s / on failure
    assert figures.jobs_submitted == jobs
    assert figures.duplicate_messages_sent > 0 and figures.redeliveries > 0
    assert figures.poison_jobs > 0 and figures.poison_bodies > 0
    assert figures.lost == 0
    assert figures.finished_twice == 0
    assert figures.reports_rewritten == 0
    assert figures.done == figures.done_exactly_once == figures.good_jobs
    assert figures.duplicates_absorbed >= figures.duplicate_messages_sent
    assert figures.failed_jobs == figures.poison_jobs
    assert figures.poison_in_dlq == figures.dlq_messages
    assert figures.dlq_messages == figures.poison_jobs + figures.poison_bodies
    assert figures.good_in_dlq == 0
    assert figures.left_in_queue == 0
    assert figures.secret_leaks == 0
    assert figures.metrics["JobsSubmitted"] == jobs
    assert figures.metrics["JobsFinished"] == figures.good_jobs
    assert figures.metrics["JobsFailed"] == figures.poison_jobs
    assert figures.ok


@pytest.mark.xdist_group("moto")  # the worker that loads moto anyway (test_sa_e2e.py)
def test_hundred_jobs_none_lost_none_twice_poison_in_dlq():
    before = dict(os.environ)
    # More redeliveries than the default, so that 100 jobs still exercise every path.
    check(reliability.run(100, redelivery_rate=0.2), 100)
    assert dict(os.environ) == before  # settings are injected, not set in the environment


@pytest.mark.slow
@pytest.mark.xdist_group("moto")
def test_thousand_jobs_none_lost_none_twice_poison_in_dlq():
    jobs = int(os.environ.get("RELIABILITY_JOBS", "1000"))
    check(reliability.run(jobs), jobs)


def test_a_job_finished_twice_is_counted():
    messages = ("job done", "job done", "job already finished", "job submitted")
    logs = "\n".join(json.dumps({"message": m, "job_id": "a"}) for m in messages)
    assert reliability.outcomes(logs) == {"a": ["done", "done", "duplicate"]}


class _Pages:
    """A client whose paginators return the given pages, whatever the operation."""

    def __init__(self, *pages: dict) -> None:
        self.pages = pages

    def get_paginator(self, operation: str) -> _Pages:
        return self

    def paginate(self, **kwargs) -> tuple[dict, ...]:
        return self.pages


class _EmptyQueue:
    def receive_message(self, **kwargs) -> dict:
        return {}

    def get_queue_attributes(self, **kwargs) -> dict:
        return {"Attributes": {k: "0" for k in kwargs["AttributeNames"]}}


def test_count_finds_lost_failed_and_rewritten_jobs():
    """What the store holds decides the figures: a good job not done (or done without a
    report) is lost, a report written twice is counted, a poison job with a report or not
    failed is no failed job."""
    statuses = {"g1": "done", "g2": "running", "g3": "done", "g4": "done", "p1": "failed"}
    statuses |= {"p2": "failed", "p3": "queued"}
    table = _Pages(
        {"Items": [{"job_id": {"S": j}, "status": {"S": s}} for j, s in statuses.items()]},
        {"Items": [{"job_id": {"S": "idempotency#x"}}]},  # a record without a status
    )
    reports = ["g1", "g2", "g4", "g4", "p2"]
    bucket = _Pages({"Versions": [{"Key": f"reports/{j}.json"} for j in reports]}, {})
    deployment = reliability.Deployment(
        SimpleNamespace(queue_url=""), bucket, table, _EmptyQueue(), "", ""
    )
    logs = "\n".join(json.dumps({"message": "job done", "job_id": j}) for j in ["g1", "g4", "g4"])
    figures = reliability.Figures()
    good, poison = ["g1", "g2", "g3", "g4"], ["p1", "p2", "p3"]
    reliability.count(deployment, good, poison, [], logs, "", figures)
    assert (figures.done, figures.done_exactly_once, figures.lost) == (2, 1, 2)
    assert (figures.finished_twice, figures.reports_rewritten) == (1, 1)
    assert figures.failed_jobs == 1
    assert not figures.ok
