"""Reliability: >= 1000 jobs through the queue path against moto, with duplicate messages,
redeliveries and poison messages mixed in (scenario and figures: tools/reliability.py).

RELIABILITY_JOBS overrides the number of jobs (default 1000)."""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import asdict

from sa_dev_resources import REPO


def _load_tool():
    spec = importlib.util.spec_from_file_location(
        "sa_reliability_tool", REPO / "tools" / "reliability.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses need their module registered
    spec.loader.exec_module(module)
    return module


def test_thousand_jobs_none_lost_none_twice_poison_in_dlq():
    jobs = int(os.environ.get("RELIABILITY_JOBS", "1000"))
    figures = _load_tool().run(jobs)
    print(asdict(figures))  # shown with -s / on failure
    assert figures.jobs_submitted == jobs >= 1000 or "RELIABILITY_JOBS" in os.environ
    assert figures.duplicate_messages_sent > 0 and figures.redeliveries > 0
    assert figures.poison_jobs > 0 and figures.poison_bodies > 0
    assert figures.lost == 0
    assert figures.finished_twice == 0
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
