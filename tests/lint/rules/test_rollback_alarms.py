def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9022") == []


def test_fires_when_the_dlq_alarm_is_not_a_rollback_alarm(kit):
    bad, found = kit.mutate("prod", "          - !Ref DeadLetterArrivalsAlarm\n", "", count=2)
    found = kit.ids(found, "E9022")
    assert found and all("new dead letters" in f.message for f in found)
    assert kit.line_of(bad, "DeploymentPreference:") in {f.line for f in found}


def test_fires_when_the_dlq_rollback_alarm_watches_the_backlog(kit):
    bad, found = kit.mutate(
        "staging",
        "          - !Ref DeadLetterArrivalsAlarm\n",
        "          - !Ref DeadLetterQueueAlarm\n",
    )
    found = kit.ids(found, "E9022")
    assert found and any("an old backlog rolls back every deployment" in f.message for f in found)


def test_recognises_the_version_scoped_5xx_alarm(kit):
    # Without it, nothing in the deployment groups measures the API's 5xx.
    bad, found = kit.mutate("staging", "          - !Ref ApiFunction5xxRateAlarm\n", "")
    assert any("5xx rate > 5 %" in f.message for f in kit.ids(found, "E9022"))


def test_silent_with_break_glass(kit):
    text = kit.text("staging")
    bad = text.replace(
        "    Environment: staging\n", "    BreakGlass: true\n    Environment: staging\n"
    )
    bad = bad.replace("          - !Ref ApiFunction5xxRateAlarm\n", "")
    assert kit.ids(kit.lint(bad), "E9022") == []


def test_fires_on_a_laxer_threshold(kit):
    bad, found = kit.mutate("staging", "      Threshold: 5.0", "      Threshold: 20.0")
    [f] = kit.ids(found, "E9022")
    assert "above the design document's 5" in f.message
    assert f.line == kit.line_of(bad, "  ApiFunction5xxRateAlarm:") + 2  # its Properties
