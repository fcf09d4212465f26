"""What the drill reads from a generated SAM template: the functions and their deployment
preferences, the alarms (metrics, math, periods, datapoints, missing data), the queue.

Intrinsic functions in alarm dimensions are resolved to the values they take in the simulated
account: `Ref` of a function is its FunctionName, `GetAtt <fn>.Version.Version` is the version
being deployed (`NEW_VERSION`; the live one is `OLD_VERSION`), `GetAtt <queue>.QueueName` its
QueueName, `Sub` substitutes those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

OLD_VERSION = "1"
NEW_VERSION = "2"


class TemplateError(ValueError):
    """The template lacks something the drill needs (bad input: exit 2)."""


@dataclass(frozen=True)
class Query:
    id: str
    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...]  # sorted (name, value)
    period: int
    stat: str


@dataclass
class Alarm:
    logical_id: str
    queries: list[Query]
    expression: str  # metric math over the query ids (a single metric: its id)
    period: int
    evaluation_periods: int
    datapoints: int
    comparison: str
    threshold: float
    treat_missing: str


@dataclass
class Group:
    """A function's deployment preference (its CodeDeploy deployment group)."""

    function_id: str
    function_name: str
    kind: str  # "api" | "worker"
    deployment_type: str
    alarms: list[Alarm]
    pre_traffic_timeout: int | None  # the PreTraffic hook's Timeout; None without a hook
    timeout: int  # the function's own Timeout


@dataclass
class Model:
    groups: dict[str, Group]  # by kind
    api_name: str | None
    stage: str | None
    visibility_timeout: int
    max_receive_count: int
    dlq_name: str
    break_glass: bool = False
    notes: list[str] = field(default_factory=list)


def load(template: dict) -> Model:
    try:
        return _load(template)
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise TemplateError(
            f"a resource the drill reads is malformed ({type(exc).__name__}: {exc}); "
            "drill the generated template (python -m stacks build)"
        ) from None


def _load(template: dict) -> Model:
    resources = template.get("Resources") or {}
    r = _Resolver(resources)
    groups: dict[str, Group] = {}
    api_name = stage = None
    for rid, res in resources.items():
        props = res.get("Properties") or {} if isinstance(res, dict) else {}
        if res.get("Type") == "AWS::Serverless::Api":
            api_name, stage = props.get("Name"), props.get("StageName")
        if res.get("Type") != "AWS::Serverless::Function" or "AutoPublishAlias" not in props:
            continue
        events = [e.get("Type") for e in (props.get("Events") or {}).values()]
        kind = "api" if "Api" in events else "worker" if "SQS" in events else None
        if kind is None:
            continue
        pref = props.get("DeploymentPreference") or {}
        enabled = isinstance(pref, dict) and pref.get("Enabled") is not False and pref
        hook = (pref.get("Hooks") or {}).get("PreTraffic") if enabled else None
        hook_id = _ref(hook)
        groups[kind] = Group(
            function_id=rid,
            function_name=r.function_name(rid),
            kind=kind,
            deployment_type=pref.get("Type", "AllAtOnce") if enabled else "AllAtOnce",
            alarms=[_alarm(resources, _ref(a), r) for a in (pref.get("Alarms") or [])]
            if enabled
            else [],
            pre_traffic_timeout=_int(resources[hook_id]["Properties"].get("Timeout", 3))
            if hook_id in resources
            else None,
            timeout=_int(props.get("Timeout", 3)),
        )
    missing = {"api", "worker"} - set(groups)
    if missing:
        raise TemplateError(
            f"no aliased {' or '.join(sorted(missing))} function (AutoPublishAlias with an "
            "Api / SQS event): the drill needs the full service's template (staging, prod)"
        )
    queue = _source_queue(resources)
    policy = queue.get("RedrivePolicy") or {}
    dlq_id = _ref(policy.get("deadLetterTargetArn"))
    if dlq_id not in resources:
        raise TemplateError("the jobs queue has no RedrivePolicy to a DLQ of this template")
    meta = (template.get("Metadata") or {}).get("SecurityAssistant") or {}
    return Model(
        groups=groups,
        api_name=api_name,
        stage=stage,
        visibility_timeout=_int(queue.get("VisibilityTimeout", 30)),
        max_receive_count=_int(policy.get("maxReceiveCount")),
        dlq_name=r.value({"Fn::GetAtt": [dlq_id, "QueueName"]}),
        break_glass=meta.get("BreakGlass") is True,
    )


