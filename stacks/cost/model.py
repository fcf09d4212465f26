"""A month of one environment, priced resource by resource from its expanded template.

The expanded template is what CloudFormation really creates (versions, aliases, event source
mappings, CodeDeploy groups, roles), so every billed thing has its own resource. How often each
runs is derived from the template itself (which function an API permission, a queue mapping or
a CodeDeploy hook name points at) and the environment's `Usage` in `stacks/config.py`. The
account-wide free tier is ignored on purpose: three environments and other workloads share it.
A resource type this module does not know is an error, so nothing new is silently free.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stacks.config import EnvConfig, Usage
from stacks.cost.prices import PriceList
from stacks.errors import ConfigError
from stacks.references import referenced

HOURS_PER_MONTH = 730  # AWS's convention for monthly prices
DAYS_PER_MONTH = HOURS_PER_MONTH / 24
KIB_PER_GB = 1024 * 1024

# Sizes the code fixes rather than the traffic (lambdas/security_assistant/).
REPORT_KB = 2.0  # a report: a few findings, type + line + redacted hint each
JOB_ITEM_KB = 1.0  # a job item in DynamoDB: under 1 KB, so one request unit per write/read
JOB_TTL_DAYS = 30  # models.JOB_TTL_SECONDS
ACCESS_LOG_KB = 0.5  # one JSON access-log line of the REST API

# Per job: S3 writes the input and the report, reads each once (worker, client); DynamoDB
# writes queued/running/done, and the worker reads nothing (the write that starts the job
# returns it: Storage.start_job); SQS sends, receives, deletes.
S3_PUTS_PER_JOB, S3_GETS_PER_JOB = 2, 2
DDB_WRITES_PER_JOB, DDB_READS_PER_JOB = 3, 0
SQS_REQUESTS_PER_JOB = 3

# Lambda's SQS event source long-polls even an idle queue: five pollers, each one
# ReceiveMessage per 20-second wait (docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).
IDLE_POLLERS, POLL_SECONDS = 5, 20

# Types that cost nothing by themselves (their use is billed on the resources above them).
FREE_TYPES = {
    "AWS::ApiGateway::Account": "an account setting",
    "AWS::ApiGateway::Deployment": "requests are billed on the RestApi",
    "AWS::ApiGateway::Stage": "requests are billed on the RestApi",
    "AWS::CodeDeploy::Application": "CodeDeploy to Lambda is free",
    "AWS::CodeDeploy::DeploymentGroup": "CodeDeploy to Lambda is free",
    "AWS::IAM::ManagedPolicy": "IAM is free",
    "AWS::IAM::Policy": "IAM is free",
    "AWS::IAM::Role": "IAM is free",
    "AWS::Lambda::Alias": "invocations are billed on the function",
    "AWS::Lambda::EventInvokeConfig": "a setting of the function",
    "AWS::Lambda::Permission": "a resource policy",
    "AWS::Lambda::Version": "invocations are billed on the function",
    "AWS::S3::BucketPolicy": "a resource policy",
    "AWS::SNS::TopicPolicy": "a resource policy",
    "AWS::SQS::QueuePolicy": "a resource policy",
}


class UnpricedResource(ConfigError):
    """A resource this model cannot price: a new type, or a function with no known trigger."""


@dataclass(frozen=True)
class Line:
    resource: str
    type: str
    component: str
    quantity: float
    unit: str
    unit_price: float
    fixed: bool = False  # billed whether or not anyone uses the service

    @property
    def monthly(self) -> float:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Estimate:
    env: str
    budget: float
    usage: Usage
    prices: PriceList
    lines: tuple[Line, ...]
    breaking_jobs: int | None = None  # scans a month that would exceed the budget

    @property
    def total(self) -> float:
        return sum(line.monthly for line in self.lines)

    @property
    def over_budget(self) -> bool:
        return round(self.total, 2) > self.budget

    def by_resource(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.resource] = totals.get(line.resource, 0.0) + line.monthly
        return totals


class _Month:
    """Counts for one template and usage profile, shared by the per-type pricers."""

    def __init__(self, template: dict, usage: Usage, prices: PriceList):
        self.resources: dict[str, dict] = template.get("Resources") or {}
        self.usage = usage
        self.prices = prices
        # An alias stands for its function: triggers usually point at the alias.
        self.function_of = {rid: rid for rid in self.of("AWS::Lambda::Function")}
        for rid, props in self.of("AWS::Lambda::Alias", "AWS::Lambda::Version").items():
            for target in referenced(props.get("FunctionName")):
                self.function_of[rid] = target
        self.invocations = {fn: self._invocations(fn) for fn in self.of("AWS::Lambda::Function")}

    def of(self, *types: str) -> dict[str, dict]:
        return {
            rid: res.get("Properties") or {}
            for rid, res in self.resources.items()
            if res.get("Type") in types
        }

    def functions_in(self, value: Any) -> set[str]:
        return {self.function_of[r] for r in referenced(value) if r in self.function_of}

    def triggers(self, fn: str) -> list[str]:
        """How `fn` is invoked: 'api', 'queue' and/or 'hook'."""
        found = []
        for props in self.of("AWS::Lambda::Permission").values():
            is_api = props.get("Principal") == "apigateway.amazonaws.com"
            if is_api and fn in self.functions_in(props.get("FunctionName")):
                found.append("api")
                break
        for props in self.of("AWS::Lambda::EventSourceMapping").values():
            if fn in self.functions_in(props.get("FunctionName")):
                found.append("queue")
                break
        name = self.resources[fn].get("Properties", {}).get("FunctionName")
        if isinstance(name, str | dict) and "CodeDeployHook_" in str(name):
            found.append("hook")
        return found

    def _invocations(self, fn: str) -> tuple[float, float]:
        """(invocations a month, average milliseconds) of one function."""
        u = self.usage
        counts = {
            "api": (u.api_requests, u.api_ms),
            "queue": (u.jobs, u.scan_ms),  # one worker run per job: conservative at low volume
            "hook": (u.deployments, u.api_ms),  # the hook invokes the new version once
        }
        triggers = self.triggers(fn)
        if not triggers:
            raise UnpricedResource(
                f"function {fn} has no API permission, queue event source mapping or "
                "CodeDeployHook_ name, so its invocations are unknown: teach "
                "stacks/cost/model.py (_Month.triggers) how it is invoked"
            )
        runs = sum(counts[t][0] for t in triggers)
        ms = max(counts[t][1] for t in triggers)
        return runs, ms

    def line(self, rid, component, quantity, unit, price_key, fixed=False) -> Line:
        rtype = self.resources[rid]["Type"] if rid in self.resources else "(code)"
        return Line(rid, rtype, component, quantity, unit, self.prices[price_key], fixed)


def _function(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    runs, ms = m.invocations[rid]
    arch = (props.get("Architectures") or ["x86_64"])[0]
    gb = (props.get("MemorySize") or 128) / 1024
    yield m.line(rid, "requests", runs, "requests", f"lambda.requests_{arch}")
    yield m.line(
        rid, f"duration ({arch})", runs * ms / 1000 * gb, "GB-s", f"lambda.duration_{arch}"
    )


def _event_source_mapping(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    polls = IDLE_POLLERS * HOURS_PER_MONTH * 3600 / POLL_SECONDS
    yield m.line(rid, "idle SQS polling", polls, "requests", "sqs.requests", fixed=True)


def _queue(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    consumed = any(
        rid in referenced(p.get("EventSourceArn"))
        for p in m.of("AWS::Lambda::EventSourceMapping").values()
    )
    jobs = m.usage.jobs if consumed else 0  # a DLQ holds only failures
    yield m.line(rid, "requests", jobs * SQS_REQUESTS_PER_JOB, "requests", "sqs.requests")


def _held_days(rules: list, prefix: str) -> float:
    """Days an object under `prefix` is kept: expiry plus, when versioned, noncurrent days."""
    live = noncurrent = None
    for rule in rules:
        if rule.get("Status") != "Enabled" or not prefix.startswith(rule.get("Prefix", "")):
            continue
        if "ExpirationInDays" in rule:
            live = min(live or rule["ExpirationInDays"], rule["ExpirationInDays"])
        nve = rule.get("NoncurrentVersionExpiration") or {}
        if "NoncurrentDays" in nve:
            noncurrent = nve["NoncurrentDays"]
    if live is None:
        return DAYS_PER_MONTH  # never expires: at least a month's worth (it keeps growing)
    return live + (noncurrent or 0)


def _bucket(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    u = m.usage
    rules = (props.get("LifecycleConfiguration") or {}).get("Rules") or []
    kib_days = u.jobs * (
        u.input_kb * _held_days(rules, "inputs/") + REPORT_KB * _held_days(rules, "reports/")
    )
    gb = kib_days / DAYS_PER_MONTH / KIB_PER_GB
    yield m.line(rid, "storage (Standard)", gb, "GB-month", "s3.standard_storage")
    yield m.line(rid, "PUT requests", u.jobs * S3_PUTS_PER_JOB, "requests", "s3.put_requests")
    yield m.line(rid, "GET requests", u.jobs * S3_GETS_PER_JOB, "requests", "s3.get_requests")


def _table(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    u = m.usage
    if props.get("BillingMode") != "PAY_PER_REQUEST":
        raise UnpricedResource(f"table {rid} is not on-demand (PAY_PER_REQUEST); only on-demand")
    writes = u.jobs * DDB_WRITES_PER_JOB
    reads = u.jobs * DDB_READS_PER_JOB + u.api_requests
    gb = u.jobs * JOB_ITEM_KB * JOB_TTL_DAYS / DAYS_PER_MONTH / KIB_PER_GB
    yield m.line(rid, "write request units", writes, "WRU", "dynamodb.write_request_units")
    yield m.line(rid, "read request units", reads, "RRU", "dynamodb.read_request_units")
    yield m.line(rid, "storage", gb, "GB-month", "dynamodb.storage")
    pitr = props.get("PointInTimeRecoverySpecification") or {}
    if pitr.get("PointInTimeRecoveryEnabled"):
        yield m.line(rid, "point-in-time recovery", gb, "GB-month", "dynamodb.pitr_storage")


def _rest_api(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    yield m.line(
        rid, "REST API requests", m.usage.api_requests, "requests", "apigateway.rest_requests"
    )


def _log_group(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    """Lambda logs follow their function's invocations; access logs follow API requests."""
    u = m.usage
    kb = 0.0
    name = props.get("LogGroupName")
    for fn, (runs, _ms) in m.invocations.items():
        fn_name = m.resources[fn].get("Properties", {}).get("FunctionName")
        if fn in m.functions_in(name) or (fn_name and name == f"/aws/lambda/{fn_name}"):
            kb += runs * u.log_kb_per_request
    for other in m.resources.values():
        log = ((other.get("Properties") or {}).get("AccessLogSetting") or {}).get("DestinationArn")
        if rid in referenced(log):
            kb += u.api_requests * ACCESS_LOG_KB
    gb = kb / KIB_PER_GB
    days = props.get("RetentionInDays") or DAYS_PER_MONTH * 12  # no retention: a year's worth
    yield m.line(rid, "ingestion", gb, "GB", "cloudwatch.log_ingestion")
    held = gb * min(days, DAYS_PER_MONTH * 12) / DAYS_PER_MONTH
    yield m.line(rid, "storage", held, "GB-month", "cloudwatch.log_storage")


