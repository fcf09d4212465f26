"""Reliability run of the queue path against moto (in-process ``mock_aws``).

Submits N jobs through the API handler (S3 + DynamoDB + SQS with a DLQ, redrive
maxReceiveCount 3), mixes in duplicate messages, redeliveries of processed messages (a lost
delete) and poison messages (bodies that are not jobs, and jobs whose input is gone), then
drives the worker handler the way the Lambda SQS event source does (batches of 10, partial
batch failures, failed messages become visible again) until the queue is empty.

    python tools/reliability.py [--jobs 1000] [--seed 7]

prints the figures and exits non-zero when a good job is lost or finished more than once,
a poison message is not in the DLQ, or a secret shows up in a log line or a metric.

Importable as a scenario in steps: ``provision()`` (the resources in moto and the settings
the handlers get, injected with ``Settings.injected``, never through ``os.environ``),
``submit_waves()`` (submit and drain), ``count()`` (the figures); ``run()`` chains them.
The test suite runs them (tests/lambdas/test_sa_reliability.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "lambdas") not in sys.path:
    sys.path.insert(0, str(REPO / "lambdas"))

REGION = "eu-west-2"
BUCKET = "security-assistant-reliability-data"
TABLE = "security-assistant-reliability-jobs"
MAX_RECEIVE_COUNT = 3
WAVE = 50
SECRET = "AKIAIOSFODNN7EXAMPLE"  # AWS's documented example key id
PASSWORD = "correct-horse-battery-staple"
POISON_BODIES = [
    "not json",
    "{}",
    "[]",
    "null",
    '{"job_id": "not-a-uuid"}',
    '{"job_id": 42}',
    '{"jobid": "x"}',
]
# The worker's log messages that say what one attempt did to a job (jobs.process_job).
OUTCOME_LOGS = {
    "job done": "done",
    "job already finished": "duplicate",
    "job finished concurrently": "duplicate",
}


@dataclass
class Figures:
    jobs_submitted: int = 0
    good_jobs: int = 0
    poison_jobs: int = 0
    poison_bodies: int = 0
    duplicate_messages_sent: int = 0
    redeliveries: int = 0
    worker_invocations: int = 0
    records_processed: int = 0
    item_failures: int = 0
    duplicates_absorbed: int = 0
    done: int = 0
    done_exactly_once: int = 0
    finished_twice: int = 0
    reports_rewritten: int = 0
    failed_jobs: int = 0
    dlq_messages: int = 0
    poison_in_dlq: int = 0
    good_in_dlq: int = 0
    lost: int = 0
    left_in_queue: int = 0
    secret_leaks: int = 0
    metrics: dict[str, float] = field(default_factory=dict)
    wall_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.finished_twice == 0
            and self.reports_rewritten == 0
            and self.done == self.done_exactly_once == self.good_jobs
            and self.failed_jobs == self.poison_jobs
            and self.poison_in_dlq == self.poison_jobs + self.poison_bodies == self.dlq_messages
            and self.good_in_dlq == 0
            and self.left_in_queue == 0
            and self.secret_leaks == 0
            and self.metrics.get("JobsFinished", 0) == self.good_jobs
            and self.metrics.get("JobsFailed", 0) == self.poison_jobs
        )


def _lambda_record(message: dict[str, Any], queue_arn: str) -> dict[str, Any]:
    attributes = {
        name: {
            "stringValue": value.get("StringValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in (message.get("MessageAttributes") or {}).items()
    }
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": attributes,
        "md5OfBody": message.get("MD5OfBody", ""),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_arn,
        "awsRegion": REGION,
    }


def _content(rng: random.Random, index: int) -> str:
    lines = [f"# job {index}", f"setting_{rng.randint(0, 999)} = {rng.randint(0, 99)}"]
    if index % 3 == 0:
        lines.append(f"aws_access_key_id = {SECRET}")
    if index % 5 == 0:
        lines.append(f'password = "{PASSWORD}"')
    return "\n".join(lines) + "\n"


def _context() -> Any:
    from security_assistant.offline import LambdaContext

    return LambdaContext("security-assistant-reliability")


def _submit(api: Any, content: str, name: str) -> str:
    from security_assistant.events import rest_event

    body = json.dumps({"content": content, "name": name})
    event = rest_event(
        "POST",
        "/jobs",
        stage="reliability",
        headers={"Content-Type": "application/json"},
        body=body,
    )
    response = api.handler(event, _context())
    if response["statusCode"] != 202:
        raise RuntimeError(f"submit failed with {response['statusCode']}")
    return json.loads(response["body"])["job_id"]


def _drain(
    sqs: Any,
    queue_url: str,
    queue_arn: str,
    worker: Any,
    rng: random.Random,
    redelivery_rate: float,
    redelivered: set[str],
    figures: Figures,
) -> None:
    """Poll like the Lambda SQS event source until the queue is empty."""
    while True:
        messages = sqs.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=30,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            if _queue_depth(sqs, queue_url) == 0:
                return
            continue
        rng.shuffle(messages)
        event = {"Records": [_lambda_record(m, queue_arn) for m in messages]}
        result = worker.handler(event, _context())
        figures.worker_invocations += 1
        figures.records_processed += len(messages)
        failed = {f["itemIdentifier"] for f in result["batchItemFailures"]}
        figures.item_failures += len(failed)
        again, done = [], []
        for message in messages:
            entry = {"Id": message["MessageId"], "ReceiptHandle": message["ReceiptHandle"]}
            if entry["Id"] in failed:
                again.append(entry)
            elif entry["Id"] not in redelivered and rng.random() < redelivery_rate:
                redelivered.add(entry["Id"])  # the delete got lost: SQS delivers it again
                figures.redeliveries += 1
                again.append(entry)
            else:
                done.append(entry)
        # As the event source mapping does: one batch call for the batch's successes; failed
        # and redelivered messages visible again now rather than after the visibility timeout.
        if done:
            _all_ok(sqs.delete_message_batch(QueueUrl=queue_url, Entries=done))
        if again:
            entries = [{**entry, "VisibilityTimeout": 0} for entry in again]
            _all_ok(sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries))


def _all_ok(response: dict[str, Any]) -> None:
    if response.get("Failed"):
        raise RuntimeError(f"SQS batch call failed for {response['Failed']}")


def _queue_depth(sqs: Any, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


@dataclass
class Deployment:
    """The queue path's resources (in moto) and the settings the handlers run with."""

    settings: Any  # security_assistant.config.Settings
    s3: Any
    ddb: Any
    sqs: Any
    queue_arn: str
    dlq_url: str

    @property
    def queue_url(self) -> str:
        return self.settings.queue_url


