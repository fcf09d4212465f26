from stacks.lint.rules._keywords import PropertiesSchemaRule


class BucketEncryption(PropertiesSchemaRule):
    """Every bucket encrypts at rest.

    A keyword rule: the bucket's own BucketEncryption property decides it.
    """

    id = "E9011"
    shortdesc = "Buckets are encrypted"
    description = "Every S3 bucket sets BucketEncryption with a default SSE algorithm."
    tags = ["resources", "s3", "security", "security-assistant"]
    resource_types = ("AWS::S3::Bucket",)
    schema_ = {
        "required": ["BucketEncryption"],
        "properties": {
            "BucketEncryption": {
                "required": ["ServerSideEncryptionConfiguration"],
                "properties": {
                    "ServerSideEncryptionConfiguration": {
                        "contains": {
                            "required": ["ServerSideEncryptionByDefault"],
                            "properties": {
                                "ServerSideEncryptionByDefault": {"required": ["SSEAlgorithm"]}
                            },
                        }
                    }
                },
            }
        },
    }
    problem = "bucket {} sets no default encryption"
    fix = "add BucketEncryption with ServerSideEncryptionByDefault.SSEAlgorithm (AES256 or aws:kms)"
