"""Every difference between environments, in one place.

One frozen, typed `EnvConfig` per environment. Reading `ENVIRONMENTS` below shows everything
that differs between dev, staging and prod; the resource builders in `stacks/service/` read
nothing else. Values are validated when the config is created, so a bad edit fails at import
time with a message that names the field and the allowed range.
"""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from dataclasses import MISSING, dataclass, fields

from stacks.errors import ConfigError
from stacks.policy import API_5XX_PERCENT, ERROR_RATE_PERCENT, RTO_SECONDS

__all__ = ["ConfigError", "EnvConfig", "Expiry", "ENVIRONMENTS", "Usage", "get"]

PROJECT = "security-assistant"
ACCOUNT_ID = "445567098699"
REGION = "eu-west-2"
ARTIFACTS_BUCKET = "security-assistant-sam-deployments"

# CodeDeploy's predefined Lambda deployment configurations, with the minutes during which the
# new version takes only part of the traffic (the window in which an alarm can still roll back).
DEPLOYMENT_TYPES: dict[str, int] = {
    "AllAtOnce": 0,
    "Canary10Percent5Minutes": 5,
    "Canary10Percent10Minutes": 10,
    "Canary10Percent15Minutes": 15,
    "Canary10Percent30Minutes": 30,
    "Linear10PercentEvery1Minute": 10,
    "Linear10PercentEvery2Minutes": 20,
    "Linear10PercentEvery3Minutes": 30,
    "Linear10PercentEvery10Minutes": 100,
}

# What CloudWatch accepts for log group retention.
LOG_RETENTION_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)

# How long AWS takes to publish the metrics our rollback alarms read (Lambda and API Gateway:
# about a minute; SQS: up to two); RTO_SECONDS, the design's objective, is in stacks/policy.py.
METRIC_DELAY_SECONDS = 120
ROLLBACK_SECONDS = 60  # CodeDeploy shifting the alias back to the old version

# What the worker keeps aside per record besides its scan (input, report and status writes);
# `security_assistant.worker.SAFETY_MARGIN_MS` (a test keeps the two equal).
WORKER_MARGIN_SECONDS = 5

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _strict(cls):
    """An unknown or missing keyword is a ConfigError naming it, not a TypeError.

    Applied over @dataclass: the generated __init__ runs only with known fields.
    """
    init = cls.__init__
    known = [f.name for f in fields(cls)]
    required = [
        f.name for f in fields(cls) if f.default is MISSING and f.default_factory is MISSING
    ]

    @functools.wraps(init)
    def __init__(self, *args, **kwargs):
        given = set(known[: len(args)]) | set(kwargs)
        problems = []
        for name in sorted(set(kwargs) - set(known)):
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown field {name!r}{hint}")
        if len(args) > len(known):
            problems.append(f"{len(args)} positional values for {len(known)} fields")
        problems += [f"missing field {name!r}" for name in required if name not in given]
        if problems:
            where = f" for environment {kwargs['name']!r}" if "name" in kwargs else ""
            raise ConfigError(f"invalid {cls.__name__}{where}:\n  - " + "\n  - ".join(problems))
        init(self, *args, **kwargs)

    cls.__init__ = __init__
    return cls


def _type_problems(obj) -> list[str]:
    """Each field whose value is not of its annotated type (bool is no int, 30.5 no int)."""
    hints = typing.get_type_hints(type(obj))
    return [
        f"{f.name} must be {_describe(hints[f.name])}, got {getattr(obj, f.name)!r}"
        for f in fields(obj)
        if not _is_a(getattr(obj, f.name), hints[f.name])
    ]


def _is_a(value, hint) -> bool:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_is_a(value, arg) for arg in args)
    if origin is tuple:  # tuple[X, ...]
        return isinstance(value, tuple) and all(_is_a(v, args[0]) for v in value)
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, hint)


def _describe(hint) -> str:
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        return f"a tuple of {_describe(args[0])}"
    if args:
        return " or ".join(_describe(a) for a in args)
    names = {int: "a whole number", float: "a number", bool: "True or False", str: "a string"}
    return "None" if hint is type(None) else names.get(hint, f"a {hint.__name__}")


