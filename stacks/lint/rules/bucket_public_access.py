from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import resources

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")


class BucketPublicAccess(CloudFormationLintRule):
    """Every bucket blocks public access."""

    id = "E9012"
    shortdesc = "Buckets block public access"
    description = "Every S3 bucket sets all four PublicAccessBlockConfiguration settings to true."
    tags = ["resources", "s3", "security", "security-assistant"]

    def match(self, cfn):
        matches = []
        for rid, _res, props in resources(cfn, "AWS::S3::Bucket"):
            block = props.get("PublicAccessBlockConfiguration")
            block = block if isinstance(block, dict) else {}
            off = [s for s in SETTINGS if block.get(s) not in (True, "true")]
            if off:
                path = ["Resources", rid, "Properties"]
                if "PublicAccessBlockConfiguration" in props:
                    path.append("PublicAccessBlockConfiguration")
                matches.append(
                    RuleMatch(
                        path,
                        f"bucket {rid} does not block public access ({', '.join(off)} not "
                        "true); set all four PublicAccessBlockConfiguration settings to true",
                    )
                )
        return matches
