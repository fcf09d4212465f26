"""The data bucket and the jobs table: where submitted text, reports and job state live."""

from troposphere import GetAtt, Join, Template, s3
from troposphere import dynamodb as ddb

from stacks.config import EnvConfig
from stacks.service.common import checkov_skip, retain_if


def data_bucket(t: Template, cfg: EnvConfig) -> s3.Bucket:
    rules = [
        s3.LifecycleRule(
            Id=f"expire-{expiry.prefix.rstrip('/') or 'objects'}",
            Status="Enabled",
            Prefix=expiry.prefix,
            ExpirationInDays=expiry.days,
        )
        for expiry in cfg.expiries
    ]
    # Versioning keeps an overwritten or deleted object recoverable for a while; this rule is
    # what makes "a while" finite and cleans up after interrupted uploads.
    rules.append(
        s3.LifecycleRule(
            Id="expire-noncurrent-and-incomplete",
            Status="Enabled",
            NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(
                NoncurrentDays=cfg.noncurrent_version_days
            ),
            AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(
                DaysAfterInitiation=cfg.incomplete_upload_days
            ),
            ExpiredObjectDeleteMarker=True,
        )
    )
    return private_bucket(
        t, "DataBucket", cfg.resource_name(cfg.account_id), rules, retain=cfg.retain_stateful
    )


def private_bucket(
    t: Template, title: str, name: str, rules: list[s3.LifecycleRule], *, retain: bool
) -> s3.Bucket:
    """A versioned, encrypted bucket that expires what `rules` say and that no one reaches
    publicly or without TLS: every bucket of the project is one of these."""
    bucket = t.add_resource(
        s3.Bucket(
            title,
            BucketName=name,
            BucketEncryption=s3.BucketEncryption(
                ServerSideEncryptionConfiguration=[
                    s3.ServerSideEncryptionRule(
                        ServerSideEncryptionByDefault=s3.ServerSideEncryptionByDefault(
                            SSEAlgorithm="AES256"
                        ),
                        BucketKeyEnabled=True,
                    )
                ]
            ),
            LifecycleConfiguration=s3.LifecycleConfiguration(Rules=rules),
            OwnershipControls=s3.OwnershipControls(
                Rules=[s3.OwnershipControlsRule(ObjectOwnership="BucketOwnerEnforced")]
            ),
            PublicAccessBlockConfiguration=s3.PublicAccessBlockConfiguration(
                BlockPublicAcls=True,
                BlockPublicPolicy=True,
                IgnorePublicAcls=True,
                RestrictPublicBuckets=True,
            ),
            VersioningConfiguration=s3.VersioningConfiguration(Status="Enabled"),
            **retain_if(retain),
            **checkov_skip("CKV_AWS_18"),
        )
    )
    t.add_resource(tls_only_policy(f"{title}Policy", bucket))
    return bucket


def tls_only_policy(title: str, bucket: s3.Bucket) -> s3.BucketPolicy:
    """Deny every request to the bucket and its objects that does not arrive over TLS."""
    return s3.BucketPolicy(
        title,
        Bucket=bucket.ref(),
        PolicyDocument={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [
                        GetAtt(bucket, "Arn"),
                        Join("", [GetAtt(bucket, "Arn"), "/*"]),
                    ],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }
            ],
        },
    )


def jobs_table(t: Template, cfg: EnvConfig) -> ddb.Table:
    return t.add_resource(
        ddb.Table(
            "JobsTable",
            TableName=cfg.resource_name("jobs"),
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                ddb.AttributeDefinition(AttributeName="job_id", AttributeType="S")
            ],
            KeySchema=[ddb.KeySchema(AttributeName="job_id", KeyType="HASH")],
            TimeToLiveSpecification=ddb.TimeToLiveSpecification(
                AttributeName="expires_at", Enabled=True
            ),
            SSESpecification=ddb.SSESpecification(SSEEnabled=True),
            PointInTimeRecoverySpecification=ddb.PointInTimeRecoverySpecification(
                PointInTimeRecoveryEnabled=cfg.point_in_time_recovery
            ),
            DeletionProtectionEnabled=cfg.retain_stateful,
            **retain_if(cfg.retain_stateful),
            **checkov_skip("CKV_AWS_119", *(() if cfg.point_in_time_recovery else ("CKV_AWS_28",))),
        )
    )
