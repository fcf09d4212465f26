RULE = "E9030"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_when_alarms_fire_within_the_rto(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_when_detection_exceeds_the_rto(kit):
    text = kit.deployment()
    start = text.index("  DlqAlarm:")
    bad = text[:start] + text[start:].replace(
        "EvaluationPeriods: 1", "EvaluationPeriods: 4\n      DatapointsToAlarm: 4", 1
    )
    found = kit.lint(RULE, bad)
    assert {f.line for f in found} == {kit.line_of(bad, "EvaluationPeriods: 4")}
    assert any("over the 300 s RTO" in f.message for f in found)
    assert any("window of Canary10Percent5Minutes" in f.message for f in found)


def test_one_datapoint_of_several_is_as_fast_as_one_of_one(kit):
    # The drill's model: M of N fires as soon as M datapoints breach.
    text = kit.deployment()
    start = text.index("  DlqAlarm:")
    bad = text[:start] + text[start:].replace(
        "EvaluationPeriods: 1", "EvaluationPeriods: 4\n      DatapointsToAlarm: 1", 1
    )
    assert kit.lint(RULE, bad) == []


def test_agrees_with_the_drill_on_a_long_period(kit):
    from stacks.drill import timing

    text = kit.deployment()
    start = text.index("  DlqAlarm:")
    bad = text[:start] + text[start:].replace("Period: 60", "Period: 300", 1)
    detection = timing.worst_detection_seconds(300, 1, 1)
    assert any(f"fires up to {detection} s" in f.message for f in kit.lint(RULE, bad))
