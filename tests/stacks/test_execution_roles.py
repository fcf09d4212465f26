"""The execution roles can handle every resource of their environment's expanded template.

For dev, staging and prod: every create/read/update/delete handler permission of every
resource (from the provider schemas) is allowed by the execution role on that resource's ARN,
generated names included. Permissions left out because a property is unset are checked to be
unset; permissions on other services' resources are checked on the resource they concern.
"""

from __future__ import annotations

import copy

import pytest

from stacks import aws_facts, bootstrap, config, iam_policy, permissions
from stacks.errors import ConfigError
from stacks.templates import TARGETS

# They expand templates: on the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")

ENVS = list(config.ENVIRONMENTS)
REGION, ACCOUNT = config.REGION, config.ACCOUNT_ID
A = f"{REGION}:{ACCOUNT}"


@pytest.fixture(scope="module")
def bootstrap_template() -> dict:
    return TARGETS["bootstrap"].make()


@pytest.fixture(scope="module", params=ENVS)
def env(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def expanded(env) -> dict:
    return permissions.expanded(env)


def role_statements(template: dict, env: str) -> list[dict]:
    """Every statement of the env's execution role: inline and attached managed policies."""
    resources = template["Resources"]
    (role,) = [
        r["Properties"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::Role"
        and r["Properties"]["RoleName"] == f"security-assistant-{env}-cfn-exec"
    ]
    documents = [p["PolicyDocument"] for p in role.get("Policies", [])]
    documents += [
        resources[ref["Ref"]]["Properties"]["PolicyDocument"] for ref in role["ManagedPolicyArns"]
    ]
    return [s for d in documents for s in iam_policy.statements_of(d)]


class Names:
    """Physical names and ARNs of an expanded template's resources, as CloudFormation makes them."""

    def __init__(self, template: dict, env: str):
        self.resources = template["Resources"]
        self.stack = config.get(env).stack_name

    def name(self, lid: str) -> str:
        resource = self.resources[lid]
        prop = aws_facts.name_property(resource["Type"])
        value = (resource.get("Properties") or {}).get(prop) if prop else None
        if isinstance(value, str):
            return value
        assert value is None, f"{lid}.{prop} is an expression the test cannot resolve"
        return aws_facts.generated_name(self.stack, lid)

    def ref(self, value) -> str:
        target = value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]
        return target

    def function(self, lid: str) -> str:
        """The function name (with qualifier) a FunctionName property refers to."""
        target = self.ref(self.resources[lid]["Properties"]["FunctionName"])
        if self.resources[target]["Type"] == "AWS::Lambda::Alias":
            alias = self.resources[target]["Properties"]
            return f"{self.name(self.ref(alias['FunctionName']))}:{alias['Name']}"
        return self.name(target)

    def arns(self, lid: str) -> list[str]:
        type_ = self.resources[lid]["Type"]
        props = self.resources[lid].get("Properties") or {}
        api = f"arn:aws:apigateway:{REGION}::/restapis/a1b2c3d4e5"
        match type_:
            case "AWS::S3::Bucket":
                return [f"arn:aws:s3:::{self.name(lid)}"]
            case "AWS::S3::BucketPolicy":
                return [f"arn:aws:s3:::{self.name(self.ref(props['Bucket']))}"]
            case "AWS::DynamoDB::Table":
                return [f"arn:aws:dynamodb:{A}:table/{self.name(lid)}"]
            case "AWS::SQS::Queue":
                return [f"arn:aws:sqs:{A}:{self.name(lid)}"]
            case "AWS::SNS::Topic":
                return [f"arn:aws:sns:{A}:{self.name(lid)}"]
            case "AWS::SNS::TopicPolicy":
                return [arn for topic in props["Topics"] for arn in self.arns(self.ref(topic))]
            case "AWS::Budgets::Budget":
                name = props["Budget"]["BudgetName"]
                return [f"arn:aws:budgets::{ACCOUNT}:budget/{name}"]
            case "AWS::CloudWatch::Alarm":
                return [f"arn:aws:cloudwatch:{A}:alarm:{self.name(lid)}"]
            case "AWS::Logs::LogGroup":
                group = f"arn:aws:logs:{A}:log-group:{self.name(lid)}"
                return [group, f"{group}:*"]
            case "AWS::Lambda::Function":
                return [f"arn:aws:lambda:{A}:function:{self.name(lid)}"]
            case "AWS::Lambda::Version":
                return [f"arn:aws:lambda:{A}:function:{self.function(lid)}:1"]
            case "AWS::Lambda::Alias":
                return [f"arn:aws:lambda:{A}:function:{self.function(lid)}:{props['Name']}"]
            case "AWS::Lambda::Permission":
                return [f"arn:aws:lambda:{A}:function:{self.function(lid)}"]
            case "AWS::Lambda::EventSourceMapping":
                return [
                    f"arn:aws:lambda:{A}:event-source-mapping:0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
                ]
            case "AWS::IAM::Role":
                return [f"arn:aws:iam::{ACCOUNT}:role/{self.name(lid)}"]
            case "AWS::IAM::ManagedPolicy":
                return [f"arn:aws:iam::{ACCOUNT}:policy/{self.name(lid)}"]
            case "AWS::ApiGateway::RestApi":
                return [f"arn:aws:apigateway:{REGION}::/restapis", api]
            case "AWS::ApiGateway::Deployment":
                return [f"{api}/deployments/x1y2z3"]
            case "AWS::ApiGateway::Stage":
                return [f"{api}/stages/{props['StageName']}"]
            case "AWS::CodeDeploy::Application":
                return [f"arn:aws:codedeploy:{A}:application:{self.name(lid)}"]
            case "AWS::CodeDeploy::DeploymentGroup":
                app = self.name(self.ref(props["ApplicationName"]))
                return [f"arn:aws:codedeploy:{A}:deploymentgroup:{app}/{self.name(lid)}"]
        raise AssertionError(f"the test knows no ARN format for {type_} ({lid}): add one")

    def of_type(self, type_: str) -> list[str]:
        return [lid for lid, r in self.resources.items() if r["Type"] == type_]

    def cross_service_targets(self, lid: str, action: str) -> list[str]:
        """The other service's resources a handler permission of `lid` acts on."""
        props = self.resources[lid].get("Properties") or {}
        if action == "iam:PassRole":
            role = props.get("Role") or props.get("ServiceRoleArn")
            return self.arns(self.ref(role))
        if action.startswith("s3:GetObject"):  # the function's code, uploaded by sam deploy
            return [f"arn:aws:s3:::{config.ARTIFACTS_BUCKET}/{self.stack}/0123abcd"]
        if action.startswith("kms:"):
            return [f"arn:aws:kms:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
        if action.startswith("codedeploy:"):
            groups = self.of_type("AWS::CodeDeploy::DeploymentGroup")
            return [arn for g in groups for arn in self.arns(g)]
        raise AssertionError(f"no known target for {action} of {lid}: extend the test")


def _service(type_: str) -> str:
    return type_.split("::")[1].lower()


def test_every_handler_permission_of_every_resource_is_allowed_on_its_arn(
    bootstrap_template, env, expanded
):
    statements = role_statements(bootstrap_template, env)
    names = Names(expanded, env)
    checked = 0
    for lid, resource in expanded["Resources"].items():
        type_, props = resource["Type"], resource.get("Properties") or {}
        for action in permissions.handler_actions(type_):
            if permissions._withheld(type_, action):
                continue
            gate = permissions._gate(type_, action)
            if gate is not None and not set(gate) & permissions._paths(props):
                continue  # needed only with a property this resource does not set
            own = action.split(":")[0] == _service(type_)
            targets = names.arns(lid) if own else names.cross_service_targets(lid, action)
            for arn in targets:
                assert iam_policy.allows(statements, action, arn), (
                    f"{env}: {lid} ({type_}) needs {action} on {arn}"
                )
                checked += 1
    assert checked > 50


def test_withheld_permissions_are_not_granted(bootstrap_template, env, expanded):
    statements = role_statements(bootstrap_template, env)
    names = Names(expanded, env)
    for lid in names.of_type("AWS::IAM::Role"):
        (arn,) = names.arns(lid)
        assert not iam_policy.allows(statements, "iam:DeleteRolePermissionsBoundary", arn)
        assert not iam_policy.allows(statements, "iam:CreateServiceLinkedRole", arn)


def test_generated_names_are_within_the_role_patterns(env, expanded):
    """A truncated stack name would fall outside `security-assistant-<env>-*`."""
    names = Names(expanded, env)
    prefix = config.get(env).resource_name("")
    for lid, resource in expanded["Resources"].items():
        limit = aws_facts.name_limit(resource["Type"])
        name = names.name(lid) if aws_facts.name_property(resource["Type"]) else None
        if name is None or limit is None:
            continue
        assert len(name) <= limit, (lid, name)
        if name.startswith(config.get(env).stack_name):
            assert name.startswith(prefix), (lid, name)


def test_roles_are_created_only_with_the_boundary(bootstrap_template, env):
    boundary = bootstrap.boundary_arn(config.get(env))
    for statement in role_statements(bootstrap_template, env):
        actions = set(statement["Action"]) & bootstrap.BOUNDED_ROLE_ACTIONS
        if statement["Effect"] == "Allow" and actions:
            condition = statement["Condition"]["StringEquals"]
            assert condition == {"iam:PermissionsBoundary": boundary}, statement["Sid"]


def test_every_service_role_carries_the_boundary(env, expanded):
    roles = [r for r in expanded["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    boundary = bootstrap.boundary_arn(config.get(env))
    for role in roles:
        assert role["Properties"]["PermissionsBoundary"] == boundary


def test_committed_facts_are_current():
    assert permissions.render() == aws_facts.FACTS_FILE.read_text(), (
        "stacks/aws_facts.json is stale: run `python -m stacks facts` and `python -m stacks build`"
    )


def test_a_new_resource_type_changes_the_derived_permissions(expanded):
    grown = copy.deepcopy(expanded)
    grown["Resources"]["Schedule"] = {"Type": "AWS::Events::Rule", "Properties": {}}
    assert "AWS::Events::Rule" in permissions.needed(grown)
    assert "events:PutRule" in permissions.needed(grown)["AWS::Events::Rule"]


def test_a_gated_property_brings_its_permissions(expanded):
    fns = [r for r in expanded["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
    if not fns:
        pytest.skip("no functions in this environment")
    grown = copy.deepcopy(expanded)
    before = permissions.needed(grown)["AWS::Lambda::Function"]
    next(r for r in grown["Resources"].values() if r["Type"] == "AWS::Lambda::Function")[
        "Properties"
    ]["VpcConfig"] = {"SubnetIds": ["subnet-1"]}
    after = permissions.needed(grown)["AWS::Lambda::Function"]
    assert "ec2:DescribeSubnets" not in before and "ec2:DescribeSubnets" in after


def test_bootstrap_refuses_what_it_cannot_scope(monkeypatch, env):
    cfg = config.get(env)
    facts = copy.deepcopy(aws_facts.committed())
    facts["execution_permissions"][env]["AWS::Events::Rule"] = ["events:PutRule"]
    monkeypatch.setattr(aws_facts, "committed", lambda: facts)
    with pytest.raises(ConfigError, match="AWS::Events::Rule.*_type_arns"):
        bootstrap._resource_statements(cfg)
    facts["execution_permissions"][env].pop("AWS::Events::Rule")
    facts["execution_permissions"][env]["AWS::S3::Bucket"].append("ec2:DescribeVpcs")
    with pytest.raises(ConfigError, match="ec2:DescribeVpcs.*_cross_service"):
        bootstrap._resource_statements(cfg)


def test_managed_policies_fit_iams_size_limit(bootstrap_template):
    for lid, resource in bootstrap_template["Resources"].items():
        if resource["Type"] == "AWS::IAM::ManagedPolicy":
            document = resource["Properties"]["PolicyDocument"]
            assert bootstrap._size(document["Statement"]) <= 6144, lid
