RULE = "E9020"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_on_a_function_rolling_back_on_its_own_error_rate(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_when_the_own_error_rate_alarm_is_missing(kit):
    bad = kit.deployment("          - !Ref ErrorRateAlarm\n", "")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Alarms:")
    assert "Worker's own error rate" in f.message


def test_fires_when_the_alarm_watches_another_function(kit):
    bad = kit.deployment("Value: !Ref Worker}", "Value: !Ref Hook}", count=2)
    [f] = kit.lint(RULE, bad)
    assert "FunctionName dimension does not Ref Worker" in f.message


def test_fires_without_the_executed_version_dimension(kit):
    bad = kit.deployment(
        "                - {Name: ExecutedVersion, Value: !GetAtt Worker.Version.Version}\n",
        "",
        count=2,
    )
    [f] = kit.lint(RULE, bad)
    assert "ExecutedVersion" in f.message


def test_fires_when_the_workers_failed_records_are_not_version_scoped(kit):
    import yaml

    from stacks.diff.sources import parse

    t = parse(kit.excerpt("staging", "WorkerFunction", "WorkerFunctionErrorRateAlarm"), "staging")
    for q in t["Resources"]["WorkerFunctionErrorRateAlarm"]["Properties"]["Metrics"]:
        metric = q.get("MetricStat", {}).get("Metric", {})
        if metric.get("Namespace") == "SecurityAssistant":
            metric["Dimensions"] = [
                d for d in metric["Dimensions"] if d["Name"] != "ExecutedVersion"
            ]
    [f] = kit.lint(RULE, yaml.safe_dump(t))
    assert "FailedRecords metric lacks the ExecutedVersion dimension" in f.message


def test_silent_with_break_glass(kit):
    bad = kit.mutate(
        "staging",
        "        - !Ref ApiFunctionErrorRateAlarm\n",
        "",
        keep=("ApiFunction", "ApiFunctionErrorRateAlarm"),
    )
    assert kit.lint(RULE, bad)  # without break glass: the missing alarm is a finding
    glass = "    BreakGlass: true\n    Environment: staging\n"
    assert kit.lint(RULE, bad.replace("    Environment: staging\n", glass)) == []
