RULE = "E9080"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_fires_when_the_amount_differs_from_the_config(kit):
    bad = kit.mutate(
        "staging", "        Amount: 5.0\n", "        Amount: 50.0\n", keep=("MonthlyBudget",)
    )
    found = kit.lint(RULE, bad)
    assert found, "a $50 budget in staging (config: $5) must be reported"
    assert {f.line for f in found} == {kit.line_of(bad, "      Budget:")}
    assert all("5 USD" in f.message and "50.0" in f.message for f in found)


def test_fires_when_the_budget_is_missing(kit):
    bad = kit.excerpt("dev", "AlarmTopic")  # dev's template without its budget
    assert "AWS::Budgets::Budget" not in bad
    found = kit.lint(RULE, bad)
    assert found and all("has no AWS::Budgets::Budget" in f.message for f in found)


def test_silent_without_an_environment(kit):
    # e.g. the account-level bootstrap template (in the shared lint of the committed ones)
    assert kit.lint(RULE, kit.snippet("Topic:\n  Type: AWS::SNS::Topic\n", env=None)) == []


def test_fires_when_linted_as_another_environment(kit):
    # staging's $5 budget checked against prod's config ($10): `stacks lint --env prod`
    found = kit.lint(RULE, kit.excerpt("staging", "MonthlyBudget"), "prod")
    assert found and all("10 USD" in f.message for f in found)
