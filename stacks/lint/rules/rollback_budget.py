from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.drill import timing
from stacks.lint.rules._alarms import alarm
from stacks.lint.rules._deployments import preferences


class RollbackBudget(CloudFormationLintRule):
    """Rollback alarms fire within the RTO and inside the canary window."""

    id = "E9030"
    shortdesc = "Rollback alarms fit the 5-minute RTO and the canary window"
    description = (
        "For each alarm a deployment rolls back on, with the rollback drill's timing model "
        "(stacks/drill/timing.py): the worst-case time from a fault to ALARM (periods, "
        "datapoints to alarm, metric delay, evaluation interval) plus the rollback fits the "
        "recovery time objective, and ALARM comes before the deployment type's canary/linear "
        "shifting ends. `python -m stacks drill` plays whole scenarios on the same model."
    )
    tags = ["resources", "cloudwatch", "deployment", "security-assistant"]

    def match(self, cfn):
        matches = []
        seen = set()
        for pref in preferences(cfn):
            try:
                window = timing.shifting_seconds(pref.deployment_type or "AllAtOnce")
            except timing.UnknownDeploymentType:
                window = None
            for alarm_id, _path in pref.alarms:
                al = alarm(cfn, alarm_id) if alarm_id else None
                if al is None or (alarm_id, pref.deployment_type) in seen:
                    continue
                seen.add((alarm_id, pref.deployment_type))
                path = ["Resources", alarm_id, "Properties"]
                periods = [m.period for m in al.metrics if isinstance(m.period, int)]
                evaluations = al.props.get("EvaluationPeriods")
                datapoints = al.props.get("DatapointsToAlarm", evaluations)
                if (
                    not periods
                    or not isinstance(evaluations, int)
                    or not isinstance(datapoints, int)
                ):
                    matches.append(
                        RuleMatch(
                            path,
                            f"rollback alarm {alarm_id} has no literal Period, EvaluationPeriods "
                            "and DatapointsToAlarm, so its detection time cannot be checked",
                        )
                    )
                    continue
                detection = timing.worst_detection_seconds(max(periods), evaluations, datapoints)
                total = detection + timing.ROLLBACK_SECONDS
                if total > timing.RTO_SECONDS:
                    matches.append(
                        RuleMatch(
                            path + ["EvaluationPeriods"],
                            f"rollback alarm {alarm_id} fires up to {detection} s after a fault "
                            f"(period {max(periods)} s, {datapoints} of {evaluations} datapoints, "
                            f"{timing.METRIC_DELAY_SECONDS} s metric delay); with "
                            f"{timing.ROLLBACK_SECONDS} s rollback that is {total} s, over the "
                            f"{timing.RTO_SECONDS} s RTO; shorten Period or EvaluationPeriods",
                        )
                    )
                if window and detection > window:
                    matches.append(
                        RuleMatch(
                            path + ["EvaluationPeriods"],
                            f"rollback alarm {alarm_id} can fire only after {detection} s, "
                            f"after the {window // 60}-minute window of "
                            f"{pref.deployment_type} ({pref.function_id}); shorten the alarm or "
                            "choose a longer deployment type",
                        )
                    )
        return matches
