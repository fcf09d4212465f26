from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks import config
from stacks.lint.rules._refs import as_list, resources

EXPIRES = ("ExpirationInDays", "ExpirationDate")


class BucketLifecycle(CloudFormationLintRule):
    """Every bucket expires what it holds; the SAM artifacts bucket only what is superseded."""

    id = "E9010"
    shortdesc = "Buckets have enabled lifecycle rules"
    description = (
        "Every S3 bucket has at least one lifecycle rule with Status: Enabled that expires "
        "objects, so that storage (and leaked secrets in submitted text) does not pile up. "
        "The SAM artifacts bucket is the exception: SAM reuses unchanged code keys and a "
        "rollback needs the previous code, so it expires noncurrent versions only."
    )
    tags = ["resources", "s3", "cost", "security-assistant"]

    def match(self, cfn):
        matches = []
        for rid, _res, props in resources(cfn, "AWS::S3::Bucket"):
            rules = [
                r
                for r in as_list((props.get("LifecycleConfiguration") or {}).get("Rules"))
                if isinstance(r, dict) and r.get("Status") == "Enabled"
            ]
            path = ["Resources", rid, "Properties"]
            if "LifecycleConfiguration" in props:
                path.append("LifecycleConfiguration")
            if props.get("BucketName") == config.ARTIFACTS_BUCKET:
                if any(k in r for r in rules for k in EXPIRES):
                    matches.append(
                        RuleMatch(
                            path,
                            f"bucket {rid} holds the SAM artifacts: expiring current objects "
                            "removes the code an unchanged function (or a rollback) still "
                            "points at, leaving the stack UPDATE_ROLLBACK_FAILED; expire only "
                            "NoncurrentVersionExpiration",
                        )
                    )
                if not any("NoncurrentVersionExpiration" in r for r in rules):
                    matches.append(
                        RuleMatch(
                            path,
                            f"bucket {rid} holds the SAM artifacts: add an enabled rule with "
                            "NoncurrentVersionExpiration so superseded versions do not pile up",
                        )
                    )
                continue
            if not any(k in r for r in rules for k in EXPIRES):
                matches.append(
                    RuleMatch(
                        path,
                        f"bucket {rid} has no enabled lifecycle rule that expires objects; add "
                        "LifecycleConfiguration.Rules with Status: Enabled and ExpirationInDays "
                        "(the environment's `expiries` in stacks/config.py)",
                    )
                )
        return matches
