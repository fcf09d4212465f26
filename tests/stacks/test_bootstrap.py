"""The bootstrap template: who may assume the deploy roles, and what those roles may do."""

from __future__ import annotations

import json
import tomllib

import pytest

from stacks import aws_facts, bootstrap, config
from stacks.cli import main
from stacks.templates import INFRASTRUCTURE, TARGETS

ENVS = list(config.ENVIRONMENTS)


@pytest.fixture(scope="module")
def template() -> dict:
    return TARGETS["bootstrap"].make()


def _resources(template: dict, type_: str) -> dict:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == type_}


def _role(template: dict, name: str) -> dict:
    roles = _resources(template, "AWS::IAM::Role")
    (role,) = [r for r in roles.values() if r["Properties"]["RoleName"] == name]
    return role["Properties"]


def _statements(role: dict, template: dict | None = None) -> list[dict]:
    """The role's inline statements, and those of its managed policies given the template."""
    documents = [p["PolicyDocument"] for p in role.get("Policies", [])]
    for ref in role.get("ManagedPolicyArns", []) if template else []:
        if isinstance(ref, dict):  # ours; AWS managed policies are named by ARN
            documents.append(template["Resources"][ref["Ref"]]["Properties"]["PolicyDocument"])
    return [s for d in documents for s in d["Statement"]]


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize("env", ENVS)
def test_deploy_role_trusts_only_this_repository_in_that_github_environment(template, env):
    role = _role(template, f"security-assistant-{env}-deploy")
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert set(trust["Condition"]) == {"StringEquals"}  # no StringLike wildcards
    claims = trust["Condition"]["StringEquals"]
    assert claims["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    sub = claims["token.actions.githubusercontent.com:sub"]
    assert sub == {"Fn::Sub": f"repo:${{GitHubRepository}}:environment:{env}"}
    assert "*" not in json.dumps(sub)


@pytest.mark.parametrize("env", ENVS)
def test_deploy_role_reaches_only_its_stack_artifacts_and_execution_role(template, env):
    statements = _statements(_role(template, f"security-assistant-{env}-deploy"))
    cfn = [s for s in statements if any(a.startswith("cloudformation:") for a in s["Action"])]
    resources = {r for s in cfn for r in s["Resource"]}
    assert resources == {
        f"arn:aws:cloudformation:eu-west-2:445567098699:stack/security-assistant-{env}/*",
        "arn:aws:cloudformation:eu-west-2:aws:transform/Serverless-2016-10-31",
    }
    (put,) = [s for s in statements if "s3:PutObject" in s["Action"]]
    assert put["Resource"] == [
        f"arn:aws:s3:::security-assistant-sam-deployments/security-assistant-{env}/*"
    ]
    (passrole,) = [s for s in statements if "iam:PassRole" in s["Action"]]
    assert passrole["Resource"] == [
        f"arn:aws:iam::445567098699:role/security-assistant-{env}-cfn-exec"
    ]
    assert passrole["Condition"] == {
        "StringEquals": {"iam:PassedToService": "cloudformation.amazonaws.com"}
    }


def test_no_statement_allows_every_action(template):
    for role in _resources(template, "AWS::IAM::Role").values():
        for statement in _statements(role["Properties"], template):
            if statement["Effect"] != "Allow":
                continue
            for action in _as_list(statement["Action"]):
                assert action != "*" and not action.endswith(":*"), (statement["Sid"], action)
            if "*" in _as_list(statement["Resource"]):
                # only actions IAM authorizes on no particular resource
                actions = _as_list(statement["Action"])
                unscoped = not any(aws_facts.resource_level(a) for a in actions)
                assert "Condition" in statement or unscoped, statement["Sid"]


@pytest.mark.parametrize("env", ENVS)
def test_execution_role_is_for_cloudformation_and_scoped_to_the_env(template, env):
    role = _role(template, f"security-assistant-{env}-cfn-exec")
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "cloudformation.amazonaws.com"}
    assert "Condition" not in trust  # CloudFormation documents no context key for it to match
    others = [e for e in ENVS if e != env]
    for statement in _statements(role, template):
        text = json.dumps(statement["Resource"])
        for other in others:
            assert f"security-assistant-{other}" not in text, statement["Sid"]
    actions = {a for s in _statements(role, template) for a in _as_list(s["Action"])}
    # dev has no functions, queue or API: its execution role cannot create them either.
    assert ("lambda:CreateFunction" in actions) == config.get(env).full_service


