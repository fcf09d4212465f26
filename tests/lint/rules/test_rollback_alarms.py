RULE = "E9022"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_fires_when_the_dlq_alarm_is_not_a_rollback_alarm(kit):
    bad = kit.mutate("prod", "          - !Ref DeadLetterQueueAlarm\n", "", count=2)
    found = kit.lint(RULE, bad)
    assert found and all("DLQ holds messages" in f.message for f in found)
    assert kit.line_of(bad, "DeploymentPreference:") in {f.line for f in found}


def test_fires_on_a_laxer_threshold(kit):
    bad = kit.mutate("staging", "      Threshold: 5.0", "      Threshold: 20.0")
    [f] = kit.lint(RULE, bad)
    assert "above the design document's 5" in f.message
    assert f.line == kit.line_of(bad, "  Api5xxRateAlarm:") + 2  # its Properties
