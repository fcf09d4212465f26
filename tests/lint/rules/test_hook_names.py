def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9023") == []


def test_fires_on_a_hook_not_named_codedeployhook(kit):
    bad, found = kit.mutate(
        "staging",
        "FunctionName: CodeDeployHook_security-assistant-staging-pre-traffic",
        "FunctionName: security-assistant-staging-pre-traffic",
    )
    [f] = kit.ids(found, "E9023")
    assert f.line == kit.line_of(bad, "FunctionName: security-assistant-staging-pre-traffic")
