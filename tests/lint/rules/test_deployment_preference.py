RULE = "E9020"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


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
