RULE = "E9030"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_fires_when_detection_exceeds_the_rto(kit):
    text = kit.text("staging")
    start = text.index("  DeadLetterQueueAlarm:")
    block = text[start : text.index("  JobsDeadLetterQueue:")]
    bad = text.replace(block, block.replace("EvaluationPeriods: 1", "EvaluationPeriods: 4"))
    found = kit.lint(RULE, bad)
    assert {f.line for f in found} == {kit.line_of(bad, "EvaluationPeriods: 4")}
    assert any("over the 300 s RTO" in f.message for f in found)
    assert any("window of Canary10Percent5Minutes" in f.message for f in found)
