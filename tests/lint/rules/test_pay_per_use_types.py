import pytest


@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_silent_on_generated_templates(kit, env):
    assert kit.ids(kit.lint(kit.text(env)), "E9001") == []


def test_fires_on_a_nat_gateway(kit):
    bad = (kit.fixtures / "not_pay_per_use.yaml").read_text()
    found = kit.ids(kit.lint(bad), "E9001")
    assert [(f.line, "AWS::EC2::NatGateway" in f.message) for f in found] == [
        (kit.line_of(bad, "Type: AWS::EC2::NatGateway"), True)
    ]
