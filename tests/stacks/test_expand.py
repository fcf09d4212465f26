"""The offline SAM expansion (stacks/expand.py) makes what CloudFormation will create.

Whether cfn-lint's rules find anything on either form is `python -m stacks lint`'s job,
tested once on the committed templates in tests/lint/.
"""

import json

import pytest

# On the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")


def test_expansion_creates_aliases_and_deployment_groups_with_the_alarms(expanded_prod):
    expanded = expanded_prod
    assert "AWS::Serverless-2016-10-31" not in json.dumps(expanded.get("Transform", ""))
    resources = expanded["Resources"]
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
    assert worker_group["AutoRollbackConfiguration"]["Enabled"] is True


def test_each_caller_gets_its_own_copy_of_a_cached_expansion():
    import datetime

    from stacks.expand import expand

    template = {
        "AWSTemplateFormatVersion": datetime.date(2010, 9, 9),  # an unquoted YAML date
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {
            "T": {"Type": "AWS::Serverless::SimpleTable"},
        },
    }
    first = expand(template)
    first["Resources"]["T"]["Type"] = "changed by the first caller"
    second = expand(template)
    assert second["Resources"]["T"]["Type"] == "AWS::DynamoDB::Table"
    assert second["AWSTemplateFormatVersion"] == "2010-09-09"
    assert template["Resources"]["T"] == {"Type": "AWS::Serverless::SimpleTable"}


def test_the_same_template_in_another_key_order_expands_once():
    from stacks.expand import _expanded, expand

    template = {
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"T": {"Type": "AWS::Serverless::SimpleTable"}},
        "Description": "key order",
    }
    reordered = dict(reversed(template.items()))
    first = expand(template)
    hits = _expanded.cache_info().hits
    assert expand(reordered) == first
    assert _expanded.cache_info().hits == hits + 1