@_strict
@dataclass(frozen=True)
class Expiry:
    """Objects under `prefix` ("" for the whole bucket) expire `days` after creation."""

    prefix: str
    days: int

    def __post_init__(self) -> None:
        problems = _type_problems(self)
        if problems:
            raise ConfigError("invalid Expiry:\n  - " + "\n  - ".join(problems))


@_strict
@dataclass(frozen=True)
class Usage:
    """What one environment does in a month: the basis of `python -m stacks cost`.

    Each figure says where it comes from; change it when the traffic you expect changes.
    """

    api_requests: int  # API calls a month (submits, status polls, report reads, health)
    jobs: int  # scans a month (POST /jobs); each is one SQS message and one worker run
    input_kb: float  # average submitted text; the design's limit is 256 KiB
    api_ms: int  # average ApiFunction duration
    scan_ms: int  # average WorkerFunction duration (download, detect-secrets, upload)
    deployments: int  # releases a month: one PreTraffic hook run and one CodeDeploy deployment
    log_kb_per_request: float  # Lambda + access log lines written per API call or job
    emf_metric_series: int  # custom metrics the code publishes (names x dimension sets)
    alarm_notifications: int  # SNS publishes a month (alarm state changes, budget alerts)


@_strict
@dataclass(frozen=True)
class EnvConfig:
    name: str
    # dev has only the data bucket and jobs table; staging and prod run the whole service.
    full_service: bool

    # storage
    expiries: tuple[Expiry, ...]
    noncurrent_version_days: int
    incomplete_upload_days: int
    point_in_time_recovery: bool
    retain_stateful: bool  # DeletionPolicy/UpdateReplacePolicy Retain on data-holding resources

    # queue and worker. Sized from `tools/bench_scan.py` (README, "Scanner: recall and bounded
    # time"): the worst 256 KiB input takes ~7.3 CPU-seconds, so the worker gets a full vCPU
    # (1769 MB), each scan a 10 s budget, and the timeout a whole batch of worst-case scans.
    # The batch stays small because a version that times out is seen only when its invocations
    # end: the timeout is part of the rollback drill's detection time (README, "Rollback").
    max_receive_count: int = 3
    worker_timeout_seconds: int = 30
    worker_batch_size: int = 2
    worker_memory_mb: int = 1769
    scan_budget_seconds: int = 10
    worker_max_concurrency: int = 5
    dlq_retention_days: int = 14

    # API and functions
    throttle_rate_limit: int = 10
    throttle_burst_limit: int = 20
    api_timeout_seconds: int = 10
    memory_mb: int = 512
    max_content_bytes: int = 262144
    log_level: str = "INFO"
    log_retention_days: int = 30
    provisioned_concurrency: int = 0  # > 0 opts in; the pay-per-use rule refuses it otherwise

    # deployment and rollback
    deployment_type: str = "Canary10Percent5Minutes"
    error_rate_threshold_percent: float = ERROR_RATE_PERCENT
    api_5xx_threshold_percent: float = API_5XX_PERCENT
    alarm_period_seconds: int = 60
    alarm_evaluation_periods: int = 1
    alarm_email: str | None = None
    # Break glass: deploy without alarm gating (DeploymentPreference without Alarms; traffic
    # still shifts gradually and the PreTraffic hooks still run). Only to ship a fix that a
    # rollback alarm keeps rolling back, e.g. a worker whose old version is still filling the
    # DLQ (dead letters cannot be told apart by version). Set it in one pull request, deploy,
    # and unset it in the next; the template diff shows both.
    break_glass: bool = False

    # cost: the monthly AWS Budgets figure (USD) and the usage `python -m stacks cost` prices
    monthly_budget_usd: float = 5.0
    usage: Usage | None = None

    # fixed for the project; kept here so that every template reads them from one place
    account_id: str = ACCOUNT_ID
    region: str = REGION

    def __post_init__(self) -> None:
        # Types first: the range checks below assume them.
        problems = _type_problems(self) or list(_problems(self))
        if problems:
            raise ConfigError(
                f"invalid config for environment {self.name!r}:\n  - " + "\n  - ".join(problems)
            )

    def resource_name(self, suffix: str) -> str:
        """`security-assistant-<env>-<suffix>`: the one naming scheme of every named resource."""
        return f"{PROJECT}-{self.name}-{suffix}"

    @property
    def stack_name(self) -> str:
        return f"{PROJECT}-{self.name}"

    @property
    def canary_minutes(self) -> int:
        return DEPLOYMENT_TYPES[self.deployment_type]

    @property
    def detection_seconds(self) -> int:
        """Worst case from the first bad request to an alarm: evaluation window + metric delay."""
        return self.alarm_period_seconds * self.alarm_evaluation_periods + METRIC_DELAY_SECONDS

    @property
    def job_lease_seconds(self) -> int:
        """How long a worker may hold a running job: its invocation cannot outlive this."""
        return self.worker_timeout_seconds

    @property
    def queue_visibility_timeout(self) -> int:
        # AWS's guidance for SQS event sources: at least six times the function timeout.
        return 6 * self.worker_timeout_seconds

    def as_rows(self) -> list[tuple[str, str]]:
        """(field, value) pairs for `python -m stacks envs`."""
        rows = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "expiries":
                value = ", ".join(f"{e.prefix or 'all'} {e.days}d" for e in value)
            if f.name == "usage" and value is not None:
                value = f"{value.jobs} scans, {value.api_requests} calls"
            rows.append((f.name, "-" if value is None else str(value)))
        return rows


