RULE = "E9030"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_silent_when_alarms_fire_within_the_rto(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_when_detection_exceeds_the_rto(kit):
    text = kit.deployment()
    start = text.index("  DlqAlarm:")
    bad = text[:start] + text[start:].replace("EvaluationPeriods: 1", "EvaluationPeriods: 4", 1)
    found = kit.lint(RULE, bad)
    assert {f.line for f in found} == {kit.line_of(bad, "EvaluationPeriods: 4")}
    assert any("over the 300 s RTO" in f.message for f in found)
    assert any("window of Canary10Percent5Minutes" in f.message for f in found)
