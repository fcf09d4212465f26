RULE = "E9001"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_on_serverless_types(kit):
    good = kit.snippet("""
        Queue:
          Type: AWS::SQS::Queue
        Topic:
          Type: AWS::SNS::Topic
    """)
    assert kit.lint(RULE, good) == []


def test_fires_on_a_nat_gateway(kit):
    bad = (kit.fixtures / "not_pay_per_use.yaml").read_text()
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Type: AWS::EC2::NatGateway")
    assert "AWS::EC2::NatGateway" in f.message
