def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9062") == []


def test_fires_on_a_queue_feeding_a_function_without_dlq(kit):
    text = kit.text("staging")
    start = text.index("      RedrivePolicy:")
    end = text.index("      SqsManagedSseEnabled", start)
    bad = text[:start] + text[end:]
    found = kit.ids(kit.lint(bad), "E9062")
    assert found and {f.line for f in found} == {kit.props_line(bad, "JobsQueue")}
