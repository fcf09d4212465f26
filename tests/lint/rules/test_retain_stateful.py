def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9041") == []


def test_fires_in_prod_without_retain(kit):
    text = kit.text("prod")
    start = text.index("  JobsTable:")
    bad = text[:start] + text[start:].replace(
        "    DeletionPolicy: RetainExceptOnCreate\n    UpdateReplacePolicy: Retain\n", "", 1
    )
    found = kit.ids(kit.lint(bad), "E9041")
    assert [f.line for f in found] == [kit.line_of(bad, "  JobsTable:")]


def test_silent_in_staging_which_does_not_retain(kit):
    assert kit.ids(kit.lint(kit.text("staging")), "E9041") == []


def test_fires_on_a_prod_log_group_without_retain(kit):
    # Log groups are stateful in cfn-lint's list (stacks.aws_facts.stateful_types).
    text = kit.text("prod")
    start = text.index("  WorkerFunctionLogGroup:")
    bad = text[:start] + text[start:].replace(
        "    DeletionPolicy: RetainExceptOnCreate\n    UpdateReplacePolicy: Retain\n", "", 1
    )
    found = kit.ids(kit.lint(bad), "E9041")
    assert [f.line for f in found] == [kit.line_of(bad, "  WorkerFunctionLogGroup:")]
