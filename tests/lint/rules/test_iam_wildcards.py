def test_silent_on_generated_templates(kit):
    for env in kit.envs:
        assert kit.ids(kit.lint(kit.text(env)), "E9050") == []


def test_fires_on_a_star_action_and_a_star_resource(kit):
    bad, found = kit.mutate(
        "staging", "                - sqs:SendMessage\n", "                - sqs:*\n"
    )
    found = kit.ids(found, "E9050")
    # SAM form at the statement's Action; expanded form (the role) at the function.
    assert kit.line_of(bad, "- sqs:*") - 1 in {f.line for f in found}
    assert all("sqs:*" in f.message for f in found)
    bad2, found2 = kit.mutate(
        "staging", "                - !GetAtt JobsQueue.Arn\n", "                - '*'\n"
    )
    found2 = kit.ids(found2, "E9050")
    assert found2 and all("sqs:SendMessage on Resource '*'" in g.message for g in found2)


def test_allows_actions_without_resource_level_permissions_and_deny(kit):
    bad = (kit.fixtures / "iam_policies.yaml").read_text()
    found = kit.ids(kit.lint(bad), "E9050")
    assert [f.line for f in found] == [kit.line_of(bad, "Resource: '*'", 2)]