def test_artifacts_bucket_is_encrypted_private_tls_only_and_expires_artifacts(template):
    (bucket,) = _resources(template, "AWS::S3::Bucket").values()
    props = bucket["Properties"]
    assert props["BucketName"] == config.ARTIFACTS_BUCKET
    assert bucket["DeletionPolicy"] == "RetainExceptOnCreate"
    sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert sse["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] > 0
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] > 0
    assert rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] > 0
    (policy,) = _resources(template, "AWS::S3::BucketPolicy").values()
    (deny,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_oidc_provider_is_optional(template):
    (provider,) = _resources(template, "AWS::IAM::OIDCProvider").values()
    assert provider["Condition"] == "CreateOidcProvider"
    assert provider["Properties"]["Url"] == "https://token.actions.githubusercontent.com"
    assert template["Parameters"]["CreateOidcProvider"]["AllowedValues"] == ["true", "false"]
    role = _role(template, "security-assistant-prod-deploy")
    federated = role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Federated"]
    condition, created, existing = federated["Fn::If"]
    assert condition == "CreateOidcProvider"
    assert "oidc-provider/token.actions.githubusercontent.com" in existing["Fn::Sub"]


def test_api_gateway_account_logging_role(template):
    (account,) = _resources(template, "AWS::ApiGateway::Account").values()
    assert account["Properties"]["CloudWatchRoleArn"] == {
        "Fn::GetAtt": ["ApiGatewayCloudWatchRole", "Arn"]
    }


def test_outputs_name_every_role_and_the_bucket(template):
    expected = {"ArtifactsBucketName"}
    for env in ENVS:
        expected |= {f"{env.capitalize()}DeployRoleArn", f"{env.capitalize()}ExecutionRoleArn"}
    assert set(template["Outputs"]) == expected


def test_not_a_service_environment_for_the_lint_rules(template):
    assert "SecurityAssistant" not in template.get("Metadata", {})


def test_samconfig_role_arn_is_the_execution_role():
    samconfig = tomllib.loads((INFRASTRUCTURE / "samconfig.toml").read_text())
    for env in ENVS:
        expected = bootstrap.exec_role_arn(config.get(env))
        assert samconfig[env]["deploy"]["parameters"]["role_arn"] == expected


def test_build_env_bootstrap_writes_the_committed_file(tmp_path, capsys):
    out = tmp_path / "bootstrap.yaml"
    assert main(["build", "--env", "bootstrap", "--out", str(out)]) == 0
    committed = (INFRASTRUCTURE / "bootstrap" / "template.yaml").read_text()
    assert out.read_text() == committed
    assert committed.startswith("# GENERATED FILE - DO NOT EDIT. Made by `python -m stacks build")
    assert main(["build", "--check", "--env", "bootstrap"]) == 0


@pytest.mark.parametrize("env", ENVS)
def test_only_integration_tested_deploy_roles_may_call_their_api(template, env):
    """deploy.yml signs the integration tests' requests with the staging deploy role."""
    statements = _statements(_role(template, f"security-assistant-{env}-deploy"))
    invoke = [s for s in statements if "execute-api:Invoke" in s["Action"]]
    if env in bootstrap.INTEGRATION_TESTED:
        (statement,) = invoke
        assert statement["Resource"] == [f"arn:aws:execute-api:eu-west-2:445567098699:*/{env}/*"]
    else:
        assert invoke == []