def _metrics_of_alarm(props: dict) -> list[tuple[str, str, str]]:
    """(namespace, metric, dimensions) of every metric an alarm reads."""
    found = []
    if "MetricName" in props:
        found.append(
            (props.get("Namespace", ""), props["MetricName"], str(props.get("Dimensions")))
        )
    for query in props.get("Metrics") or []:
        metric = (query.get("MetricStat") or {}).get("Metric") or {}
        if "MetricName" in metric:
            found.append(
                (metric.get("Namespace", ""), metric["MetricName"], str(metric.get("Dimensions")))
            )
    return found


def _alarm(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    # Billed per metric the alarm reads (metric math: each metric; expressions are free).
    metrics = _metrics_of_alarm(props)
    yield m.line(rid, "alarm metrics", len(metrics), "metrics", "cloudwatch.alarm_metrics", True)


def _custom_metrics(m: _Month) -> Iterator[Line]:
    """Custom metrics: those the code publishes (EMF) and those only alarms name."""
    emitter = next(
        (
            rid
            for rid, props in sorted(m.of("AWS::Lambda::Function").items())
            if "POWERTOOLS_METRICS_NAMESPACE" in str(props.get("Environment"))
        ),
        None,
    )
    if emitter and m.usage.emf_metric_series:
        yield m.line(
            emitter,
            "custom metrics (EMF)",
            m.usage.emf_metric_series,
            "metrics",
            "cloudwatch.custom_metrics",
            True,
        )
    seen: set[tuple[str, str, str]] = set()
    for rid, props in sorted(m.of("AWS::CloudWatch::Alarm").items()):
        custom = [x for x in _metrics_of_alarm(props) if not x[0].startswith("AWS/")]
        new = [x for x in custom if x not in seen]
        seen |= set(new)
        if new:
            yield m.line(
                rid,
                "custom metrics alarmed on",
                len(new),
                "metrics",
                "cloudwatch.custom_metrics",
                True,
            )


def _metric_filter(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    # Each metric a filter publishes is a custom metric (one series: no dimensions assumed).
    n = len(props.get("MetricTransformations") or [])
    yield m.line(rid, "custom metrics", n, "metrics", "cloudwatch.custom_metrics", True)


def _topic(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    yield m.line(rid, "publishes", m.usage.alarm_notifications, "requests", "sns.publishes")


def _subscription(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    if props.get("Protocol") == "email":
        n = m.usage.alarm_notifications
        yield m.line(rid, "e-mail deliveries", n, "notifications", "sns.email_deliveries")
    elif props.get("Protocol") in ("lambda", "sqs"):
        yield m.line(rid, "deliveries (free to Lambda/SQS)", 0, "notifications", "sns.publishes")
    else:
        raise UnpricedResource(f"{rid}: SNS protocol {props.get('Protocol')!r} is not priced")


def _budget(m: _Month, rid: str, props: dict) -> Iterator[Line]:
    # Notification-only budgets cost nothing (usage type BudgetsUsage, $0.00 per budget-day);
    # budgets with actions would be billed (ActionEnabledBudgetsUsage after 62 free days).
    yield m.line(rid, "budget-days", DAYS_PER_MONTH, "budget-days", "budgets.budget_days", True)


PRICERS: dict[str, Callable[[_Month, str, dict], Iterator[Line]]] = {
    "AWS::ApiGateway::RestApi": _rest_api,
    "AWS::Budgets::Budget": _budget,
    "AWS::CloudWatch::Alarm": _alarm,
    "AWS::DynamoDB::Table": _table,
    "AWS::Lambda::EventSourceMapping": _event_source_mapping,
    "AWS::Lambda::Function": _function,
    "AWS::Logs::LogGroup": _log_group,
    "AWS::Logs::MetricFilter": _metric_filter,
    "AWS::S3::Bucket": _bucket,
    "AWS::SNS::Subscription": _subscription,
    "AWS::SNS::Topic": _topic,
    "AWS::SQS::Queue": _queue,
}


def estimate(expanded: dict, cfg: EnvConfig, prices: PriceList) -> Estimate:
    """Price every resource of an expanded (plain CloudFormation) template."""
    if cfg.usage is None:
        raise ConfigError(f"environment {cfg.name} has no usage profile (EnvConfig.usage)")
    unknown = sorted(
        {
            f"{rid} ({res.get('Type')})"
            for rid, res in (expanded.get("Resources") or {}).items()
            if res.get("Type") not in PRICERS and res.get("Type") not in FREE_TYPES
        }
    )
    if unknown:
        raise UnpricedResource(
            f"no price model for {', '.join(unknown)}: add the type to PRICERS (with its "
            "prices in prices-eu-west-2.json) or, if it is free, to FREE_TYPES in "
            "stacks/cost/model.py"
        )
    month = _Month(expanded, cfg.usage, prices)
    lines: list[Line] = []
    for rid, res in sorted(month.resources.items()):
        rtype = res["Type"]
        if rtype in FREE_TYPES:
            lines.append(Line(rid, rtype, f"free: {FREE_TYPES[rtype]}", 0, "-", 0.0))
        else:
            lines.extend(PRICERS[rtype](month, rid, res.get("Properties") or {}))
    lines.extend(_custom_metrics(month))
    return Estimate(cfg.name, cfg.monthly_budget_usd, cfg.usage, prices, tuple(lines))
