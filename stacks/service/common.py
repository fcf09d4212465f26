"""Small helpers shared by the resource builders."""

from troposphere import Retain


def retain_if(retain: bool) -> dict:
    """Keep a data-holding resource when the stack is deleted or the resource replaced.

    RetainExceptOnCreate, not Retain: when the stack's first create fails, CloudFormation
    deletes what it created (it held nothing yet) instead of leaving named resources behind
    that would make the next create fail with "already exists".
    """
    if not retain:
        return {}
    return {"DeletionPolicy": "RetainExceptOnCreate", "UpdateReplacePolicy": Retain}


# Why the checkov findings we accept do not apply to this design (`tox -e security`).
# Each is attached to the resources it concerns as `Metadata: checkov: skip`, so a new
# resource is scanned in full until someone writes down why a check does not fit it.
CHECKOV_JUSTIFICATIONS = {
    "CKV_AWS_18": "No access-logging bucket: a second always-growing bucket for a pay-per-use "
    "design; API access logs and CloudTrail data events cover who reads what.",
    "CKV_AWS_26": "CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed "
    "SNS key, and a customer-managed KMS key is a fixed monthly cost (not pay-per-use); the "
    "topic carries alarm state changes only.",
    "CKV_AWS_27": "False positive: the queue is encrypted with SQS-managed SSE "
    "(SqsManagedSseEnabled: true); the check only recognises KmsMasterKeyId.",
    "CKV_AWS_28": "dev holds throwaway E2E data for 7 days; point-in-time recovery is on in "
    "staging and prod (EnvConfig.point_in_time_recovery).",
    "CKV_AWS_73": "X-Ray tracing is off to keep cold starts lean; access logs and Lambda logs "
    "carry the request id.",
    "CKV_AWS_115": "Concurrency is bounded by API Gateway throttling and the SQS event "
    "source's MaximumConcurrency; reserving account concurrency would take it from others.",
    "CKV_AWS_116": "A function DLQ applies to asynchronous invocations only: the API function "
    "and the CodeDeploy hook are invoked synchronously, and the worker's failed messages go "
    "to the SQS queue's own dead-letter queue (RedrivePolicy).",
    "CKV_AWS_117": "No VPC: the functions reach only S3, DynamoDB and SQS over their public "
    "endpoints, and a VPC would need NAT or interface endpoints, which bill by the hour.",
    "CKV_AWS_119": "Encrypted with the AWS-managed DynamoDB KMS key; a customer-managed key is "
    "a fixed monthly cost (not pay-per-use) and the table holds job metadata, not content.",
    "CKV_AWS_120": "API Gateway caching runs a cache cluster billed by the hour (not "
    "pay-per-use), and job status must not be served stale.",
    "CKV_AWS_158": "CloudWatch Logs encrypts log data at rest by default; a customer-managed "
    "KMS key is a fixed monthly cost (not pay-per-use).",
    "CKV_AWS_173": "The environment variables hold resource names and settings, no secrets; "
    "Lambda encrypts them at rest with its AWS-managed key.",
}


def checkov_skip(*check_ids: str) -> dict:
    """`Metadata` that suppresses checkov checks on one resource, with the written reason."""
    return {
        "Metadata": {
            "checkov": {
                "skip": [{"id": c, "comment": CHECKOV_JUSTIFICATIONS[c]} for c in check_ids]
            }
        }
    }