def provision(name: str = "reliability") -> Deployment:
    """Bucket (versioned), jobs table, jobs queue redriving to a DLQ. Needs ``mock_aws``."""
    from security_assistant import aws_clients
    from security_assistant.config import DEFAULT_MAX_CONTENT_BYTES, Settings

    aws_clients.reset()  # clients made before the mock started talk to real AWS
    s3, ddb, sqs = (aws_clients.client(n) for n in ("s3", "dynamodb", "sqs"))
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    ddb.create_table(
        TableName=TABLE,
        AttributeDefinitions=[{"AttributeName": "job_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "job_id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    queue_url = sqs.create_queue(
        QueueName=f"{name}-jobs",
        Attributes={
            "VisibilityTimeout": "30",
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": _arn(sqs, dlq_url), "maxReceiveCount": MAX_RECEIVE_COUNT}
            ),
        },
    )["QueueUrl"]
    settings = Settings(
        env=name,
        storage_mode="aws",
        bucket_name=BUCKET,
        table_name=TABLE,
        queue_url=queue_url,
        max_content_bytes=DEFAULT_MAX_CONTENT_BYTES,
        max_receive_count=MAX_RECEIVE_COUNT,
        data_dir="",
    )
    return Deployment(settings, s3, ddb, sqs, _arn(sqs, queue_url), dlq_url)


def _arn(sqs: Any, url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]


@contextlib.contextmanager
def captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """The handlers' log lines and their stdout (EMF metrics), for the figures."""
    from security_assistant.observability import logger, metrics

    logs, stdout = io.StringIO(), io.StringIO()
    metrics.clear_metrics()
    previous = logger.registered_handler.setStream(logs)
    try:
        with contextlib.redirect_stdout(stdout):
            yield logs, stdout
            metrics.flush_metrics()
    finally:
        logger.registered_handler.setStream(previous)


def outcomes(log_lines: str) -> dict[str, list[str]]:
    """What each worker attempt did to each job, from the worker's own log lines."""
    found: dict[str, list[str]] = {}
    for line in log_lines.splitlines():
        if not line.startswith("{"):
            continue
        entry = json.loads(line)
        outcome = OUTCOME_LOGS.get(entry.get("message"))
        if outcome and entry.get("job_id"):
            found.setdefault(entry["job_id"], []).append(outcome)
    return found


def submit_waves(
    deployment: Deployment,
    jobs: int,
    poison_jobs: int,
    duplicate_rate: float,
    redelivery_rate: float,
    rng: random.Random,
    figures: Figures,
) -> tuple[list[str], list[str], list[str]]:
    """Submit the jobs in waves while the worker drains the queue, as in production (and
    moto's SQS gets slow when thousands of messages pile up). Returns the good job ids, the
    poison job ids and the poison bodies sent."""
    from security_assistant import api, worker

    good: list[str] = []
    poison: list[str] = []
    poison_indexes = set(rng.sample(range(jobs), poison_jobs))
    poison_bodies = [*POISON_BODIES, json.dumps({"job_id": str(uuid.uuid4())})]
    waves = [range(i, min(i + WAVE, jobs)) for i in range(0, jobs, WAVE)]
    redelivered: set[str] = set()
    sqs, queue_url = deployment.sqs, deployment.queue_url
    for wave_number, wave in enumerate(waves):
        # 1. submit through the API (the queue path)
        wave_good, wave_poison = [], []
        for index in wave:
            job_id = _submit(api, _content(rng, index), f"f{index}.env")
            (wave_poison if index in poison_indexes else wave_good).append(job_id)
        good += wave_good
        poison += wave_poison
        # 2. poison: jobs whose input disappeared, bodies that are no job at all
        for job_id in wave_poison:
            deployment.s3.delete_object(Bucket=BUCKET, Key=f"inputs/{job_id}")
        for body in poison_bodies[wave_number :: len(waves)]:
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        # 3. duplicates: the same job enqueued twice (a producer retry)
        for job_id in wave_good:
            if rng.random() < duplicate_rate:
                sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"job_id": job_id}))
                figures.duplicate_messages_sent += 1
        # 4. the event source mapping: batches of 10, partial failures
        _drain(
            sqs,
            queue_url,
            deployment.queue_arn,
            worker,
            rng,
            redelivery_rate,
            redelivered,
            figures,
        )
    return good, poison, poison_bodies


