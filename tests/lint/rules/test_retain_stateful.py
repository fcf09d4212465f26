RULE = "E9041"

TABLE = """
    Table:
      Type: AWS::DynamoDB::Table
      {policies}Properties:
        KeySchema: [{{AttributeName: id, KeyType: HASH}}]
"""
RETAIN = "DeletionPolicy: Retain\n      UpdateReplacePolicy: Retain\n      "


def test_silent_on_the_committed_templates(kit):
    assert kit.committed(RULE) == []


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
