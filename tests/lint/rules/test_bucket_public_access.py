def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9012") == []


def test_fires_when_a_setting_is_off(kit):
    bad, found = kit.mutate(
        "staging", "RestrictPublicBuckets: true", "RestrictPublicBuckets: false"
    )
    [f] = kit.ids(found, "E9012")
    assert f.line == kit.line_of(bad, "PublicAccessBlockConfiguration:")
    assert "RestrictPublicBuckets" in f.message
