"""What the project's cfn-lint rules share: which form a template is in, its environment,
references between resources and what a CloudWatch alarm measures.

The file name starts with "_" so that cfn-lint's directory loader (`append_rules`) skips it;
the rule modules import it as `stacks.lint.rules._common`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from security_assistant import release_signals as rs

from stacks import config

SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31"

# `python -m stacks lint --template FILE --env X` sets this; otherwise the template says.
ENV_OVERRIDE: str | None = None

# The design document's rollback triggers: Lambda error rate > 10 %, API 5xx rate > 5 %,
# DLQ holds messages.
ERROR_RATE_PERCENT = 10.0
API_5XX_PERCENT = 5.0
ROLLBACK_KINDS = {
    "error-rate": f"Lambda error rate > {ERROR_RATE_PERCENT:g} %",
    "api-5xx-rate": f"API Gateway 5xx rate > {API_5XX_PERCENT:g} %",
    "dlq": "new dead letters in the DLQ (> 0)",
}


def is_sam(template: dict) -> bool:
    """True for the SAM form (still carries the Serverless transform / AWS::Serverless::*)."""
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    if SERVERLESS_TRANSFORM in names:
        return True
    return any(
        isinstance(r, dict) and str(r.get("Type", "")).startswith("AWS::Serverless::")
        for r in (template.get("Resources") or {}).values()
    )


def break_glass(template: dict) -> bool:
    """The environment deploys without alarm gating (`EnvConfig.break_glass`, on purpose)."""
    meta = template.get("Metadata") or {}
    sa = meta.get("SecurityAssistant") if isinstance(meta, dict) else None
    return isinstance(sa, dict) and sa.get("BreakGlass") is True


def environment(template: dict) -> config.EnvConfig | None:
    name = ENV_OVERRIDE
    if name is None:
        meta = template.get("Metadata") or {}
        sa = meta.get("SecurityAssistant") if isinstance(meta, dict) else None
        name = sa.get("Environment") if isinstance(sa, dict) else None
    return config.ENVIRONMENTS.get(name) if isinstance(name, str) else None


def resources(template: dict, *types: str) -> Iterator[tuple[str, dict, dict]]:
    """(logical id, resource, properties) of every resource of one of `types` (all if none)."""
    for rid, res in (template.get("Resources") or {}).items():
        if not isinstance(res, dict):
            continue
        if types and res.get("Type") not in types:
            continue
        props = res.get("Properties")
        yield rid, res, props if isinstance(props, dict) else {}


def target(value: Any) -> str | None:
    """The logical id a Ref / GetAtt / single-variable Sub points at (else None)."""
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref" and isinstance(arg, str):
            return arg.split(".")[0]
        if fn == "Fn::GetAtt":
            if isinstance(arg, list) and arg and isinstance(arg[0], str):
                return arg[0]
            if isinstance(arg, str):
                return arg.split(".")[0]
        if fn == "Fn::Sub":
            text = arg[0] if isinstance(arg, list) and arg else arg
            if isinstance(text, str):
                found = re.findall(r"\$\{([A-Za-z0-9]+)[.}]", text)
                if len(set(found)) == 1:
                    return found[0]
    return None


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# --- CloudWatch alarms -----------------------------------------------------------------


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

    def names(self) -> set[tuple[str, str]]:
        return {(m.namespace, m.name) for m in self.metrics}

    def kind(self) -> str | None:
        """Which of the design document's rollback triggers this alarm measures."""
        names = self.names()
        # The API's 5xx: API Gateway's own metric, or the new version's 5xx the code counts.
        if names & {("AWS/ApiGateway", "5XXError"), (rs.NAMESPACE, rs.SERVER_ERRORS)}:
            return "api-5xx-rate"
        if {("AWS/Lambda", "Errors"), ("AWS/Lambda", "Invocations")} <= names:
            return "error-rate"
        if ("AWS/SQS", "ApproximateNumberOfMessagesVisible") in names:
            return "dlq"
        return None

    def counts_arrivals(self) -> bool:
        """A DLQ alarm on the *change* of the queue's depth (DIFF/RATE), not on its level."""
        return any(
            re.search(r"\b(DIFF|RATE)\(", q.get("Expression", ""))
            for q in as_list(self.props.get("Metrics"))
            if isinstance(q, dict)
            and q.get("ReturnData", True)
            and isinstance(q.get("Expression"), str)
        )

    def threshold_problem(self, template: dict) -> str | None:
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
            limit = 0 if op == "GreaterThanThreshold" else 1
            if threshold > limit:
                return f"fires only above {threshold:g} messages; it must fire on the first one"
        return None


