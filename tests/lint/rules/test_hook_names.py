RULE = "E9023"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_on_a_codedeployhook_name(kit):
    assert kit.lint(RULE, kit.deployment()) == []


def test_fires_on_a_hook_not_named_codedeployhook(kit):
    bad = kit.deployment("FunctionName: CodeDeployHook_", "FunctionName: ")
    found = kit.lint(RULE, bad)
    # Both forms (the hook keeps its logical id), one line.
    assert {f.line for f in found} == {kit.line_of(bad, "security-assistant-staging-pre-traffic")}