def _problems(c: EnvConfig):
    if not re.fullmatch(r"[a-z][a-z0-9]{1,11}", c.name):
        yield f"name {c.name!r} must be 2-12 lowercase letters/digits"
    if not c.expiries:
        yield "expiries must name at least one prefix (every bucket needs lifecycle rules)"
    for e in c.expiries:
        if e.days < 1:
            yield f"expiries: {e.prefix or 'whole bucket'} days must be >= 1, got {e.days}"
    for name in ("noncurrent_version_days", "incomplete_upload_days", "dlq_retention_days"):
        if getattr(c, name) < 1:
            yield f"{name} must be >= 1, got {getattr(c, name)}"
    if not 1 <= c.dlq_retention_days <= 14:
        yield f"dlq_retention_days must be 1-14 (the SQS maximum), got {c.dlq_retention_days}"
    if not 1 <= c.max_receive_count <= 1000:
        yield f"max_receive_count must be 1-1000, got {c.max_receive_count}"
    if not 1 <= c.worker_timeout_seconds <= 900:
        yield f"worker_timeout_seconds must be 1-900, got {c.worker_timeout_seconds}"
    if c.queue_visibility_timeout > 43200:
        yield "worker_timeout_seconds x 6 exceeds the SQS visibility timeout maximum (43200 s)"
    if not 1 <= c.worker_batch_size <= 10:
        yield f"worker_batch_size must be 1-10, got {c.worker_batch_size}"
    if not 1 <= c.scan_budget_seconds <= 900:
        yield f"scan_budget_seconds must be 1-900, got {c.scan_budget_seconds}"
    needed = c.worker_batch_size * (c.scan_budget_seconds + WORKER_MARGIN_SECONDS)
    if c.worker_timeout_seconds < needed:
        yield (
            f"worker_timeout_seconds {c.worker_timeout_seconds} cannot fit a batch of "
            f"{c.worker_batch_size} worst-case scans (batch x (scan_budget_seconds + "
            f"{WORKER_MARGIN_SECONDS}) = {needed}): raise it or lower the batch size"
        )
    if not 128 <= c.worker_memory_mb <= 10240:
        yield f"worker_memory_mb must be 128-10240, got {c.worker_memory_mb}"
    if not 2 <= c.worker_max_concurrency <= 1000:
        yield f"worker_max_concurrency must be 2-1000, got {c.worker_max_concurrency}"
    if not 1 <= c.api_timeout_seconds <= 29:
        yield f"api_timeout_seconds must be 1-29 (API Gateway's limit), got {c.api_timeout_seconds}"
    if not 128 <= c.memory_mb <= 10240:
        yield f"memory_mb must be 128-10240, got {c.memory_mb}"
    if not 1 <= c.max_content_bytes <= 6 * 1024 * 1024:
        yield (
            f"max_content_bytes must be 1-6291456 (Lambda's payload limit), "
            f"got {c.max_content_bytes}"
        )
    if c.throttle_rate_limit < 1 or c.throttle_burst_limit < c.throttle_rate_limit:
        yield "throttle limits must be >= 1 with burst >= rate"
    if c.log_level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        yield f"log_level must be DEBUG, INFO, WARNING or ERROR, got {c.log_level!r}"
    if c.log_retention_days not in LOG_RETENTION_DAYS:
        yield f"log_retention_days must be one of {LOG_RETENTION_DAYS}, got {c.log_retention_days}"
    if c.provisioned_concurrency < 0:
        yield f"provisioned_concurrency must be >= 0, got {c.provisioned_concurrency}"
    if c.deployment_type not in DEPLOYMENT_TYPES:
        yield (
            f"deployment_type {c.deployment_type!r} is unknown; "
            f"choose from {', '.join(DEPLOYMENT_TYPES)}"
        )
    for name in ("error_rate_threshold_percent", "api_5xx_threshold_percent"):
        if not 0 < getattr(c, name) < 100:
            yield f"{name} must be between 0 and 100 (exclusive), got {getattr(c, name)}"
    for name, limit in (
        ("error_rate_threshold_percent", ERROR_RATE_PERCENT),
        ("api_5xx_threshold_percent", API_5XX_PERCENT),
    ):
        if 0 < getattr(c, name) < 100 and getattr(c, name) > limit:
            yield (
                f"{name} {getattr(c, name):g} is looser than the design document's {limit:g} % "
                "(stacks/policy.py): rollback would come later than the design allows; use "
                f"a value <= {limit:g}"
            )
    if c.alarm_period_seconds not in (10, 30) and c.alarm_period_seconds % 60:
        yield (
            f"alarm_period_seconds must be 10, 30 or a multiple of 60, got {c.alarm_period_seconds}"
        )
    if c.alarm_evaluation_periods < 1:
        yield f"alarm_evaluation_periods must be >= 1, got {c.alarm_evaluation_periods}"
    if c.full_service:
        budget = c.detection_seconds + ROLLBACK_SECONDS
        if budget > RTO_SECONDS:
            yield (
                f"alarms detect trouble in {c.detection_seconds} s; with {ROLLBACK_SECONDS} s of "
                f"rollback that is {budget} s, over the {RTO_SECONDS} s RTO: shorten the "
                "alarm period or evaluation periods"
            )
        shifting = c.deployment_type in DEPLOYMENT_TYPES and c.deployment_type != "AllAtOnce"
        if shifting and c.detection_seconds > c.canary_minutes * 60:
            yield (
                f"alarms detect trouble in {c.detection_seconds} s, after the "
                f"{c.canary_minutes}-minute canary window of {c.deployment_type} has ended"
            )
    if c.alarm_email is not None and not _EMAIL.match(c.alarm_email):
        yield f"alarm_email {c.alarm_email!r} is not an e-mail address"
    if not c.monthly_budget_usd > 0:
        yield f"monthly_budget_usd must be > 0, got {c.monthly_budget_usd}"
    if c.usage is not None:
        for f in fields(c.usage):
            if getattr(c.usage, f.name) < 0:
                yield f"usage.{f.name} must be >= 0, got {getattr(c.usage, f.name)}"
    if not re.fullmatch(r"\d{12}", c.account_id):
        yield f"account_id must be 12 digits, got {c.account_id!r}"


