from stacks.lint.rules._keywords import PropertiesSchemaRule

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


class BucketPublicAccess(PropertiesSchemaRule):
    """Every bucket blocks public access.

    A keyword rule: the bucket's own PublicAccessBlockConfiguration decides it.
    """

    id = "E9012"
    shortdesc = "Buckets block public access"
    description = "Every S3 bucket sets all four PublicAccessBlockConfiguration settings to true."
    tags = ["resources", "s3", "security", "security-assistant"]
    resource_types = ("AWS::S3::Bucket",)
    schema_ = {
        "required": ["PublicAccessBlockConfiguration"],
        "properties": {
            "PublicAccessBlockConfiguration": {
                "required": list(SETTINGS),
                "properties": {s: {"enum": [True, "true"]} for s in SETTINGS},
            }
        },
    }
    problem = "bucket {} does not block all public access"
    fix = (
        "set all four PublicAccessBlockConfiguration settings (" + ", ".join(SETTINGS) + ") to true"
    )
