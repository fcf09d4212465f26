def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9002") == []


def test_fires_on_provisioned_billing(kit):
    bad, found = kit.mutate("staging", "BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED")
    [f] = kit.ids(found, "E9002")
    assert f.line == kit.line_of(bad, "BillingMode: PROVISIONED")
    assert "PAY_PER_REQUEST" in f.message
