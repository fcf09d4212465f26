from stacks.config import ARTIFACTS_BUCKET
from stacks.lint.rules._keywords import PropertiesSchemaRule

_EXPIRES_CURRENT = {
    "properties": {"Status": {"const": "Enabled"}},
    "required": ["Status"],
    "anyOf": [{"required": ["ExpirationInDays"]}, {"required": ["ExpirationDate"]}],
}


class ArtifactsLifecycle(PropertiesSchemaRule):
    """The SAM artifacts bucket expires superseded versions only.

    SAM reuses an unchanged function's code key across deploys, and CloudFormation's rollback
    needs the previous code: an expired current object leaves the stack UPDATE_ROLLBACK_FAILED.
    """

    id = "E9014"
    shortdesc = "The SAM artifacts bucket keeps current objects"
    description = (
        "The artifacts bucket (stacks/config.py ARTIFACTS_BUCKET) has no enabled lifecycle "
        "rule that expires current objects (ExpirationInDays / ExpirationDate), and has an "
        "enabled rule with NoncurrentVersionExpiration so superseded versions do not pile up."
    )
    tags = ["resources", "s3", "deployment", "security-assistant"]
    resource_types = ("AWS::S3::Bucket",)
    schema_ = {
        "if": {
            "properties": {"BucketName": {"const": ARTIFACTS_BUCKET}},
            "required": ["BucketName"],
        },
        "then": {
            "required": ["LifecycleConfiguration"],
            "properties": {
                "LifecycleConfiguration": {
                    "required": ["Rules"],
                    "properties": {
                        "Rules": {
                            "items": {"not": _EXPIRES_CURRENT},
                            "contains": {
                                "properties": {"Status": {"const": "Enabled"}},
                                "required": ["Status", "NoncurrentVersionExpiration"],
                            },
                        }
                    },
                }
            },
        },
    }
    problem = (
        "bucket {} holds the SAM artifacts: an unchanged function and a rollback still need "
        "code objects of any age (else UPDATE_ROLLBACK_FAILED)"
    )
    fix = (
        "expire no current objects (no ExpirationInDays/ExpirationDate on an enabled rule) and "
        "keep an enabled rule with NoncurrentVersionExpiration"
    )
