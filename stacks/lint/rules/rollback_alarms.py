from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._alarms import ROLLBACK_KINDS, alarm
from stacks.lint.rules._deployments import preferences


class RollbackAlarms(CloudFormationLintRule):
    """Deployments roll back on the design document's three alarms."""

    id = "E9022"
    shortdesc = "Deployments roll back on the three rollback alarms"
    description = (
        "Together, the deployment preferences (SAM) or deployment groups (expanded) cover the "
        "design document's rollback triggers: Lambda error rate > 10 %, API Gateway 5xx rate "
        "> 5 %, DLQ > 0 messages; no rollback alarm is laxer than those thresholds."
    )
    tags = ["resources", "cloudwatch", "deployment", "security-assistant"]

    def match(self, cfn):
        prefs = preferences(cfn)
        if not prefs:
            return []
        matches = []
        kinds = set()
        for pref in prefs:
            for alarm_id, path in pref.alarms:
                al = alarm(cfn, alarm_id) if alarm_id else None
                if al is None:
                    matches.append(
                        RuleMatch(
                            path,
                            f"{alarm_id or 'this entry'} is not an AWS::CloudWatch::Alarm of "
                            "this template; Ref the alarm resource",
                        )
                    )
                    continue
                kind = al.kind()
                if kind is None:
                    continue
                kinds.add(kind)
                problem = al.threshold_problem()
                if problem:
                    matches.append(
                        RuleMatch(
                            ["Resources", alarm_id, "Properties"],
                            f"rollback alarm {alarm_id} ({ROLLBACK_KINDS[kind]}): {problem}; "
                            "use the design document's threshold",
                        )
                    )
        missing = [ROLLBACK_KINDS[k] for k in ROLLBACK_KINDS if k not in kinds]
        if missing:
            matches.append(
                RuleMatch(
                    prefs[0].path,
                    "the deployments do not roll back on " + ", ".join(missing) + "; add an "
                    "alarm on it to the DeploymentPreference.Alarms of the functions",
                )
            )
        return matches
