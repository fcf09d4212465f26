RULE = "E9003"

ALIAS = """
    Alias:
      Type: AWS::Lambda::Alias
      Properties:
        FunctionName: f
        FunctionVersion: "1"
        Name: live
        ProvisionedConcurrencyConfig:
          ProvisionedConcurrentExecutions: 1
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_without_provisioned_concurrency(kit):
    good = kit.snippet(ALIAS.split("        ProvisionedConcurrencyConfig")[0])
    assert kit.lint(RULE, good) == []


def test_fires_when_the_environment_does_not_allow_it(kit):
    bad = kit.snippet(ALIAS, env="prod")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "ProvisionedConcurrencyConfig")
    assert "not allowed in environment prod" in f.message


def test_fires_on_the_expanded_form_at_the_sam_function(kit):
    bad = kit.deployment(
        "      AutoPublishAlias: live\n",
        "      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n"
        "        ProvisionedConcurrentExecutions: 1\n",
    )
    found = kit.lint(RULE, bad)
    # SAM form at the property; expanded form (the alias) at the function.
    assert {f.line for f in found} == {
        kit.line_of(bad, "ProvisionedConcurrencyConfig"),
        kit.line_of(bad, "  Worker:"),
    }
