def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9013") == []


def test_fires_when_the_policy_allows_plain_http(kit):
    bad, found = kit.mutate("dev", "aws:SecureTransport: 'false'", "aws:SecureTransport: 'true'")
    [f] = kit.ids(found, "E9013")
    assert f.line == kit.line_of(bad, "  DataBucket:")
