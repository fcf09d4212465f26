RULE = "E9050"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_allows_actions_without_resource_level_permissions_and_deny(kit):
    text = (kit.fixtures / "iam_policies.yaml").read_text()
    found = kit.lint(RULE, text)
    # Only the TooBroad statement: dynamodb:GetItem on '*'.
    assert [f.line for f in found] == [kit.line_of(text, "Resource: '*'", 2)]


def test_fires_on_a_star_action_and_a_star_resource_in_a_sam_function(kit):
    bad = kit.deployment("- sqs:SendMessage\n", "- sqs:*\n")
    found = kit.lint(RULE, bad)
    # SAM form at the statement's Action; expanded form (the role) at the function.
    assert {f.line for f in found} == {kit.line_of(bad, "Action:"), kit.line_of(bad, "  Worker:")}
    assert all("Send allows sqs:*" in f.message for f in found)
    bad2 = kit.deployment("- !GetAtt Queue.Arn\n", "- '*'\n")
    found2 = kit.lint(RULE, bad2)
    assert found2 and all("sqs:SendMessage on Resource '*'" in g.message for g in found2)
