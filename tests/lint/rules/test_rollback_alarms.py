RULE = "E9022"
# staging's API function and the alarms it rolls back on: the committed shapes of the alarms.
API_FUNCTION = (
    "ApiFunction",
    "ApiFunctionErrorRateAlarm",
    "ApiFunction5xxRateAlarm",
    "DeadLetterArrivalsAlarm",
)


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_when_the_three_rollback_alarms_are_covered(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_when_the_dlq_alarm_is_not_a_rollback_alarm(kit):
    bad = kit.deployment("          - !Ref DlqAlarm\n", "")
    found = kit.lint(RULE, bad)
    assert all("do not roll back on new dead letters in the DLQ (> 0)" in f.message for f in found)
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


def test_fires_when_the_dlq_rollback_alarm_watches_the_backlog(kit):
    bad = kit.deployment("          - !Ref DlqAlarm\n", "          - !Ref BacklogAlarm\n")
    found = kit.lint(RULE, bad)
    assert found and any("an old backlog rolls back every deployment" in f.message for f in found)


def test_recognises_the_version_scoped_5xx_alarm_of_the_committed_templates(kit):
    text = kit.excerpt("staging", *API_FUNCTION)
    assert kit.lint(RULE, text) == []
    bad = text.replace("        - !Ref ApiFunction5xxRateAlarm\n", "")
    assert bad != text
    assert any("5xx rate > 5 %" in f.message for f in kit.lint(RULE, bad))


def test_silent_with_break_glass(kit):
    text = kit.mutate(
        "staging",
        "    Environment: staging\n",
        "    BreakGlass: true\n    Environment: staging\n",
        keep=API_FUNCTION,
    )
    bad = text.replace("        - !Ref ApiFunction5xxRateAlarm\n", "")
    assert bad != text and kit.lint(RULE, bad) == []
