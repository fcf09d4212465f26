from stacks.lint.rules._keywords import PropertiesSchemaRule


class BucketLifecycle(PropertiesSchemaRule):
    """Every bucket expires what it holds.

    A keyword rule: the bucket's own LifecycleConfiguration decides it.
    """

    id = "E9010"
    shortdesc = "Buckets have enabled lifecycle rules"
    description = (
        "Every S3 bucket has at least one lifecycle rule with Status: Enabled that expires "
        "objects, so that storage (and leaked secrets in submitted text) does not pile up."
    )
    tags = ["resources", "s3", "cost", "security-assistant"]
    resource_types = ("AWS::S3::Bucket",)
    schema_ = {
        "required": ["LifecycleConfiguration"],
        "properties": {
            "LifecycleConfiguration": {
                "required": ["Rules"],
                "properties": {
                    "Rules": {
                        "contains": {
                            "properties": {"Status": {"const": "Enabled"}},
                            "required": ["Status"],
                            "anyOf": [
                                {"required": ["ExpirationInDays"]},
                                {"required": ["ExpirationDate"]},
                            ],
                        }
                    }
                },
            }
        },
    }
    problem = "bucket {} has no enabled lifecycle rule that expires objects"
    fix = (
        "add LifecycleConfiguration.Rules with Status: Enabled and ExpirationInDays (the "
        "environment's `expiries` in stacks/config.py)"
    )
