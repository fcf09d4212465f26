"""What a CloudWatch alarm measures, and whether it meets the design's rollback policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stacks.lint.rules._refs import as_list, properties, target
from stacks.policy import API_5XX_PERCENT, DLQ_MESSAGES, ERROR_RATE_PERCENT

ROLLBACK_KINDS = {
    "error-rate": f"Lambda error rate > {ERROR_RATE_PERCENT:g} %",
    "api-5xx-rate": f"API Gateway 5xx rate > {API_5XX_PERCENT:g} %",
    "dlq": f"DLQ holds messages (> {DLQ_MESSAGES})",
}


@dataclass
class Metric:
    namespace: str
    name: str
    dimensions: dict[str, Any]
    period: int | None
    stat: str | None


@dataclass
class Alarm:
    logical_id: str
    props: dict
    metrics: list[Metric] = field(default_factory=list)

    @property
    def window_seconds(self) -> int | None:
        """Period x evaluation periods: how long the alarm looks before it can fire."""
        periods = [m.period for m in self.metrics if isinstance(m.period, int)]
        if isinstance(self.props.get("Period"), int):
            periods.append(self.props["Period"])
        evaluations = self.props.get("EvaluationPeriods")
        if not periods or not isinstance(evaluations, int):
            return None
        return max(periods) * evaluations

    def kind(self) -> str | None:
        """Which of the design document's rollback triggers this alarm measures."""
        names = {(m.namespace, m.name) for m in self.metrics}
        if {("AWS/Lambda", "Errors"), ("AWS/Lambda", "Invocations")} <= names:
            return "error-rate"
        if ("AWS/ApiGateway", "5XXError") in names:
            return "api-5xx-rate"
        if ("AWS/SQS", "ApproximateNumberOfMessagesVisible") in names:
            return "dlq"
        return None

    def threshold_problem(self) -> str | None:
        """Why the threshold is laxer than the design document's (None if it is not)."""
        kind = self.kind()
        threshold = self.props.get("Threshold")
        op = self.props.get("ComparisonOperator")
        if isinstance(threshold, str):
            try:
                threshold = float(threshold)
            except ValueError:
                return f"threshold {threshold!r} is not a number"
        if not isinstance(threshold, int | float):
            return "has no numeric Threshold"
        if op not in ("GreaterThanThreshold", "GreaterThanOrEqualToThreshold"):
            return f"compares with {op}; a rollback alarm must fire when the value goes up"
        if kind == "error-rate" or kind == "api-5xx-rate":
            limit = ERROR_RATE_PERCENT if kind == "error-rate" else API_5XX_PERCENT
            # A plain Average of 5XXError is a fraction (0..1), a metric-math rate a percentage.
            if not self.props.get("Metrics") and threshold <= 1:
                limit = limit / 100
            if threshold > limit:
                return f"threshold {threshold:g} is above the design document's {limit:g}"
        if kind == "dlq":
            limit = DLQ_MESSAGES if op == "GreaterThanThreshold" else DLQ_MESSAGES + 1
            if threshold > limit:
                return f"fires only above {threshold:g} messages; it must fire on the first one"
        return None

    def error_rate_problem(self, function_id: str) -> str | None:
        """Why this is not the error-rate alarm of the new version of `function_id`."""
        if self.kind() != "error-rate":
            return "does not measure AWS/Lambda Errors / Invocations"
        for m in self.metrics:
            if m.namespace != "AWS/Lambda":
                continue
            if target(m.dimensions.get("FunctionName")) != function_id:
                return f"its {m.name} metric's FunctionName dimension does not Ref {function_id}"
            missing = [d for d in ("Resource", "ExecutedVersion") if d not in m.dimensions]
            if missing:
                return (
                    f"its {m.name} metric lacks the {' and '.join(missing)} dimension(s) that "
                    "limit it to the alias and the version being deployed"
                )
        return None


def alarm(cfn, logical_id: str | None) -> Alarm | None:
    """The AWS::CloudWatch::Alarm `logical_id` of a cfn-lint Template, None if it is not one."""
    res = cfn.get_resources("AWS::CloudWatch::Alarm").get(logical_id or "")
    if res is None:
        return None
    props = properties(res)
    result = Alarm(logical_id, props)
    if props.get("MetricName"):  # a single-metric alarm
        result.metrics.append(_metric(props, props.get("Period"), props.get("Statistic")))
    for query in as_list(props.get("Metrics")):
        stat = query.get("MetricStat") if isinstance(query, dict) else None
        if not isinstance(stat, dict) or not isinstance(stat.get("Metric"), dict):
            continue
        result.metrics.append(_metric(stat["Metric"], stat.get("Period"), stat.get("Stat")))
    return result


def _metric(metric: dict, period: Any, stat: Any) -> Metric:
    """A metric named by Namespace/MetricName/Dimensions, as alarms and metric queries do."""
    dimensions = {
        d["Name"]: d.get("Value")
        for d in as_list(metric.get("Dimensions"))
        if isinstance(d, dict) and isinstance(d.get("Name"), str)
    }
    return Metric(
        str(metric.get("Namespace")), str(metric.get("MetricName")), dimensions, period, stat
    )
