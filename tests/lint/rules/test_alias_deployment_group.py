RULE = "E9021"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_fires_on_the_expanded_form_and_points_at_the_sam_function(kit):
    # Without a DeploymentPreference SAM makes the alias but no deployment group.
    text = kit.text("staging")
    bad = kit.cut(text, "      DeploymentPreference:", "      Description:", "  WorkerFunction:")
    found = kit.lint(RULE, bad)
    assert [f.line for f in found] == [kit.line_of(bad, "  WorkerFunction:")]
    assert "[expanded form: WorkerFunctionAliaslive]" in found[0].message
