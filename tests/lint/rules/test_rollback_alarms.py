RULE = "E9022"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_silent_when_the_three_rollback_alarms_are_covered(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_when_the_dlq_alarm_is_not_a_rollback_alarm(kit):
    bad = kit.deployment("          - !Ref DlqAlarm\n", "")
    found = kit.lint(RULE, bad)
    assert all("do not roll back on DLQ holds messages (> 0)" in f.message for f in found)
    # SAM form at the preference; expanded form (the alias's UpdatePolicy) at the function.
    assert {f.line for f in found} == {
        kit.line_of(bad, "DeploymentPreference:"),
        kit.line_of(bad, "  Worker:"),
    }


def test_fires_on_a_laxer_threshold(kit):
    bad = kit.deployment("      Threshold: 10\n", "      Threshold: 20\n")
    [f] = kit.lint(RULE, bad)
    assert "above the design document's 10" in f.message
    assert f.line == kit.line_of(bad, "  ErrorRateAlarm:") + 2  # its Properties
