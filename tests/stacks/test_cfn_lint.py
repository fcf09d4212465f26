"""cfn-lint's own rules find nothing, on the SAM templates or on their offline expansion."""

import json

import pytest
from cfnlint.api import ManualArgs, lint
from cfnlint.decode import decode_str

from stacks import config
from stacks.expand import expand
from stacks.templates import TARGETS

ARGS = ManualArgs(regions=["eu-west-2"])


def _shown(matches):
    return "\n".join(f"{m.rule.id} line {m.linenumber}: {m.message}" for m in matches)


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_sam_template_is_clean(env):
    matches = lint(TARGETS[env].path.read_text(), config=ARGS)
    assert not matches, _shown(matches)


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_expanded_template_is_clean(env):
    template, errors = decode_str(TARGETS[env].path.read_text())
    assert not errors
    expanded = expand(template)
    assert "AWS::Serverless-2016-10-31" not in json.dumps(expanded.get("Transform", ""))
    matches = lint(json.dumps(expanded, indent=1), config=ARGS)
    assert not matches, _shown(matches)


def test_expansion_creates_aliases_and_deployment_groups_with_the_alarms():
    template, _ = decode_str(TARGETS["prod"].path.read_text())
    resources = expand(template)["Resources"]
    aliases = {k: r for k, r in resources.items() if r["Type"] == "AWS::Lambda::Alias"}
    assert set(aliases) == {"ApiFunctionAliaslive", "WorkerFunctionAliaslive"}
    groups = {k: r for k, r in resources.items() if r["Type"] == "AWS::CodeDeploy::DeploymentGroup"}
    api_group = groups["ApiFunctionDeploymentGroup"]["Properties"]
    alarms = {a["Name"]["Ref"] for a in api_group["AlarmConfiguration"]["Alarms"]}
    assert alarms == {
        "ApiFunctionErrorRateAlarm",
        "ApiFunction5xxRateAlarm",
        "DeadLetterArrivalsAlarm",
    }
    assert api_group["AutoRollbackConfiguration"]["Enabled"] is True
    worker_group = groups["WorkerFunctionDeploymentGroup"]["Properties"]
    alarms = {a["Name"]["Ref"] for a in worker_group["AlarmConfiguration"]["Alarms"]}
    assert alarms == {"WorkerFunctionErrorRateAlarm", "DeadLetterArrivalsAlarm"}
    # Both aliases wait for their PreTraffic hook before CodeDeploy shifts any traffic.
    for alias, hook in (
        ("ApiFunctionAliaslive", "PreTrafficHook"),
        ("WorkerFunctionAliaslive", "WorkerHook"),
    ):
        update = aliases[alias]["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
        assert update["BeforeAllowTrafficHook"] == {"Ref": hook}


def test_lint_finds_a_planted_error():
    """The check above can fail: an invalid property is reported."""
    broken = (
        TARGETS["dev"].path.read_text().replace("BillingMode: PAY_PER_REQUEST", "BillingMode: FREE")
    )
    assert any(m.rule.id.startswith("E") for m in lint(broken, config=ARGS))
