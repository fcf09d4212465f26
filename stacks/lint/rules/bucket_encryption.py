from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import as_list, resources


class BucketEncryption(CloudFormationLintRule):
    """Every bucket encrypts at rest."""

    id = "E9011"
    shortdesc = "Buckets are encrypted"
    description = "Every S3 bucket sets BucketEncryption with a default SSE algorithm."
    tags = ["resources", "s3", "security", "security-assistant"]

    def match(self, cfn):
        matches = []
        for rid, _res, props in resources(cfn, "AWS::S3::Bucket"):
            conf = (props.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration")
            ok = any(
                isinstance(c, dict)
                and (c.get("ServerSideEncryptionByDefault") or {}).get("SSEAlgorithm")
                for c in as_list(conf)
            )
            if not ok:
                matches.append(
                    RuleMatch(
                        ["Resources", rid, "Properties"],
                        f"bucket {rid} sets no default encryption; add BucketEncryption with "
                        "ServerSideEncryptionByDefault.SSEAlgorithm (AES256 or aws:kms)",
                    )
                )
        return matches
