"""One scenario played against a template's model on a simulated clock.

The simulated account publishes what AWS and the code would: AWS/Lambda `Invocations` and
`Errors` under FunctionName, FunctionName+Resource (the alias) and
FunctionName+Resource+ExecutedVersion (invocations through the alias), the code's EMF release
signals (`security_assistant.release_signals`) under service+FunctionName+ExecutedVersion,
API Gateway's `Count` and `5XXError` per stage, and the DLQ's
`ApproximateNumberOfMessagesVisible` (Maximum) while the queue is active (SQS publishes only
for queues that hold messages or were used in the last six hours:
https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html).
Queue messages are received, fail, reappear after the visibility timeout and move to the DLQ
after maxReceiveCount receives
(https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
Requests and records are spread evenly over time and routed to the new version by the
deployment's traffic share, deterministically, so a run always gives the same figures.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from dataclasses import dataclass, field

from security_assistant import release_signals as rs

from stacks.drill import metricmath, timing
from stacks.drill.model import NEW_VERSION, OLD_VERSION, Alarm, Model

# Simulated seconds of steady traffic before the deployment (> maxReceiveCount x visibility).
WARMUP = 1200
PHASES = (0, 15, 30, 45)  # where in the minute the deployment starts; the worst one counts
SQS_ACTIVE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class Behaviour:
    """What a version does with its traffic (shares are 0..1)."""

    crash: float = 0.0  # invocation errors: unhandled crash, out of memory (Lambda Errors)
    server_error: float = 0.0  # API: handled 5xx answers
    client_error: float = 0.0  # API: 4xx answers to client mistakes
    failed: float = 0.0  # worker: records failing for a reason of the version
    timeout: bool = False  # every invocation runs into the function's Timeout
    hook_fails: bool = False  # the PreTraffic smoke test fails


@dataclass(frozen=True)
class Scenario:
    name: str
    expected: str  # "rollback" | "promote"
    traffic: str  # the stated traffic level
    deploys: tuple[str, ...]  # which functions get a new version ("api", "worker")
    api_per_minute: float
    records_per_minute: float
    new: dict[str, Behaviour] = field(default_factory=dict)
    old: dict[str, Behaviour] = field(default_factory=dict)
    poison_share: float = 0.0  # share of the messages sent during the deployment that are poison
    dlq_backlog: int = 0  # dead letters already waiting (since long before the deployment)
    dead_letters_from: float | None = None  # seconds after shifting starts
    dead_letters_per_minute: float = 1.0

    @property
    def hook_fault(self) -> bool:
        return any(self.new.get(k, Behaviour()).hook_fails for k in self.deploys)


@dataclass
class Outcome:
    result: str
    detected_after: int | None
    rolled_back_after: int | None
    cause: str | None  # the alarm or hook that rolled back


class _Spread:
    """Deterministic Bernoulli: over n draws of share p, about n*p are True."""

    def __init__(self) -> None:
        self.acc = 0.5

    def __call__(self, p: float) -> bool:
        self.acc += p
        if self.acc >= 1:
            self.acc -= 1
            return True
        return False


class World:
    def __init__(self) -> None:
        self.samples: dict[tuple, list[tuple[float, float]]] = defaultdict(list)
        self._binned: dict[tuple, dict[int, float]] = {}
        self._lists: dict[tuple, list] = {}  # per (function, version[, signal]): sample lists

    def lambda_lists(self, fn: str, version: str) -> list:
        """The (Invocations, Errors) sample lists a function version's invocation adds to."""
        lists = self._lists.get((fn, version))
        if lists is None:
            keys = _lambda_keys(fn, version)
            lists = self._lists[(fn, version)] = [
                (self.samples[i], self.samples[e]) for i, e in keys
            ]
        return lists

    def signal_list(self, fn: str, version: str, name: str) -> list:
        """The sample list of one of the code's release signals for a function version."""
        lists = self._lists.get((fn, version, name))
        if lists is None:
            dims = (("service", rs.SERVICE), (rs.FUNCTION_NAME, fn), (rs.EXECUTED_VERSION, version))
            lists = self._lists[(fn, version, name)] = self.samples[_key(rs.NAMESPACE, name, dims)]
        return lists

    def add(self, namespace: str, name: str, dims: dict[str, str], t: float, value=1.0):
        self.samples[_key(namespace, name, tuple(dims.items()))].append((t, value))

    def series(self, query, first: int, count: int) -> list[float | None]:
        """The query's statistic per period, periods `first` .. `first + count - 1`."""
        key = (query.namespace, query.name, query.dimensions, query.period, query.stat)
        if key not in self._binned:
            buckets: dict[int, list[float]] = defaultdict(list)
            for t, value in self.samples.get(key[:3], ()):
                buckets[int(t // query.period)].append(value)
            self._binned[key] = {i: _statistic(query.stat, b) for i, b in buckets.items()}
        binned = self._binned[key]
        return [binned.get(i) for i in range(first, first + count)]


def _statistic(stat: str, values: list[float]) -> float:
    if stat == "Average":
        return sum(values) / len(values)
    pick = {"Sum": sum, "Maximum": max, "Minimum": min, "SampleCount": len}.get(stat)
    if pick is None:
        raise ValueError(f"statistic {stat} is not modelled")
    return float(pick(values))


@functools.cache
def _key(namespace: str, name: str, dims: tuple[tuple[str, str], ...]) -> tuple:
    return (namespace, name, tuple(sorted(dims)))


@functools.cache
def _lambda_keys(fn: str, version: str) -> list[tuple[tuple, tuple]]:
    alias = f"{fn}:live"
    sets = (
        (("FunctionName", fn),),
        (("FunctionName", fn), ("Resource", alias)),
        (("FunctionName", fn), ("Resource", alias), ("ExecutedVersion", version)),
    )
    return [(_key("AWS/Lambda", "Invocations", d), _key("AWS/Lambda", "Errors", d)) for d in sets]


def _lambda(world: World, fn: str, version: str, t: float, error: bool) -> None:
    sample = (t, 1.0 if error else 0.0)
    for invocations, errors in world.lambda_lists(fn, version):
        invocations.append((t, 1.0))
        errors.append(sample)


def _signal(world: World, fn: str, version: str, name: str, t: float, value=1.0) -> None:
    world.signal_list(fn, version, name).append((t, value))


class Run:
    def __init__(self, model: Model, scenario: Scenario, phase: int) -> None:
        self.m, self.s = model, scenario
        self.start = WARMUP + phase  # traffic starts shifting
        longest = max(timing.shifting_seconds(g.deployment_type) for g in model.groups.values())
        # The last alarm evaluation that can gate a deployment is before its traffic has all
        # shifted, and it reads only datapoints older than itself: nothing later matters.
        self.horizon = self.start + longest
        self.world = World()
        self.routes = {k: _Spread() for k in model.groups}
        self.behaviours = {
            (kind, version): side.get(kind, Behaviour())
            for kind in model.groups
            for version, side in ((NEW_VERSION, scenario.new), (OLD_VERSION, scenario.old))
        }

    def _version(self, kind: str, t: float) -> str:
        group = self.m.groups[kind]
        if kind not in self.s.deploys or t < self.start:
            return OLD_VERSION
        share = timing.traffic_share(group.deployment_type, t - self.start)
        return NEW_VERSION if self.routes[kind](share) else OLD_VERSION

    def _behaviour(self, kind: str, version: str) -> Behaviour:
        return self.behaviours[(kind, version)]

    def play_api(self) -> None:
        group, rate = self.m.groups["api"], self.s.api_per_minute
        draws = defaultdict(_Spread)
        stage = (("ApiName", self.m.api_name or ""), ("Stage", self.m.stage or ""))
        # Sample lists looked up once: this loop runs for every simulated request.
        count = self.world.samples[_key("AWS/ApiGateway", "Count", stage)]
        errors = self.world.samples[_key("AWS/ApiGateway", "5XXError", stage)]
        for i in range(int(rate * self.horizon / 60)):
            t = (i + 0.5) * 60 / rate
            v = self._version("api", t)
            b = self._behaviour("api", v)
            crash = b.timeout or draws[(v, "crash")](b.crash)
            end = t + group.timeout if b.timeout else t
            server_error = not crash and draws[(v, "5xx")](b.server_error)
            _lambda(self.world, group.function_name, v, end, crash)
            if server_error:
                _signal(self.world, group.function_name, v, rs.SERVER_ERRORS, end)
            count.append((end, 1.0))
            errors.append((end, float(crash or server_error)))

    def play_worker(self) -> list[float]:
        """Process the queue; return when messages reached the DLQ."""
        group, rate = self.m.groups["worker"], self.s.records_per_minute
        draws, poison = defaultdict(_Spread), _Spread()
        heap: list[tuple[float, int, int, bool]] = []  # (receive time, id, receive count, poison)
        for i in range(int(rate * self.horizon / 60)):
            t = (i + 0.5) * 60 / rate
            bad = t >= self.start and poison(self.s.poison_share)
            heapq.heappush(heap, (t, i, 1, bad))
        dead: list[float] = []
        while heap:
            t, i, count, bad = heapq.heappop(heap)
            if t >= self.horizon:
                break
            v = self._version("worker", t)
            b = self._behaviour("worker", v)
            fn = group.function_name
            if b.timeout or draws[(v, "crash")](b.crash):
                end = t + group.timeout if b.timeout else t
                _lambda(self.world, fn, v, end, True)
                ok = False
            else:
                _lambda(self.world, fn, v, t, False)
                failed = not bad and draws[(v, "failed")](b.failed)
                _signal(self.world, fn, v, rs.RECORDS, t)
                _signal(self.world, fn, v, rs.FAILED_RECORDS, t, float(failed))
                ok = not (bad or failed)
            if ok:
                continue
            again = t + self.m.visibility_timeout
            if count >= self.m.max_receive_count:
                dead.append(again)  # moved to the DLQ instead of being received again
            else:
                heapq.heappush(heap, (again, i, count + 1, bad))
        return dead

    def play_dlq(self, dead: list[float]) -> None:
        arrivals = sorted(dead)
        if self.s.dead_letters_from is not None:
            t = self.start + self.s.dead_letters_from
            while t < self.horizon:
                arrivals.append(t)
                t += 60 / self.s.dead_letters_per_minute
            arrivals.sort()
        count, last_activity, i = self.s.dlq_backlog, (0.0 if self.s.dlq_backlog else None), 0
        for minute in range(int(self.horizon // 60)):
            end = (minute + 1) * 60
            while i < len(arrivals) and arrivals[i] < end:
                count, last_activity, i = count + 1, arrivals[i], i + 1
            active = count > 0 or (
                last_activity is not None and end - last_activity < SQS_ACTIVE_SECONDS
            )
            if active:
                dims = {"QueueName": self.m.dlq_name}
                metric = "ApproximateNumberOfMessagesVisible"
                self.world.add("AWS/SQS", metric, dims, end - 1, count)

    def first_alarm(self) -> tuple[float, str] | None:
        found = []
        for kind in self.s.deploys:
            group = self.m.groups[kind]
            stop = self.start + timing.shifting_seconds(group.deployment_type)
            for alarm in group.alarms:
                when = self._alarm_time(alarm, self.start, stop)
                if when is not None:
                    found.append((when, alarm.logical_id))
        return min(found) if found else None

    def _alarm_time(self, alarm: Alarm, start: float, stop: float) -> float | None:
        state = "OK"
        n, p = alarm.evaluation_periods, alarm.period
        for now in timing.evaluation_times(p, start - 10 * p, stop):
            usable = timing.usable_periods(p, now)
            first = usable - n - 1  # one period more than N, for DIFF / RATE
            series = {q.id: self.world.series(q, first, n + 1) for q in alarm.queries}
            values = metricmath.evaluate(alarm.expression, series, p)[-n:]
            state = timing.alarm_state(
                values,
                threshold=alarm.threshold,
                comparison=alarm.comparison,
                datapoints=alarm.datapoints,
                treat_missing=alarm.treat_missing,
                previous=state,
            )
            if state == "ALARM" and now >= start:
                return now
        return None


def play(model: Model, scenario: Scenario, phase: int) -> Outcome:
    run = Run(model, scenario, phase)
    if scenario.hook_fault:
        for kind in scenario.deploys:
            hook = model.groups[kind].pre_traffic_timeout
            if scenario.new.get(kind, Behaviour()).hook_fails and hook is not None:
                # The hook reports Failed at the latest when its Timeout ends; the alias never
                # moved, so traffic never left the old version.
                return Outcome("rollback", hook, hook, f"{kind} PreTraffic hook")
    run.play_api()
    run.play_dlq(run.play_worker())
    alarm = run.first_alarm()
    fault = run.start + (scenario.dead_letters_from or 0)
    if alarm is None:
        return Outcome("promote", None, None, None)
    when, cause = alarm
    detected = max(0, round(when - fault))
    return Outcome("rollback", detected, detected + timing.ROLLBACK_SECONDS, cause)
