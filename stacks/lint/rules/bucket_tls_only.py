from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import as_list, resources, target


def _denies_insecure_transport(statement) -> bool:
    if not isinstance(statement, dict) or statement.get("Effect") != "Deny":
        return False
    actions = as_list(statement.get("Action"))
    if not any(a in ("s3:*", "*") for a in actions):
        return False
    if statement.get("Principal") not in ("*", {"AWS": "*"}):
        return False
    condition = (statement.get("Condition") or {}).get("Bool") or {}
    return str(condition.get("aws:SecureTransport")).lower() == "false"


class BucketTlsOnly(CloudFormationLintRule):
    """Every bucket refuses requests that are not over TLS."""

    id = "E9013"
    shortdesc = "Buckets have a TLS-only policy"
    description = (
        "Every S3 bucket has a bucket policy with a Deny statement for s3:* to every principal "
        "when aws:SecureTransport is false."
    )
    tags = ["resources", "s3", "security", "security-assistant"]

    def match(self, cfn):
        protected = set()
        for _pid, _res, props in resources(cfn, "AWS::S3::BucketPolicy"):
            statements = as_list((props.get("PolicyDocument") or {}).get("Statement"))
            if any(_denies_insecure_transport(s) for s in statements):
                protected.add(target(props.get("Bucket")))
        return [
            RuleMatch(
                ["Resources", rid],
                f"bucket {rid} accepts plain-HTTP requests; add an AWS::S3::BucketPolicy on it "
                "with a Deny of s3:* to Principal '*' when aws:SecureTransport is 'false'",
            )
            for rid, _res, _props in resources(cfn, "AWS::S3::Bucket")
            if rid not in protected
        ]
