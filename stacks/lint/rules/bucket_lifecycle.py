from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import as_list, resources


class BucketLifecycle(CloudFormationLintRule):
    """Every bucket expires what it holds."""

    id = "E9010"
    shortdesc = "Buckets have enabled lifecycle rules"
    description = (
        "Every S3 bucket has at least one lifecycle rule with Status: Enabled that expires "
        "objects, so that storage (and leaked secrets in submitted text) does not pile up."
    )
    tags = ["resources", "s3", "cost", "security-assistant"]

    def match(self, cfn):
        matches = []
        for rid, _res, props in resources(cfn, "AWS::S3::Bucket"):
            rules = as_list((props.get("LifecycleConfiguration") or {}).get("Rules"))
            enabled = [
                r
                for r in rules
                if isinstance(r, dict)
                and r.get("Status") == "Enabled"
                and any(k in r for k in ("ExpirationInDays", "ExpirationDate"))
            ]
            if not enabled:
                path = ["Resources", rid, "Properties"]
                if "LifecycleConfiguration" in props:
                    path.append("LifecycleConfiguration")
                matches.append(
                    RuleMatch(
                        path,
                        f"bucket {rid} has no enabled lifecycle rule that expires objects; add "
                        "LifecycleConfiguration.Rules with Status: Enabled and ExpirationInDays "
                        "(the environment's `expiries` in stacks/config.py)",
                    )
                )
        return matches
