"""The rollback drill passes on the generated templates and fails on weakened ones."""

from __future__ import annotations

import copy
import functools
import json

import pytest

from stacks.cli import main
from stacks.diff.sources import parse
from stacks.drill.command import run
from stacks.templates import TARGETS


@functools.cache
def _parsed(env: str) -> dict:
    return parse(TARGETS[env].path.read_text(), env)


def template(env: str = "staging") -> dict:
    """A fresh copy of env's committed template (parsed once: the tests edit their copy)."""
    return copy.deepcopy(_parsed(env))


def failing(rows: list[dict]) -> dict[str, dict]:
    return {r["name"]: r for r in rows if not r["_ok"]}


# Staging's drill as JSON here, prod's as text below: each environment fully drilled once.
def test_every_scenario_ends_as_expected_within_the_rto(capsys):
    env = "staging"
    assert main(["drill", "--env", env, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"env", "rto_seconds", "scenarios"}
    assert doc["env"] == env and doc["rto_seconds"] == 300
    expected = {"rollback": 0, "promote": 0}
    for s in doc["scenarios"]:
        assert set(s) == {
            "name",
            "expected",
            "result",
            "detected_after_seconds",
            "rolled_back_after_seconds",
        }
        assert s["result"] == s["expected"]
        expected[s["expected"]] += 1
        if s["result"] == "rollback":
            assert 0 < s["detected_after_seconds"] <= s["rolled_back_after_seconds"] <= 300
        else:
            assert s["detected_after_seconds"] is None and s["rolled_back_after_seconds"] is None
    assert expected == {"rollback": 7, "promote": 4}


def _preference(t: dict, fn: str) -> dict:
    return t["Resources"][fn]["Properties"]["DeploymentPreference"]


def _queries(t: dict, alarm: str) -> list[dict]:
    return t["Resources"][alarm]["Properties"]["Metrics"]


def test_an_alarm_removed_from_a_deployment_group_fails_the_drill():
    t = template()
    alarms = _preference(t, "ApiFunction")["Alarms"]
    alarms.remove({"Ref": "ApiFunction5xxRateAlarm"})
    bad = failing(run(t, only="api version answers 5xx"))
    # Lambda's Errors never see a handled 500: nothing else rolls that release back.
    assert bad["api version answers 5xx to 30% of requests (handled)"]["result"] == "promote"


def test_a_period_too_long_fails_the_drill():
    t = template()
    for q in _queries(t, "WorkerFunctionErrorRateAlarm"):
        if "MetricStat" in q:
            q["MetricStat"]["Period"] = 300
    bad = failing(run(t, only="worker version fails every record"))
    row = bad["worker version fails every record (batch item failures)"]
    assert row["result"] == "promote" or row["rolled_back_after_seconds"] > 300


def test_dropping_version_scoping_fails_the_drill():
    t = template()
    for alarm in ("ApiFunctionErrorRateAlarm", "ApiFunction5xxRateAlarm"):
        for q in _queries(t, alarm):
            metric = q.get("MetricStat", {}).get("Metric", {})
            metric["Dimensions"] = [
                d for d in metric.get("Dimensions", []) if d["Name"] != "ExecutedVersion"
            ]
    bad = failing(run(t, only="healthy release while the old version"))
    # The old version's errors now count against the fix.
    assert bad["healthy release while the old version still fails"]["result"] == "rollback"


def test_a_dlq_alarm_on_the_static_backlog_fails_the_drill():
    t = template()
    queries = _queries(t, "DeadLetterArrivalsAlarm")
    queries[:] = [q for q in queries if "MetricStat" in q]
    queries[0]["ReturnData"] = True  # "DLQ holds messages" again
    bad = failing(run(t, only="healthy release with an old DLQ"))
    assert bad["healthy release with an old DLQ backlog (25 messages)"]["result"] == "rollback"


def test_the_committed_templates_keep_their_pre_traffic_hooks():
    for fn in ("api", "worker"):
        (row,) = run(template("prod"), only=f"{fn} PreTraffic hook fails")
        assert row["_cause"] == f"{fn} PreTraffic hook"


def test_without_a_hook_the_alarms_still_catch_the_broken_version():
    t = template()
    del _preference(t, "WorkerFunction")["Hooks"]
    (row,) = run(t, only="worker PreTraffic hook fails (storage unreachable)")
    assert row["_ok"] and row["_cause"] == "WorkerFunctionErrorRateAlarm"


def test_break_glass_templates_expect_promotion_except_for_hooks():
    t = template()
    t["Metadata"]["SecurityAssistant"]["BreakGlass"] = True
    for fn in ("ApiFunction", "WorkerFunction"):
        del _preference(t, fn)["Alarms"]
    rows = run(t)
    assert not failing(rows)
    assert {r["name"] for r in rows if r["expected"] == "rollback"} == {
        "api PreTraffic hook fails (new version cannot serve)",
        "worker PreTraffic hook fails (storage unreachable)",
    }


def test_text_output_names_every_scenario(capsys):
    assert main(["drill", "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("rollback drill, prod (RTO 300 s from fault to old version)\n")
    assert "11 of 11 scenarios as expected within the RTO" in out
    assert "FAIL" not in out
    assert out.count(": expected rollback, got rollback; detected ") == 7
    assert out.count(": expected promote, got promote; detected -, traffic back - [") == 4


@pytest.mark.parametrize(
    "argv, message",
    [
        (["drill", "--env", "dev"], "full service"),
        (["drill", "--env", "nope"], "unknown environment 'nope'"),
        (["drill", "--env", "staging", "--template", "missing.yaml"], "cannot read"),
    ],
)
def test_bad_input_exits_2_with_a_message(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_a_broken_template_exits_2(tmp_path, capsys):
    t = copy.deepcopy(template())
    t["Resources"]["ApiFunction5xxRateAlarm"]["Properties"]["Metrics"][-1]["Expression"] = (
        "100 * SEARCH('x', 'Sum', 60)"
    )
    path = tmp_path / "t.json"
    path.write_text(json.dumps(t))
    assert main(["drill", "--env", "staging", "--template", str(path)]) == 2
    assert "not modelled" in capsys.readouterr().err


def test_a_malformed_alarm_exits_2_without_a_traceback(tmp_path, capsys):
    t = template()
    del t["Resources"]["WorkerFunctionErrorRateAlarm"]["Properties"]["Metrics"][0]["MetricStat"][
        "Metric"
    ]
    path = tmp_path / "t.json"
    path.write_text(json.dumps(t))
    assert main(["drill", "--env", "staging", "--template", str(path)]) == 2
    err = capsys.readouterr().err
    assert "malformed" in err and "Traceback" not in err
