"""AWS backend (STORAGE_MODE=aws): S3 for inputs/reports, DynamoDB for jobs, SQS queue.

DynamoDB writes are conditional (create-only, status transitions guarded by
``ConditionExpression``); reports are created with S3 ``If-None-Match: *`` so a duplicate
delivery never overwrites or duplicates a report.
"""

from __future__ import annotations

import json
import time
from typing import Any

from .. import aws_clients
from ..models import IDEMPOTENCY_PREFIX, QUEUED, RUNNING, Job, now_iso
from .base import IdempotencyClaim, InputMissingError, JobExistsError, Queue, Storage

_CONDITION_FAILED = "ConditionalCheckFailedException"


def _to_attr(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": str(value)}
    return {"S": str(value)}


def _from_attr(attr: dict[str, Any]) -> Any:
    if "S" in attr:
        return attr["S"]
    if "N" in attr:
        text = attr["N"]
        return int(text) if text.lstrip("-").isdigit() else float(text)
    if "BOOL" in attr:
        return attr["BOOL"]
    if "NULL" in attr:
        return None
    raise ValueError(f"unsupported DynamoDB attribute {sorted(attr)}")


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _to_attr(v) for k, v in values.items() if v is not None}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _from_attr(v) for k, v in item.items()}


class AwsStorage(Storage):
    def __init__(self, bucket: str, table: str) -> None:
        self.bucket = bucket
        self.table = table

    @property
    def _s3(self) -> Any:
        return aws_clients.client("s3")

    @property
    def _ddb(self) -> Any:
        return aws_clients.client("dynamodb")

    # -- inputs ----------------------------------------------------------------------------
    def put_input(self, job_id: str, content: bytes) -> None:
        self._s3.put_object(
            Bucket=self.bucket,
            Key=f"inputs/{job_id}",
            Body=content,
            ContentType="text/plain; charset=utf-8",
        )

    def get_input(self, job_id: str) -> bytes:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=f"inputs/{job_id}")
        except Exception as exc:
            if aws_clients.error_code(exc) in ("NoSuchKey", "404"):
                raise InputMissingError(job_id) from exc
            raise
        return response["Body"].read()

    # -- reports ---------------------------------------------------------------------------
    def put_report(self, job_id: str, report: dict[str, Any]) -> bool:
        try:
            self._s3.put_object(
                Bucket=self.bucket,
                Key=f"reports/{job_id}.json",
                Body=json.dumps(report, sort_keys=True).encode(),
                ContentType="application/json",
                IfNoneMatch="*",
            )
        except Exception as exc:
            if aws_clients.error_code(exc) in ("PreconditionFailed", "412"):
                return False
            raise
        return True

    def get_report(self, job_id: str) -> dict[str, Any] | None:
        try:
            response = self._s3.get_object(Bucket=self.bucket, Key=f"reports/{job_id}.json")
        except Exception as exc:
            if aws_clients.error_code(exc) in ("NoSuchKey", "404"):
                return None
            raise
        return json.loads(response["Body"].read())

    # -- jobs ------------------------------------------------------------------------------
    def create_job(self, job: Job) -> None:
        try:
            self._ddb.put_item(
                TableName=self.table,
                Item=_item(job.to_item()),
                ConditionExpression="attribute_not_exists(job_id)",
            )
        except Exception as exc:
            if aws_clients.error_code(exc) == _CONDITION_FAILED:
                raise JobExistsError(job.job_id) from exc
            raise

    def get_job(self, job_id: str) -> Job | None:
        response = self._ddb.get_item(
            TableName=self.table, Key={"job_id": {"S": job_id}}, ConsistentRead=True
        )
        item = response.get("Item")
        return None if item is None else Job.from_item(_plain(item))

    def transition(
        self, job_id: str, status: str, *, allowed_from: tuple[str, ...], **fields: Any
    ) -> bool:
        values = {k: v for k, v in fields.items() if v is not None}
        values["status"] = status
        values["updated_at"] = now_iso()
        names = {f"#f{i}": k for i, k in enumerate(values)}
        attr_values = {f":v{i}": _to_attr(v) for i, v in enumerate(values.values())}
        allowed = {f":from{i}": {"S": s} for i, s in enumerate(allowed_from)}
        names["#status"] = "status"
        try:
            self._ddb.update_item(
                TableName=self.table,
                Key={"job_id": {"S": job_id}},
                UpdateExpression="SET " + ", ".join(f"#f{i} = :v{i}" for i in range(len(values))),
                ConditionExpression=(
                    f"attribute_exists(job_id) AND #status IN ({', '.join(allowed)})"
                ),
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={**attr_values, **allowed},
            )
        except Exception as exc:
            if aws_clients.error_code(exc) == _CONDITION_FAILED:
                return False
            raise
        return True

    def start_job(self, job_id: str, *, lease_until: int) -> Job | None:
        # One UpdateItem instead of a consistent GetItem and an UpdateItem: the new item when
        # the condition holds; when it fails, DynamoDB returns the item as it was (absent
        # when there is none), with ReturnValuesOnConditionCheckFailure:
        # https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html
        try:
            item = self._ddb.update_item(
                TableName=self.table,
                Key={"job_id": {"S": job_id}},
                UpdateExpression="SET #status = :running, lease_until = :until, updated_at = :now",
                ConditionExpression="attribute_exists(job_id) AND #status IN (:queued, :running)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":running": {"S": RUNNING},
                    ":queued": {"S": QUEUED},
                    ":until": {"N": str(lease_until)},
                    ":now": {"S": now_iso()},
                },
                ReturnValues="ALL_NEW",
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )["Attributes"]
        except Exception as exc:
            if aws_clients.error_code(exc) != _CONDITION_FAILED:
                raise
            item = getattr(exc, "response", {}).get("Item")
        return None if item is None else Job.from_item(_plain(item))

    def take_lease(
        self, job_id: str, *, allowed_from: tuple[str, ...], now: int, until: int
    ) -> bool:
        allowed = {f":from{i}": {"S": s} for i, s in enumerate(allowed_from)}
        try:
            self._ddb.update_item(
                TableName=self.table,
                Key={"job_id": {"S": job_id}},
                UpdateExpression="SET lease_until = :until, updated_at = :updated",
                ConditionExpression=(
                    f"attribute_exists(job_id) AND #status IN ({', '.join(allowed)}) "
                    "AND (attribute_not_exists(lease_until) OR lease_until <= :now)"
                ),
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={
                    ":until": {"N": str(until)},
                    ":updated": {"S": now_iso()},
                    ":now": {"N": str(now)},
                    **allowed,
                },
            )
        except Exception as exc:
            if aws_clients.error_code(exc) == _CONDITION_FAILED:
                return False
            raise
        return True

    # -- idempotency -----------------------------------------------------------------------
    def claim_idempotency_key(
        self, key_hash: str, job_id: str, body_hash: str, ttl_seconds: int
    ) -> IdempotencyClaim | None:
        key = f"{IDEMPOTENCY_PREFIX}{key_hash}"
        now = int(time.time())
        try:
            self._ddb.put_item(
                TableName=self.table,
                Item=_item(
                    {
                        "job_id": key,
                        "target_job_id": job_id,
                        "body_hash": body_hash,
                        "expires_at": now + ttl_seconds,
                    }
                ),
                # TTL deletion is lazy: an expired record may still be there; replace it.
                ConditionExpression="attribute_not_exists(job_id) OR expires_at < :now",
                ExpressionAttributeValues={":now": {"N": str(now)}},
            )
            return None
        except Exception as exc:
            if aws_clients.error_code(exc) != _CONDITION_FAILED:
                raise
        item = self._ddb.get_item(
            TableName=self.table, Key={"job_id": {"S": key}}, ConsistentRead=True
        ).get("Item")
        if item is None:  # expired and deleted in between: claim again
            return self.claim_idempotency_key(key_hash, job_id, body_hash, ttl_seconds)
        plain = _plain(item)
        return IdempotencyClaim(plain["target_job_id"], plain["body_hash"])


class SqsQueue(Queue):
    def __init__(self, queue_url: str) -> None:
        self.queue_url = queue_url

    def send(self, job_id: str, correlation_id: str | None = None) -> None:
        attributes = {}
        if correlation_id:
            attributes["correlation_id"] = {"DataType": "String", "StringValue": correlation_id}
        aws_clients.client("sqs").send_message(
            QueueUrl=self.queue_url,
            MessageBody=json.dumps({"job_id": job_id}),
            MessageAttributes=attributes,
        )
