def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9010") == []


def test_fires_when_rules_are_disabled(kit):
    bad, found = kit.mutate("dev", "Status: Enabled", "Status: Disabled", count=2)
    [f] = kit.ids(found, "E9010")
    assert f.line == kit.line_of(bad, "LifecycleConfiguration:")


def test_fires_when_the_artifacts_bucket_expires_current_objects(kit):
    old = "            Id: expire-superseded-artifacts\n"
    text = kit.text("bootstrap")
    assert old in text
    bad = text.replace(old, old + "            ExpirationInDays: 90\n")
    [f] = kit.ids(kit.lint(bad), "E9010")
    assert "UPDATE_ROLLBACK_FAILED" in f.message
