RULE = "E9042"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_fires_on_a_logical_id_whose_generated_role_name_is_truncated(kit):
    # staging's stack name leaves 64 - 26 - 2 - 13 = 23 characters for SAM's <id>Role.
    bad = kit.mutate(
        "staging", "PreTrafficHook", "PreTrafficHookFunction", count=-1, keep=("PreTrafficHook",)
    )
    messages = [f.message for f in kit.lint(RULE, bad)]
    assert any("PreTrafficHookFunctionRole" in m and "truncates" in m for m in messages)


def test_fires_on_a_set_name_over_the_limit(kit):
    long = "security-assistant-prod-" + "q" * 60
    bad = kit.mutate(
        "prod",
        "QueueName: security-assistant-prod-jobs\n",
        f"QueueName: {long}\n",
        keep=("JobsQueue",),
    )
    [f] = kit.lint(RULE, bad)
    assert "80" in f.message and f.line == kit.line_of(bad, "  JobsQueue:")
