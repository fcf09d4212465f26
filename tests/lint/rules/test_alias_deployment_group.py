RULE = "E9021"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_on_an_alias_deployed_through_codedeploy(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_on_the_expanded_form_and_points_at_the_sam_function(kit):
    # Without a DeploymentPreference SAM makes the alias but no deployment group.
    text = kit.deployment()
    bad = kit.cut(text, "      DeploymentPreference:", "      Policies:")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "  Worker:")
    assert "[expanded form: WorkerAliaslive]" in f.message
