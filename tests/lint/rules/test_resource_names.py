def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9040") == []


def test_fires_on_a_name_outside_the_scheme(kit):
    bad, found = kit.mutate(
        "prod", "QueueName: security-assistant-prod-jobs\n", "QueueName: jobs\n"
    )
    [f] = kit.ids(found, "E9040")
    assert f.line == kit.line_of(bad, "QueueName: jobs")
    assert "security-assistant-prod-" in f.message


def test_env_override_applies_that_environment(kit):
    # staging's template checked as prod: every name is wrong for prod.
    found = kit.ids(kit.lint(kit.text("staging"), "prod"), "E9040")
    assert len(found) > 5
