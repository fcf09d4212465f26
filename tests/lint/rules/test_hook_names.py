RULE = "E9023"


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


def test_fires_on_a_hook_not_named_codedeployhook(kit):
    bad = kit.mutate(
        "staging",
        "FunctionName: CodeDeployHook_security-assistant-staging-pre-traffic",
        "FunctionName: security-assistant-staging-pre-traffic",
    )
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "FunctionName: security-assistant-staging-pre-traffic")