def _statuses(deployment: Deployment) -> dict[str, str | None]:
    """job id -> status, from consistent Scans of the jobs table (one per MB of items)."""
    pages = deployment.ddb.get_paginator("scan").paginate(
        TableName=TABLE,
        ConsistentRead=True,
        ProjectionExpression="job_id, #status",
        ExpressionAttributeNames={"#status": "status"},
    )
    return {
        item["job_id"]["S"]: item.get("status", {}).get("S")
        for page in pages
        for item in page["Items"]
    }


def _report_versions(deployment: Deployment) -> Counter[str]:
    """job id -> how many versions of its report the (versioned) bucket holds."""
    pages = deployment.s3.get_paginator("list_object_versions").paginate(
        Bucket=BUCKET, Prefix="reports/"
    )
    return Counter(
        version["Key"].removeprefix("reports/").removesuffix(".json")
        for page in pages
        for version in page.get("Versions", [])
    )


def count(
    deployment: Deployment,
    good: list[str],
    poison: list[str],
    poison_bodies: list[str],
    logs: str,
    stdout: str,
    figures: Figures,
) -> None:
    """Fill in the figures from the store, the queues, the logs and the metrics."""
    from security_assistant.offline import emf_totals

    figures.jobs_submitted = len(good) + len(poison)
    figures.good_jobs, figures.poison_jobs = len(good), len(poison)
    attempts = outcomes(logs)
    statuses, reports = _statuses(deployment), _report_versions(deployment)
    figures.reports_rewritten = sum(1 for versions in reports.values() if versions > 1)
    for job_id in good:
        results = attempts.get(job_id, [])
        if statuses.get(job_id) == "done" and reports[job_id]:
            figures.done += 1
            if results.count("done") == 1:
                figures.done_exactly_once += 1
        else:
            figures.lost += 1
        if results.count("done") > 1:
            figures.finished_twice += 1
        figures.duplicates_absorbed += results.count("duplicate")
    for job_id in poison:
        if statuses.get(job_id) == "failed" and not reports[job_id]:
            figures.failed_jobs += 1

    sqs, dlq_url = deployment.sqs, deployment.dlq_url
    dlq_bodies: list[str] = []
    while batch := sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        dlq_bodies += [message["Body"] for message in batch]
        entries = [{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in batch]
        _all_ok(sqs.delete_message_batch(QueueUrl=dlq_url, Entries=entries))
    figures.dlq_messages = len(dlq_bodies)
    expected_poison = Counter([*poison_bodies, *(json.dumps({"job_id": j}) for j in poison)])
    figures.poison_in_dlq = sum((Counter(dlq_bodies) & expected_poison).values())
    good_ids = set(good)
    figures.good_in_dlq = sum(
        1
        for body in dlq_bodies
        if body.startswith("{") and json.loads(body).get("job_id") in good_ids
    )
    figures.left_in_queue = _queue_depth(sqs, deployment.queue_url)
    figures.secret_leaks = sum(text.count(s) for text in (logs, stdout) for s in (SECRET, PASSWORD))
    figures.metrics = emf_totals(stdout)


def run(
    jobs: int = 1000,
    *,
    poison_jobs: int | None = None,
    duplicate_rate: float = 0.1,
    redelivery_rate: float = 0.05,
    seed: int = 7,
) -> Figures:
    """Run the scenario; ``jobs`` counts every job submitted (good and poison).

    Provision in moto, submit and drain with the handlers' settings injected (nothing is
    written to ``os.environ``), then count. The process's AWS settings are left alone:
    moto intercepts every call while ``mock_aws`` is active.
    """
    from moto import mock_aws
    from security_assistant import aws_clients, storage
    from security_assistant.config import Settings

    poison_jobs = max(1, jobs // 50) if poison_jobs is None else poison_jobs
    rng = random.Random(seed)
    figures = Figures(poison_bodies=len(POISON_BODIES) + 1)  # + a valid id with no job
    started = time.perf_counter()
    with mock_aws():
        try:
            deployment = provision()
            with Settings.injected(deployment.settings), captured() as (logs, stdout):
                good, poison, bodies = submit_waves(
                    deployment, jobs, poison_jobs, duplicate_rate, redelivery_rate, rng, figures
                )
            count(deployment, good, poison, bodies, logs.getvalue(), stdout.getvalue(), figures)
        finally:
            aws_clients.reset()  # their mocked backends end with the mock
            storage._cache.clear()
    figures.wall_seconds = round(time.perf_counter() - started, 2)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1000, help="jobs submitted (default 1000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    # A named profile that does not exist here would stop boto3 before moto answers.
    os.environ.pop("AWS_PROFILE", None)
    figures = run(args.jobs, seed=args.seed)
    for key, value in asdict(figures).items():
        print(f"{key:>24}: {value}")
    print(f"{'result':>24}: {'OK' if figures.ok else 'FAILED'}")
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
