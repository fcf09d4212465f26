RULE = "E9020"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_fires_when_the_own_error_rate_alarm_is_missing(kit):
    bad = kit.mutate("staging", "          - !Ref ApiFunctionErrorRateAlarm\n", "")
    found = kit.lint(RULE, bad)
    assert [f.line for f in found] == [kit.line_of(bad, "Alarms:", 0)]
    assert "ApiFunction's own error rate" in found[0].message


def test_fires_when_the_alarm_watches_another_function(kit):
    bad = kit.mutate(
        "staging", "- !Ref ApiFunctionErrorRateAlarm", "- !Ref WorkerFunctionErrorRateAlarm"
    )
    [f] = kit.lint(RULE, bad)
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
    [f] = kit.lint(RULE, text.replace(block, stripped))
    assert "ExecutedVersion" in f.message