ENVIRONMENTS: dict[str, EnvConfig] = {
    "dev": EnvConfig(
        name="dev",
        full_service=False,
        # The design document: objects, old versions and incomplete uploads go after 7 days.
        expiries=(Expiry("", 7),),
        noncurrent_version_days=7,
        incomplete_upload_days=7,
        point_in_time_recovery=False,
        retain_stateful=False,
        log_level="DEBUG",
        log_retention_days=7,
        deployment_type="AllAtOnce",
        # The design document: dev costs under $1 a month.
        monthly_budget_usd=1.0,
        usage=Usage(
            api_requests=0,  # dev has no API in AWS: E2E runs call the code in-process
            jobs=3000,  # `pytest -m e2e` against dev: ~30 jobs a run, ~100 runs a month
            input_kb=4,  # the E2E fixtures are small config snippets and logs
            api_ms=0,
            scan_ms=0,
            deployments=0,  # no functions, so no CodeDeploy hook runs
            log_kb_per_request=0,  # no functions, no access logs
            emf_metric_series=0,  # EMF needs a Lambda; E2E runs publish none
            alarm_notifications=5,  # budget alerts only
        ),
    ),
    "staging": EnvConfig(
        name="staging",
        full_service=True,
        # Submitted text may itself be a leaked secret: keep it briefly, reports longer.
        expiries=(Expiry("inputs/", 3), Expiry("reports/", 14)),
        noncurrent_version_days=1,
        incomplete_upload_days=1,
        point_in_time_recovery=True,
        retain_stateful=False,
        log_retention_days=14,
        deployment_type="Canary10Percent5Minutes",  # rehearses prod's shifting
        # The design document: staging costs about $5 a month.
        monthly_budget_usd=5.0,
        usage=Usage(
            api_requests=20000,  # integration tests (~50 calls per deploy) plus client demos
            jobs=4000,  # a fifth of the calls submit a scan; the rest poll status and reports
            input_kb=16,  # a typical config file or diff; MAX_CONTENT_BYTES caps it at 256 KiB
            api_ms=120,  # ApiFunction at 512 MB: DynamoDB + S3 + SQS round trips
            scan_ms=1500,  # detect-secrets on 16 KiB with every plugin, warm
            deployments=40,  # about two merges to develop a working day
            log_kb_per_request=1.5,  # Powertools JSON logs: start, end, REPORT and a line or two
            emf_metric_series=5,  # the metric names in observability.py x one dimension set
            alarm_notifications=50,  # alarm state changes (ALARM and OK) and budget alerts
        ),
    ),
    "prod": EnvConfig(
        name="prod",
        full_service=True,
        expiries=(Expiry("inputs/", 7), Expiry("reports/", 90)),
        noncurrent_version_days=7,
        incomplete_upload_days=1,
        point_in_time_recovery=True,
        retain_stateful=True,
        throttle_rate_limit=50,
        throttle_burst_limit=100,
        worker_max_concurrency=20,
        log_retention_days=90,
        deployment_type="Canary10Percent5Minutes",
        # Set an address (e.g. the on-call list) to be mailed when an alarm rolls back a release.
        alarm_email=None,
        # The estimate at the usage below (`python -m stacks cost --env prod`) with headroom.
        monthly_budget_usd=10.0,
        usage=Usage(
            api_requests=300000,  # expected adoption: ~60000 scans, each polled ~4 times
            jobs=60000,  # ~2000 scans a day from CI pipelines and people
            input_kb=16,  # as staging
            api_ms=120,
            scan_ms=1500,
            deployments=8,  # about two releases a week
            log_kb_per_request=1.5,
            emf_metric_series=5,
            alarm_notifications=50,
        ),
    ),
}


def _check_environments(envs: dict[str, EnvConfig]) -> None:
    """Rules across environments: each is filed under its own name (so names are unique and
    no two share resource names)."""
    problems = [
        f"ENVIRONMENTS[{key!r}] is named {cfg.name!r}: the key and the name must agree"
        for key, cfg in envs.items()
        if key != cfg.name
    ]
    if problems:
        raise ConfigError("invalid ENVIRONMENTS:\n  - " + "\n  - ".join(problems))


_check_environments(ENVIRONMENTS)


def get(env: str) -> EnvConfig:
    try:
        return ENVIRONMENTS[env]
    except KeyError:
        raise ConfigError(
            f"unknown environment {env!r}; choose from {', '.join(ENVIRONMENTS)}"
        ) from None
