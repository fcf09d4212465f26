"""Data bucket and jobs table: lifecycle, encryption, access, billing, retention."""

import pytest

from stacks import config
from tests.stacks.conftest import of_type


def bucket(t):
    return t["Resources"]["DataBucket"]


def test_dev_has_only_the_design_documents_minimal_resources(templates):
    dev = templates["dev"]
    # the design document's bucket and table, plus the budget every environment has and the
    # (free at zero use) topic it notifies
    assert sorted(r["Type"] for r in dev["Resources"].values()) == [
        "AWS::Budgets::Budget",
        "AWS::DynamoDB::Table",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::SNS::Topic",
        "AWS::SNS::TopicPolicy",
    ]
    assert bucket(dev)["Properties"]["BucketName"] == "security-assistant-dev-445567098699"
    assert dev["Resources"]["JobsTable"]["Properties"]["TableName"] == "security-assistant-dev-jobs"


def test_dev_bucket_expires_objects_old_versions_and_uploads_after_7_days(templates):
    rules = bucket(templates["dev"])["Properties"]["LifecycleConfiguration"]["Rules"]
    assert all(r["Status"] == "Enabled" for r in rules)
    objects = [r for r in rules if "ExpirationInDays" in r]
    assert [(r["Prefix"], r["ExpirationInDays"]) for r in objects] == [("", 7)]
    housekeeping = next(r for r in rules if "NoncurrentVersionExpiration" in r)
    assert housekeeping["NoncurrentVersionExpiration"] == {"NoncurrentDays": 7}
    assert housekeeping["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}


def test_inputs_expire_before_reports(full):
    env, t = full
    rules = bucket(t)["Properties"]["LifecycleConfiguration"]["Rules"]
    days = {r["Prefix"]: r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r}
    assert set(days) == {"inputs/", "reports/"}
    assert days["inputs/"] < days["reports/"]
    assert days == {e.prefix: e.days for e in config.get(env).expiries}


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_every_bucket_is_versioned_encrypted_private_and_tls_only(templates, env):
    t = templates[env]
    for name, b in of_type(t, "AWS::S3::Bucket").items():
        props = b["Properties"]
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        assert set(props["PublicAccessBlockConfiguration"].values()) == {True}
        assert len(props["PublicAccessBlockConfiguration"]) == 4
        policies = [
            p["Properties"]
            for p in of_type(t, "AWS::S3::BucketPolicy").values()
            if p["Properties"]["Bucket"] == {"Ref": name}
        ]
        (statement,) = policies[0]["PolicyDocument"]["Statement"]
        assert statement["Effect"] == "Deny"
        assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        assert {"Fn::GetAtt": [name, "Arn"]} in statement["Resource"]


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_jobs_table_is_on_demand_with_ttl_and_encryption(templates, env):
    props = templates[env]["Resources"]["JobsTable"]["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in props
    assert props["KeySchema"] == [{"AttributeName": "job_id", "KeyType": "HASH"}]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert props["SSESpecification"] == {"SSEEnabled": True}
    pitr = props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"]
    assert pitr is (env != "dev")


def test_prod_retains_stateful_resources_and_other_envs_do_not(templates):
    stateful = ("AWS::S3::Bucket", "AWS::DynamoDB::Table", "AWS::SQS::Queue")
    for env, t in templates.items():
        for name, r in t["Resources"].items():
            if r["Type"] in stateful:
                expected = "Retain" if env == "prod" else None
                # RetainExceptOnCreate: a failed first create leaves nothing behind
                deletion = "RetainExceptOnCreate" if expected else None
                assert r.get("DeletionPolicy") == deletion, (env, name)
                assert r.get("UpdateReplacePolicy") == expected, (env, name)
    assert templates["prod"]["Resources"]["JobsTable"]["Properties"]["DeletionProtectionEnabled"]
