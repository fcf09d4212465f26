def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9020") == []


def test_fires_when_the_own_error_rate_alarm_is_missing(kit):
    bad, found = kit.mutate("staging", "          - !Ref ApiFunctionErrorRateAlarm\n", "")
    found = kit.ids(found, "E9020")
    assert [f.line for f in found] == [kit.line_of(bad, "Alarms:", 0)]
    assert "ApiFunction's own error rate" in found[0].message


def test_fires_when_the_alarm_watches_another_function(kit):
    bad, found = kit.mutate(
        "staging", "- !Ref ApiFunctionErrorRateAlarm", "- !Ref WorkerFunctionErrorRateAlarm"
    )
    [f] = kit.ids(found, "E9020")
    assert "FunctionName dimension does not Ref ApiFunction" in f.message


def test_fires_without_the_executed_version_dimension(kit):
    text = kit.text("staging")
    start = text.index("  ApiFunctionErrorRateAlarm:")
    block = text[start : text.index("  ApiFunctionLogGroup:")]
    stripped = block.replace(
        "                - Name: ExecutedVersion\n"
        "                  Value: !GetAtt ApiFunction.Version.Version\n",
        "",
    )
    bad = text.replace(block, stripped)
    [f] = kit.ids(kit.lint(bad), "E9020")
    assert "ExecutedVersion" in f.message


def test_fires_when_the_workers_failed_records_are_not_version_scoped(kit):
    import yaml

    from stacks.diff.sources import parse

    t = parse(kit.text("staging"), "staging")
    for q in t["Resources"]["WorkerFunctionErrorRateAlarm"]["Properties"]["Metrics"]:
        metric = q.get("MetricStat", {}).get("Metric", {})
        if metric.get("Namespace") == "SecurityAssistant":
            metric["Dimensions"] = [
                d for d in metric["Dimensions"] if d["Name"] != "ExecutedVersion"
            ]
    [f] = kit.ids(kit.lint(yaml.safe_dump(t)), "E9020")
    assert "FailedRecords metric lacks the ExecutedVersion dimension" in f.message


def test_silent_with_break_glass(kit):
    text = kit.text("staging").replace(
        "    Environment: staging\n", "    BreakGlass: true\n    Environment: staging\n"
    )
    bad = text.replace("          - !Ref ApiFunctionErrorRateAlarm\n", "")
    assert kit.ids(kit.lint(bad), "E9020") == []
