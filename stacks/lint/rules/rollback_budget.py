from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks import config
from stacks.lint.rules._alarms import alarm
from stacks.lint.rules._deployments import preferences
from stacks.policy import RTO_SECONDS


class RollbackBudget(CloudFormationLintRule):
    """Rollback alarms fire within the RTO and inside the canary window."""

    id = "E9030"
    shortdesc = "Rollback alarms fit the 5-minute RTO and the canary window"
    description = (
        "For each alarm a deployment rolls back on: Period x EvaluationPeriods + the metric "
        "delay + the rollback itself fits the recovery time objective (stacks/policy.py "
        "RTO_SECONDS), and Period x EvaluationPeriods + the metric delay ends inside the "
        "deployment type's canary/linear window."
    )
    tags = ["resources", "cloudwatch", "deployment", "security-assistant"]

    def match(self, cfn):
        matches = []
        seen = set()
        for pref in preferences(cfn):
            window_minutes = config.DEPLOYMENT_TYPES.get(pref.deployment_type or "")
            for alarm_id, _path in pref.alarms:
                al = alarm(cfn, alarm_id) if alarm_id else None
                if al is None or (alarm_id, pref.deployment_type) in seen:
                    continue
                seen.add((alarm_id, pref.deployment_type))
                path = ["Resources", alarm_id, "Properties"]
                window = al.window_seconds
                if window is None:
                    matches.append(
                        RuleMatch(
                            path,
                            f"rollback alarm {alarm_id} has no literal Period and "
                            "EvaluationPeriods, so its detection time cannot be checked",
                        )
                    )
                    continue
                detection = window + config.METRIC_DELAY_SECONDS
                total = detection + config.ROLLBACK_SECONDS
                if total > RTO_SECONDS:
                    matches.append(
                        RuleMatch(
                            path + (["EvaluationPeriods"]),
                            f"rollback alarm {alarm_id} looks at {window} s of data; with "
                            f"{config.METRIC_DELAY_SECONDS} s metric delay and "
                            f"{config.ROLLBACK_SECONDS} s rollback that is {total} s, over the "
                            f"{RTO_SECONDS} s RTO; shorten Period or EvaluationPeriods",
                        )
                    )
                if window_minutes and detection > window_minutes * 60:
                    matches.append(
                        RuleMatch(
                            path + (["EvaluationPeriods"]),
                            f"rollback alarm {alarm_id} can fire only after {detection} s, "
                            f"after the {window_minutes}-minute window of "
                            f"{pref.deployment_type} ({pref.function_id}); shorten the alarm or "
                            "choose a longer deployment type",
                        )
                    )
        return matches
