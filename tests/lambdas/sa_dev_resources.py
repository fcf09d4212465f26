"""The dev environment's bucket and table, read from the generated dev template, and their
creation on an emulator (moto server) for the E2E tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DEV_TEMPLATE = REPO / "infrastructure" / "dev" / "template.yaml"

# Used only while the generated template does not exist yet (same shape as its resources).
FALLBACK_RESOURCES: dict[str, Any] = {
    "DataBucket": {
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketName": "security-assistant-dev-445567098699"},
    },
    "JobsTable": {
        "Type": "AWS::DynamoDB::Table",
        "Properties": {
            "TableName": "security-assistant-dev-jobs",
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "job_id", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "job_id", "KeyType": "HASH"}],
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        },
    },
}


def dev_resources(path: Path = DEV_TEMPLATE) -> dict[str, Any]:
    if not path.exists():
        return FALLBACK_RESOURCES
    # `stacks diff`'s reader: !Ref, !Sub, !GetAtt ... as their long forms (libyaml; cfn-lint's
    # reader costs a second of imports here).
    from stacks.diff.sources import parse

    return parse(path.read_text(), str(path))["Resources"]


def _one(resources: dict[str, Any], resource_type: str) -> dict[str, Any]:
    found = [r["Properties"] for r in resources.values() if r["Type"] == resource_type]
    if len(found) != 1:
        raise AssertionError(f"dev template must define exactly one {resource_type}")
    return found[0]


def bucket_definition(resources: dict[str, Any]) -> dict[str, Any]:
    return _one(resources, "AWS::S3::Bucket")


def table_definition(resources: dict[str, Any]) -> dict[str, Any]:
    return _one(resources, "AWS::DynamoDB::Table")


def create_dev_resources(s3: Any, dynamodb: Any, resources: dict[str, Any], region: str) -> None:
    """Create the template's bucket and table (names, key schema, TTL, versioning) unless they
    exist already."""
    bucket = bucket_definition(resources)
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if bucket["BucketName"] not in existing:
        s3.create_bucket(
            Bucket=bucket["BucketName"],
            CreateBucketConfiguration={"LocationConstraint": region},
        )
        versioning = bucket.get("VersioningConfiguration", {}).get("Status")
        if versioning:
            s3.put_bucket_versioning(
                Bucket=bucket["BucketName"], VersioningConfiguration={"Status": versioning}
            )

    table = table_definition(resources)
    if table["TableName"] not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(
            TableName=table["TableName"],
            AttributeDefinitions=table["AttributeDefinitions"],
            KeySchema=table["KeySchema"],
            BillingMode=table.get("BillingMode", "PAY_PER_REQUEST"),
        )
        ttl = table.get("TimeToLiveSpecification")
        if ttl and ttl.get("Enabled") in (True, "true"):
            dynamodb.update_time_to_live(
                TableName=table["TableName"],
                TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True},
            )
