from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._alarms import alarm
from stacks.lint.rules._refs import resources


class DeploymentPreference(CloudFormationLintRule):
    """A function with an alias deploys gradually and rolls back on its own error rate (SAM)."""

    id = "E9020"
    shortdesc = "Aliased functions roll back on their own error-rate alarm"
    description = (
        "On the SAM form, every AWS::Serverless::Function with AutoPublishAlias has an enabled "
        "DeploymentPreference whose Alarms Ref an alarm on the error rate (Errors / "
        "Invocations) of that function's alias and deployed version."
    )
    tags = ["resources", "lambda", "deployment", "security-assistant"]

    def match(self, cfn):
        if not cfn.has_serverless_transform():
            return []
        matches = []
        for rid, _res, props in resources(cfn, "AWS::Serverless::Function"):
            if "AutoPublishAlias" not in props:
                continue
            base = ["Resources", rid, "Properties"]
            pref = props.get("DeploymentPreference")
            if not isinstance(pref, dict) or pref.get("Enabled") is False:
                matches.append(
                    RuleMatch(
                        base + (["DeploymentPreference"] if pref else ["AutoPublishAlias"]),
                        f"function {rid} publishes an alias but has no enabled "
                        "DeploymentPreference; add one (Type from the environment's "
                        "deployment_type) with its error-rate alarm in Alarms",
                    )
                )
                continue
            refs = [a.get("Ref") for a in pref.get("Alarms") or [] if isinstance(a, dict)]
            problems = []
            for ref in refs:
                al = alarm(cfn, ref) if isinstance(ref, str) else None
                if al is None:
                    continue
                problem = al.error_rate_problem(rid)
                if problem is None:
                    break
                problems.append(f"{ref} {problem}")
            else:
                detail = f" ({'; '.join(problems)})" if problems else ""
                matches.append(
                    RuleMatch(
                        [*base, "DeploymentPreference", "Alarms" if "Alarms" in pref else "Type"],
                        f"function {rid}'s DeploymentPreference.Alarms has no alarm on {rid}'s "
                        f"own error rate{detail}; add a Ref to an AWS::CloudWatch::Alarm whose "
                        "AWS/Lambda Errors and Invocations metrics have the dimensions "
                        f"FunctionName: !Ref {rid}, Resource (the alias) and ExecutedVersion",
                    )
                )
        return matches
