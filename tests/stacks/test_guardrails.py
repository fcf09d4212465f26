"""Where a stack may deploy, how its resources are named, what it tells its users."""

import re

import pytest

from stacks import config

NAME_PROPS = (
    "BucketName",
    "TableName",
    "QueueName",
    "FunctionName",
    "TopicName",
    "AlarmName",
    "Name",
    "LogGroupName",
)


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_rules_refuse_other_accounts_and_regions(templates, env):
    (rule,) = templates[env]["Rules"].values()
    asserts = [a["Assert"] for a in rule["Assertions"]]
    assert {"Fn::Equals": [{"Ref": "AWS::AccountId"}, "445567098699"]} in asserts
    assert {"Fn::Equals": [{"Ref": "AWS::Region"}, "eu-west-2"]} in asserts


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_every_explicit_name_is_security_assistant_env(templates, env):
    # plain names, log groups (/aws/<service>/<name>...) and CodeDeploy hooks
    pattern = re.compile(rf"^(/aws/[a-z]+/)?(CodeDeployHook_)?security-assistant-{env}-[a-z0-9]")
    named = 0
    for logical, r in templates[env]["Resources"].items():
        for prop in NAME_PROPS:
            name = r.get("Properties", {}).get(prop)
            if isinstance(name, str):
                named += 1
                assert pattern.match(name), (logical, prop, name)
    assert named >= 2


def test_outputs(templates):
    assert set(templates["dev"]["Outputs"]) == {"DataBucketName", "JobsTableName"}
    for env in ("staging", "prod"):
        outputs = templates[env]["Outputs"]
        assert {"ApiUrl", "DataBucketName", "JobsTableName", "JobsQueueUrl"} <= set(outputs)
        assert outputs["ApiUrl"]["Value"]["Fn::Sub"].endswith(f"/{env}/")
