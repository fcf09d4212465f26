def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9060") == []


def test_fires_without_retention(kit):
    bad, found = kit.mutate("staging", "      RetentionInDays: 14\n", "", count=1)
    [f] = kit.ids(found, "E9060")
    assert f.line == kit.props_line(bad, "ApiAccessLogGroup")
