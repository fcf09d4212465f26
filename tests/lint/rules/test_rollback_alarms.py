def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9022") == []


def test_fires_when_the_dlq_alarm_is_not_a_rollback_alarm(kit):
    bad, found = kit.mutate("prod", "          - !Ref DeadLetterQueueAlarm\n", "", count=2)
    found = kit.ids(found, "E9022")
    assert found and all("DLQ holds messages" in f.message for f in found)
    assert kit.line_of(bad, "DeploymentPreference:") in {f.line for f in found}


def test_fires_on_a_laxer_threshold(kit):
    bad, found = kit.mutate("staging", "      Threshold: 5.0", "      Threshold: 20.0")
    [f] = kit.ids(found, "E9022")
    assert "above the design document's 5" in f.message
    assert f.line == kit.line_of(bad, "  Api5xxRateAlarm:") + 2  # its Properties
