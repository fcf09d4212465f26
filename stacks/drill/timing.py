"""When a rollback alarm can fire and when traffic is back: the one timing model of the drill
and of lint rule E9030 (`rollback_budget`), so the two cannot disagree.

Sources (AWS documentation):
- Alarm evaluation, periods, M out of N datapoints:
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
- Missing data (TreatMissingData):
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
- Metric math in alarms:
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
- Canary and linear traffic shifting:
  https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
- Rollback on alarms during a deployment:
  https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
  https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html
- PreTraffic hooks (BeforeAllowTraffic) run before any traffic shifts:
  https://docs.aws.amazon.com/codedeploy/latest/userguide/reference-appspec-file-structure-hooks.html

Assumptions where the documentation gives no figure, chosen on the slow side: a period's
datapoint is usable `METRIC_DELAY_SECONDS` after the period ends (AWS/Lambda and EMF metrics
arrive in about a minute, SQS in up to two); alarms are evaluated on every minute boundary
(every period for 10 s / 30 s periods); CodeDeploy notices an alarm and moves the alias back
within `ROLLBACK_SECONDS`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from stacks import config, policy

RTO_SECONDS = policy.RTO_SECONDS
METRIC_DELAY_SECONDS = config.METRIC_DELAY_SECONDS
ROLLBACK_SECONDS = config.ROLLBACK_SECONDS
EVALUATION_INTERVAL_SECONDS = 60

_CANARY = re.compile(r"Canary(\d+)Percent(\d+)Minutes?$")
_LINEAR = re.compile(r"Linear(\d+)PercentEvery(\d+)Minutes?$")


class UnknownDeploymentType(ValueError):
    pass


@functools.cache
def _parse(deployment_type: str) -> tuple[str, int, int]:
    name = deployment_type.removeprefix("CodeDeployDefault.").removeprefix("Lambda")
    if name == "AllAtOnce":
        return "all", 100, 0
    for kind, pattern in (("canary", _CANARY), ("linear", _LINEAR)):
        m = pattern.match(name)
        if m:
            return kind, int(m.group(1)), int(m.group(2)) * 60
    raise UnknownDeploymentType(f"unknown deployment type {deployment_type!r}")


def traffic_share(deployment_type: str, t: float) -> float:
    """The new version's share of traffic `t` seconds after shifting began."""
    kind, percent, interval = _parse(deployment_type)
    if t < 0:
        return 0.0
    if kind == "all" or t >= shifting_seconds(deployment_type):
        return 1.0
    if kind == "canary":
        return percent / 100
    return min(1.0, percent * (int(t // interval) + 1) / 100)


def shifting_seconds(deployment_type: str) -> int:
    """When all traffic is on the new version: the deployment ends and alarms stop mattering."""
    kind, percent, interval = _parse(deployment_type)
    if kind == "all":
        return 0
    if kind == "canary":
        return interval
    steps = -(-100 // percent)  # the first step happens when shifting begins
    return (steps - 1) * interval


def evaluation_interval(period: int) -> int:
    return period if period < EVALUATION_INTERVAL_SECONDS else EVALUATION_INTERVAL_SECONDS


def evaluation_times(period: int, start: float, stop: float) -> list[int]:
    """Alarm evaluations in [start, stop), on the boundaries of the evaluation interval."""
    step = evaluation_interval(period)
    first = int(-(-start // step) * step)
    return list(range(first, int(stop), step))


def usable_periods(period: int, now: float, delay: int = METRIC_DELAY_SECONDS) -> int:
    """How many periods (from time 0) have a datapoint CloudWatch can use at `now`."""
    return max(0, int((now - delay) // period))


COMPARE: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def alarm_state(
    values: list[float | None],
    *,
    threshold: float,
    comparison: str,
    datapoints: int,
    treat_missing: str,
    previous: str,
) -> str:
    """ALARM, OK or INSUFFICIENT_DATA for the last N datapoints (`values`, None = missing)."""
    compare = COMPARE[comparison]
    breaching = sum(1 for v in values if v is not None and compare(v, threshold))
    missing = sum(1 for v in values if v is None)
    if missing == len(values):
        if treat_missing == "breaching":
            return "ALARM" if len(values) >= datapoints else previous
        if treat_missing == "notBreaching":
            return "OK"
        if treat_missing == "ignore":
            return previous
        return "INSUFFICIENT_DATA"
    if treat_missing == "breaching":
        breaching += missing
    return "ALARM" if breaching >= datapoints else "OK"


def step_fault_detection(
    period: int, evaluation_periods: int, datapoints: int, fault_at: float
) -> float:
    """Seconds from a fault at `fault_at` (that breaches every period from then on) to ALARM."""
    first_bad = int(fault_at // period)
    for now in evaluation_times(period, fault_at, fault_at + 24 * 3600):
        usable = usable_periods(period, now)
        window = range(max(0, usable - evaluation_periods), usable)
        values = [1.0 if i >= first_bad else 0.0 for i in window]
        if len(values) < evaluation_periods:
            continue
        state = alarm_state(
            values,
            threshold=0.5,
            comparison="GreaterThanThreshold",
            datapoints=datapoints,
            treat_missing="notBreaching",
            previous="OK",
        )
        if state == "ALARM":
            return now - fault_at
    raise ValueError("the alarm never fires")  # pragma: no cover - needs datapoints > N


def worst_detection_seconds(period: int, evaluation_periods: int, datapoints: int) -> int:
    """The slowest detection of a step fault over every start within a period (whole seconds)."""
    return int(
        max(
            step_fault_detection(period, evaluation_periods, datapoints, 10 * period + offset)
            for offset in range(0, period, max(1, period // 12))
        )
    )