def alarm(template: dict, logical_id: str) -> Alarm | None:
    res = (template.get("Resources") or {}).get(logical_id)
    if not isinstance(res, dict) or res.get("Type") != "AWS::CloudWatch::Alarm":
        return None
    props = res.get("Properties") if isinstance(res.get("Properties"), dict) else {}
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
    return Metric(
        str(metric.get("Namespace")),
        str(metric.get("MetricName")),
        _dimensions(metric.get("Dimensions")),
        period,
        stat,
    )


def _dimensions(value: Any) -> dict[str, Any]:
    return {
        d["Name"]: d.get("Value")
        for d in as_list(value)
        if isinstance(d, dict) and isinstance(d.get("Name"), str)
    }


def error_rate_problem(al: Alarm, function_id: str) -> str | None:
    """Why `al` is not the error-rate alarm of the new version of `function_id`."""
    if al.kind() != "error-rate":
        return "does not measure AWS/Lambda Errors / Invocations"
    for m in al.metrics:
        if m.namespace == rs.NAMESPACE and rs.EXECUTED_VERSION not in m.dimensions:
            return f"its {m.name} metric lacks the {rs.EXECUTED_VERSION} dimension (new version)"
        if m.namespace != "AWS/Lambda":
            continue
        if target(m.dimensions.get("FunctionName")) != function_id:
            return f"its {m.name} metric's FunctionName dimension does not Ref {function_id}"
        missing = [d for d in ("Resource", "ExecutedVersion") if d not in m.dimensions]
        if missing:
            return (
                f"its {m.name} metric lacks the {' and '.join(missing)} dimension(s) that limit "
                "it to the alias and the version being deployed"
            )
    return None


# --- deployment preferences (SAM) and deployment groups (expanded) ----------------------


@dataclass
class Preference:
    function_id: str
    path: list  # to the DeploymentPreference / the alias's UpdatePolicy
    alarms: list[tuple[str | None, list]]  # (alarm logical id, path)
    deployment_type: str | None
    hooks: dict[str, str | None]  # hook name -> function logical id
    enabled: bool = True


def preferences(template: dict) -> list[Preference]:
    found = []
    if is_sam(template):
        for rid, _res, props in resources(template, "AWS::Serverless::Function"):
            pref = props.get("DeploymentPreference")
            if not isinstance(pref, dict):
                continue
            path = ["Resources", rid, "Properties", "DeploymentPreference"]
            alarms = [
                (target(a), [*path, "Alarms", i]) for i, a in enumerate(as_list(pref.get("Alarms")))
            ]
            hooks = {k: target(v) for k, v in (pref.get("Hooks") or {}).items()}
            found.append(
                Preference(
                    rid,
                    path,
                    alarms,
                    _str(pref.get("Type")),
                    hooks,
                    enabled=pref.get("Enabled") is not False,
                )
            )
        return found
    all_resources = template.get("Resources") or {}
    for rid, res, props in resources(template, "AWS::Lambda::Alias"):
        update = (res.get("UpdatePolicy") or {}).get("CodeDeployLambdaAliasUpdate")
        if not isinstance(update, dict):
            continue
        group_id = target(update.get("DeploymentGroupName"))
        group = all_resources.get(group_id) if group_id else None
        gprops = (group or {}).get("Properties") or {}
        gpath = ["Resources", group_id, "Properties", "AlarmConfiguration", "Alarms"]
        conf = gprops.get("AlarmConfiguration") or {}
        alarms = [
            (target(a.get("Name")) if isinstance(a, dict) else None, [*gpath, i])
            for i, a in enumerate(as_list(conf.get("Alarms")))
        ]
        hooks = {
            k: target(update.get(k))
            for k in ("BeforeAllowTrafficHook", "AfterAllowTrafficHook")
            if k in update
        }
        found.append(
            Preference(
                target(props.get("FunctionName")) or rid,
                ["Resources", rid, "UpdatePolicy", "CodeDeployLambdaAliasUpdate"],
                alarms,
                _config_name(gprops.get("DeploymentConfigName")),
                hooks,
                conf.get("Enabled") is True,
            )
        )
    return found


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _config_name(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), list):
        text, variables = (value["Fn::Sub"] + [{}])[:2]
        if isinstance(text, str) and isinstance(variables, dict):
            value = re.sub(r"\$\{(\w+)\}", lambda m: str(variables.get(m.group(1), "")), text)
    if isinstance(value, str):
        return value.removeprefix("CodeDeployDefault.Lambda")
    return None


def function_name(template: dict, logical_id: str | None) -> str | None:
    res = (template.get("Resources") or {}).get(logical_id or "")
    props = (res or {}).get("Properties") or {}
    return _str(props.get("FunctionName"))