def _source_queue(resources: dict) -> dict:
    for res in resources.values():
        props = res.get("Properties") or {}
        if res.get("Type") == "AWS::SQS::Queue" and "RedrivePolicy" in props:
            return props
    raise TemplateError("no AWS::SQS::Queue with a RedrivePolicy (the jobs queue)")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TemplateError(f"expected a literal number, got {value!r}") from None


def _ref(value: Any) -> str | None:
    """The logical id a Ref or GetAtt points at."""
    if isinstance(value, dict) and isinstance(value.get("Ref"), str):
        return value["Ref"]
    att = value.get("Fn::GetAtt") if isinstance(value, dict) else None
    if isinstance(att, list) and att and isinstance(att[0], str):
        return att[0]
    return None


def _alarm(resources: dict, alarm_id: str | None, r: _Resolver) -> Alarm:
    res = resources.get(alarm_id or "")
    if not isinstance(res, dict) or res.get("Type") != "AWS::CloudWatch::Alarm":
        raise TemplateError(f"deployment preference alarm {alarm_id!r} is not an alarm resource")
    p = res.get("Properties") or {}
    if p.get("MetricName"):  # a single-metric alarm
        query = _query("m", p, p.get("Period"), p.get("Statistic"), r)
        queries, expression = [query], "m"
    else:
        queries, expression = [], None
        for q in p.get("Metrics") or []:
            if "MetricStat" in q:
                stat = q["MetricStat"]
                queries.append(_query(q["Id"], stat["Metric"], stat["Period"], stat["Stat"], r))
            if q.get("ReturnData", True) and "Expression" in q:
                expression = q["Expression"]
            elif q.get("ReturnData", True) and "MetricStat" in q:
                expression = q["Id"]
        if expression is None:
            raise TemplateError(f"alarm {alarm_id} returns no metric or expression")
    evaluations = _int(p.get("EvaluationPeriods"))
    return Alarm(
        logical_id=alarm_id,
        queries=queries,
        expression=expression,
        period=max(q.period for q in queries),
        evaluation_periods=evaluations,
        datapoints=_int(p.get("DatapointsToAlarm", evaluations)),
        comparison=p.get("ComparisonOperator"),
        threshold=float(p.get("Threshold")),
        treat_missing=p.get("TreatMissingData", "missing"),
    )


def _query(id_: str, metric: dict, period: Any, stat: Any, r: _Resolver) -> Query:
    dims = tuple(sorted((d["Name"], r.value(d["Value"])) for d in metric.get("Dimensions") or []))
    return Query(id_, metric["Namespace"], metric["MetricName"], dims, _int(period), str(stat))


class _Resolver:
    def __init__(self, resources: dict) -> None:
        self.resources = resources

    def function_name(self, rid: str) -> str:
        props = (self.resources.get(rid) or {}).get("Properties") or {}
        return props.get("FunctionName") or rid

    def value(self, v: Any) -> str:
        if isinstance(v, str):
            return v
        if not isinstance(v, dict) or len(v) != 1:
            raise TemplateError(f"cannot resolve {v!r}")
        ((fn, arg),) = v.items()
        if fn == "Ref":
            res = self.resources.get(arg) or {}
            if res.get("Type") == "AWS::Serverless::Function":
                return self.function_name(arg)
            return f"<{arg}>"
        if fn == "Fn::GetAtt":
            parts = (arg if isinstance(arg, str) else ".".join(arg)).split(".")
            if len(parts) == 3 and parts[1:] == ["Version", "Version"]:
                return NEW_VERSION
            if parts[1:] == ["QueueName"]:
                props = (self.resources.get(parts[0]) or {}).get("Properties") or {}
                return props.get("QueueName") or parts[0]
            return f"<{'.'.join(parts)}>"
        if fn == "Fn::Sub" and isinstance(arg, str):
            return re.sub(r"\$\{([\w.]+)\}", lambda m: self.value({"Ref": m.group(1)}), arg)
        raise TemplateError(f"cannot resolve {fn} in an alarm dimension")
