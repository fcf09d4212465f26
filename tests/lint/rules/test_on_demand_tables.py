RULE = "E9002"

TABLE = """
    Table:
      Type: AWS::DynamoDB::Table
      Properties:
        BillingMode: {mode}
        KeySchema: [{{AttributeName: id, KeyType: HASH}}]
        AttributeDefinitions: [{{AttributeName: id, AttributeType: S}}]
"""


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_on_an_on_demand_table(kit):
    assert kit.lint(RULE, kit.snippet(TABLE.format(mode="PAY_PER_REQUEST"))) == []


def test_fires_on_provisioned_billing(kit):
    bad = kit.snippet(TABLE.format(mode="PROVISIONED"))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "BillingMode: PROVISIONED")
    assert "table Table does not bill per request" in f.message and "PAY_PER_REQUEST" in f.message


def test_sees_into_both_branches_of_an_if(kit):
    """A keyword rule: cfn-lint validates each branch of Fn::If."""
    bad = kit.snippet(TABLE.format(mode="!If [IsProd, PROVISIONED, PAY_PER_REQUEST]"))
    condition = "Conditions:\n  IsProd: !Equals [!Ref AWS::Region, x]\n"
    bad = bad.replace("Resources:", condition + "Resources:")
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "BillingMode: !If")


def test_fires_on_a_simple_table_with_provisioned_throughput(kit):
    bad = kit.snippet(
        """
        Table:
          Type: AWS::Serverless::SimpleTable
          Properties:
            ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
        """,
        sam=True,
    )
    found = kit.lint(RULE, bad)
    assert found and {f.line for f in found} <= {
        kit.line_of(bad, "Properties:"),
        kit.line_of(bad, "  Table:"),
        kit.line_of(bad, "ProvisionedThroughput"),
    }
