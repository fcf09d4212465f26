def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9003") == []


def test_fires_when_the_environment_does_not_allow_it(kit):
    bad, found = kit.mutate(
        "prod",
        "      AutoPublishAlias: live\n",
        "      AutoPublishAlias: live\n      ProvisionedConcurrencyConfig:\n"
        "        ProvisionedConcurrentExecutions: 1\n",
    )
    found = kit.ids(found, "E9003")
    # SAM form at the property; expanded form (the alias) at the function.
    assert {f.line for f in found} == {
        kit.line_of(bad, "ProvisionedConcurrencyConfig"),
        kit.line_of(bad, "  ApiFunction:"),
    }
    assert all("provisioned_concurrency" in f.message for f in found)
