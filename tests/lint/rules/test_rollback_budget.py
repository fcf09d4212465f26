def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9030") == []


def _mutate_dlq_alarm(kit, *changes):
    text = kit.text("staging")
    start = text.index("  DeadLetterArrivalsAlarm:")
    block = text[start : text.index("  DeadLetterQueueAlarm:")]
    new = block
    for old, replacement in changes:
        new = new.replace(old, replacement)
    return text.replace(block, new)


def test_fires_when_detection_exceeds_the_rto(kit):
    bad = _mutate_dlq_alarm(
        kit,
        ("EvaluationPeriods: 1", "EvaluationPeriods: 4"),
        ("DatapointsToAlarm: 1", "DatapointsToAlarm: 4"),
    )
    found = kit.ids(kit.lint(bad), "E9030")
    assert found, "expected a finding"
    line = kit.line_of(bad, "EvaluationPeriods: 4")
    assert {f.line for f in found} == {line}
    assert any("fires up to 360 s after a fault" in f.message for f in found)
    assert any("over the 300 s RTO" in f.message for f in found)
    assert any("window of Canary10Percent5Minutes" in f.message for f in found)


def test_one_datapoint_of_several_is_as_fast_as_one_of_one(kit):
    # The drill's model: M of N fires as soon as M datapoints breach.
    bad = _mutate_dlq_alarm(kit, ("EvaluationPeriods: 1", "EvaluationPeriods: 4"))
    assert kit.ids(kit.lint(bad), "E9030") == []


def test_agrees_with_the_drill_on_a_long_period(kit):
    from stacks.drill import timing

    bad = _mutate_dlq_alarm(kit, ("Period: 60", "Period: 300"))
    found = kit.ids(kit.lint(bad), "E9030")
    detection = timing.worst_detection_seconds(300, 1, 1)
    assert any(f"fires up to {detection} s" in f.message for f in found)
