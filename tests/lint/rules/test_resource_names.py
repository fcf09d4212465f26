RULE = "E9040"

QUEUE = "Queue:\n  Type: AWS::SQS::Queue\n  Properties:\n    QueueName: {name}\n"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_on_a_name_in_the_scheme(kit):
    good = kit.snippet(QUEUE.format(name="security-assistant-prod-jobs"), env="prod")
    assert kit.lint(RULE, good) == []


def test_fires_on_a_name_outside_the_scheme(kit):
    bad = kit.snippet(QUEUE.format(name="jobs"), env="prod")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "QueueName: jobs")
    assert "security-assistant-prod-" in f.message


def test_configured_env_wins_over_the_template_metadata(kit):
    """`--configure-rule E9040:env=prod` (here through stacks lint's --env): prod's names."""
    text = kit.snippet(QUEUE.format(name="security-assistant-staging-jobs"), env="staging")
    assert kit.lint(RULE, text) == []
    [f] = kit.lint(RULE, text, "prod")
    assert "call it security-assistant-prod-<what>" in f.message


def test_an_unknown_configured_env_is_a_finding(kit):
    [f] = kit.lint(RULE, kit.snippet(QUEUE.format(name="x")), "qa")
    assert "env setting" in f.message and "'qa'" in f.message and "dev, staging, prod" in f.message
