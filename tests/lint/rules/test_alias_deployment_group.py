def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9021") == []


def test_fires_on_the_expanded_form_and_points_at_the_sam_function(kit):
    # Without a DeploymentPreference SAM makes the alias but no deployment group.
    text = kit.text("staging")
    start = text.index("      DeploymentPreference:", text.index("  WorkerFunction:"))
    end = text.index("      Description:", start)
    bad = text[:start] + text[end:]
    found = kit.ids(kit.lint(bad), "E9021")
    assert [f.line for f in found] == [kit.line_of(bad, "  WorkerFunction:")]
    assert "[expanded form: WorkerFunctionAliaslive]" in found[0].message
