RULE = "E9041"

TABLE = """
    Table:
      Type: AWS::DynamoDB::Table
      {policies}Properties:
        KeySchema: [{{AttributeName: id, KeyType: HASH}}]
"""
RETAIN = "DeletionPolicy: Retain\n      UpdateReplacePolicy: Retain\n      "


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_in_prod_with_retain(kit):
    assert kit.lint(RULE, kit.snippet(TABLE.format(policies=RETAIN), env="prod")) == []


def test_fires_in_prod_without_retain(kit):
    bad = kit.snippet(TABLE.format(policies=""), env="prod")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "  Table:")
    assert "DeletionPolicy and UpdateReplacePolicy" in f.message


def test_silent_in_staging_which_does_not_retain(kit):
    assert kit.lint(RULE, kit.snippet(TABLE.format(policies=""), env="staging")) == []


def test_configured_env_wins_over_the_template_metadata(kit):
    text = kit.snippet(TABLE.format(policies=""), env="staging")
    assert len(kit.lint(RULE, text, "prod")) == 1


LOG_GROUP = """
    Logs:
      Type: AWS::Logs::LogGroup
      {policies}Properties:
        RetentionInDays: 90
"""


def test_fires_on_a_prod_log_group_without_retain(kit):
    # Log groups are stateful in cfn-lint's list (stacks.aws_facts.stateful_types).
    bad = kit.snippet(LOG_GROUP.format(policies=""), env="prod")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "  Logs:")


def test_silent_with_retain_except_on_create(kit):
    policies = RETAIN.replace("DeletionPolicy: Retain", "DeletionPolicy: RetainExceptOnCreate")
    assert kit.lint(RULE, kit.snippet(TABLE.format(policies=policies), env="prod")) == []
