"""The pipeline's own AWS prerequisites: applied once, by hand, before the first deploy.

`sam deploy` needs the artifacts bucket, GitHub Actions needs roles to assume (by OIDC, no
long-lived keys), and the staging/prod API stages log access, which API Gateway refuses until
the account-wide CloudWatch role is set. None of that belongs to one environment's stack, so it
lives here, in its own template (`infrastructure/bootstrap/template.yaml`).

Per deployable environment:
- `security-assistant-<env>-deploy`, assumed by this repository's workflow running in the
  GitHub environment `<env>` (and nothing else): it may upload artifacts under the env's
  prefix, drive change sets of the env's stack (and delete it, which the workflow does only
  when its first create failed), and pass the role below to CloudFormation;
- `security-assistant-<env>-cfn-exec`, assumed by CloudFormation only (samconfig's
  `role_arn`): it holds exactly the handler permissions of the resource types in the env's
  expanded template (`stacks/permissions.py` derives them from the provider schemas into
  `stacks/aws_facts.json`), scoped to `security-assistant-<env>-*` names wherever the service
  supports it, plus the cross-service permissions listed in `_cross_service`;
- `security-assistant-<env>-boundary`, the permissions boundary without which the execution
  role cannot create or change a role.
"""

from __future__ import annotations

import json
from collections import Counter

from security_assistant.contract import METRICS_NAMESPACE
from troposphere import (
    Equals,
    GetAtt,
    If,
    Output,
    Parameter,
    Ref,
    Sub,
    Template,
    apigateway,
    iam,
    s3,
)

from stacks import aws_facts, config
from stacks.config import ACCOUNT_ID, ARTIFACTS_BUCKET, PROJECT, REGION, EnvConfig
from stacks.errors import ConfigError
from stacks.service.boundary import CODEDEPLOY_POLICY, boundary_arn, boundary_name
from stacks.service.common import retain_if
from stacks.service.functions import HOOK_PREFIX
from stacks.service.guardrails import home_account_and_region
from stacks.service.storage import private_bucket

GITHUB_OIDC_HOST = "token.actions.githubusercontent.com"
OIDC_AUDIENCE = "sts.amazonaws.com"
SAM_TRANSFORM_ARN = f"arn:aws:cloudformation:{REGION}:aws:transform/Serverless-2016-10-31"

# SAM artifacts are only read while a change set is created and executed (Lambda copies the
# code), but a failed update rolls back to the previous code location: keep artifacts for a
# quarter, far longer than any deploy, instead of forever.
ARTIFACT_DAYS = 90
NONCURRENT_DAYS = 7
INCOMPLETE_UPLOAD_DAYS = 1


def deploy_role_name(cfg: EnvConfig) -> str:
    return cfg.resource_name("deploy")


def exec_role_name(cfg: EnvConfig) -> str:
    return cfg.resource_name("cfn-exec")


def exec_role_arn(cfg: EnvConfig) -> str:
    """Fixed and derivable, so samconfig.toml can name it as `role_arn`."""
    return f"arn:aws:iam::{ACCOUNT_ID}:role/{exec_role_name(cfg)}"


def _allow(sid: str, actions: list[str], resources: list, condition: dict | None = None) -> dict:
    statement = {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


def _document(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _title(cfg: EnvConfig) -> str:
    return cfg.name.capitalize()


def artifacts_bucket(t: Template) -> s3.Bucket:
    rule = s3.LifecycleRule(
        Id="expire-old-artifacts",
        Status="Enabled",
        ExpirationInDays=ARTIFACT_DAYS,
        NoncurrentVersionExpiration=s3.NoncurrentVersionExpiration(NoncurrentDays=NONCURRENT_DAYS),
        AbortIncompleteMultipartUpload=s3.AbortIncompleteMultipartUpload(
            DaysAfterInitiation=INCOMPLETE_UPLOAD_DAYS
        ),
    )
    # Retained: deleting the bootstrap stack must not take the deployed stacks' history with it.
    return private_bucket(t, "ArtifactsBucket", ARTIFACTS_BUCKET, [rule], retain=True)


def github_oidc_provider_arn(t: Template):
    """The provider ARN: created here, or the account's existing one (there is one per URL)."""
    create = t.add_parameter(
        Parameter(
            "CreateOidcProvider",
            Type="String",
            AllowedValues=["true", "false"],
            Default="true",
            Description=(
                f"false if the account already has the IAM OIDC provider for {GITHUB_OIDC_HOST}"
            ),
        )
    )
    t.add_condition("CreateOidcProvider", Equals(Ref(create), "true"))
    provider = t.add_resource(
        iam.OIDCProvider(
            "GitHubOidcProvider",
            Condition="CreateOidcProvider",
            Url=f"https://{GITHUB_OIDC_HOST}",
            ClientIdList=[OIDC_AUDIENCE],
        )
    )
    return If(
        "CreateOidcProvider",
        Ref(provider),
        Sub(f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/{GITHUB_OIDC_HOST}"),
    )


def _names(cfg: EnvConfig) -> dict[str, str]:
    prefix = cfg.resource_name("")  # security-assistant-<env>-
    arn = f"{REGION}:{ACCOUNT_ID}"
    return {
        "stack": f"arn:aws:cloudformation:{arn}:stack/{cfg.stack_name}/*",
        "artifacts": f"arn:aws:s3:::{ARTIFACTS_BUCKET}/{cfg.stack_name}/*",
        "buckets": f"arn:aws:s3:::{prefix}*",
        "tables": f"arn:aws:dynamodb:{arn}:table/{prefix}*",
        "queues": f"arn:aws:sqs:{arn}:{prefix}*",
        "topics": f"arn:aws:sns:{arn}:{prefix}*",
        "alarms": f"arn:aws:cloudwatch:{arn}:alarm:{prefix}*",
        "functions": f"arn:aws:lambda:{arn}:function:{prefix}*",
        "hooks": f"arn:aws:lambda:{arn}:function:{HOOK_PREFIX}{prefix}*",
        "roles": f"arn:aws:iam::{ACCOUNT_ID}:role/{prefix}*",
    }


def deploy_role(t: Template, cfg: EnvConfig, provider_arn, repository: Parameter) -> iam.Role:
    n = _names(cfg)
    return t.add_resource(
        iam.Role(
            f"{_title(cfg)}DeployRole",
            RoleName=deploy_role_name(cfg),
            Description=(
                f"GitHub Actions deploying {cfg.stack_name} from the {cfg.name} environment"
            ),
            MaxSessionDuration=3600,
            AssumeRolePolicyDocument=_document(
                {
                    "Sid": "GitHubEnvironmentOnly",
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                    # StringEquals on `sub`: only a job of this repository that runs in the
                    # GitHub environment <env> (so prod's required reviewers gate prod's role).
                    "Condition": {
                        "StringEquals": {
                            f"{GITHUB_OIDC_HOST}:aud": OIDC_AUDIENCE,
                            f"{GITHUB_OIDC_HOST}:sub": Sub(
                                f"repo:${{{repository.title}}}:environment:{cfg.name}"
                            ),
                        }
                    },
                }
            ),
            Policies=[
                iam.Policy(
                    PolicyName="sam-deploy",
                    PolicyDocument=_document(
                        _allow(
                            "StackChangeSets",
                            [
                                "cloudformation:CreateChangeSet",
                                "cloudformation:DeleteChangeSet",
                                # Only for a stack whose first create failed: the workflow
                                # deletes it when, and only when, it is ROLLBACK_COMPLETE
                                # (IAM cannot condition on a stack's status).
                                "cloudformation:DeleteStack",
                                "cloudformation:DescribeChangeSet",
                                "cloudformation:DescribeStackEvents",
                                "cloudformation:DescribeStackResource",
                                "cloudformation:DescribeStackResources",
                                "cloudformation:DescribeStacks",
                                "cloudformation:ExecuteChangeSet",
                                "cloudformation:GetTemplate",
                                "cloudformation:GetTemplateSummary",
                                "cloudformation:ListStackResources",
                            ],
                            [n["stack"]],
                        ),
                        _allow(
                            "SamTransform", ["cloudformation:CreateChangeSet"], [SAM_TRANSFORM_ARN]
                        ),
                        _allow(
                            "UploadArtifacts", ["s3:GetObject", "s3:PutObject"], [n["artifacts"]]
                        ),
                        _allow(
                            "ListArtifacts",
                            ["s3:ListBucket"],
                            [f"arn:aws:s3:::{ARTIFACTS_BUCKET}"],
                            {"StringLike": {"s3:prefix": [f"{cfg.stack_name}/*"]}},
                        ),
                        _allow(
                            "LocateArtifactsBucket",
                            ["s3:GetBucketLocation"],
                            [f"arn:aws:s3:::{ARTIFACTS_BUCKET}"],
                        ),
                        _allow(
                            "PassExecutionRole",
                            ["iam:PassRole"],
                            [exec_role_arn(cfg)],
                            {
                                "StringEquals": {
                                    "iam:PassedToService": "cloudformation.amazonaws.com"
                                }
                            },
                        ),
                        *_integration_test_access(cfg),
                    ),
                )
            ],
        )
    )


# deploy.yml runs `pytest -m integration` against these environments' APIs with the deploy role.
INTEGRATION_TESTED = ("staging",)


def _integration_test_access(cfg: EnvConfig) -> list[dict]:
    """Calling the env's IAM-authorized API (SigV4): its id is random, so any API's stage
    named after the env in this account and region, like the stack's ApiInvokePolicy."""
    if cfg.name not in INTEGRATION_TESTED:
        return []
    stage = f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:*/{cfg.name}/*"
    return [_allow("IntegrationTests", ["execute-api:Invoke"], [stage])]


# Where each resource type of the service templates lives, per environment: the ARNs its
# handler permissions are granted on. Names are `security-assistant-<env>-...` wherever the
# service allows a name (CloudFormation's generated names start with the stack name, which is
# that prefix too: `stacks facts` and the name lint rule keep them from being truncated).
def _type_arns(cfg: EnvConfig) -> dict[str, list[str]]:
    n = _names(cfg)
    prefix = cfg.resource_name("")  # security-assistant-<env>-
    arn = f"{REGION}:{ACCOUNT_ID}"
    logs = f"arn:aws:logs:{arn}:log-group"
    buckets = [n["buckets"]]
    functions = [n["functions"], n["hooks"]]
    log_groups = [
        f"{logs}:/aws/lambda/{prefix}*",
        f"{logs}:/aws/lambda/{HOOK_PREFIX}{prefix}*",
        f"{logs}:/aws/apigateway/{prefix}*",
    ]
    # REST API, deployment and stage ids are random: API Gateway cannot be scoped by name.
    apis = [
        f"arn:aws:apigateway:{REGION}::/restapis",
        f"arn:aws:apigateway:{REGION}::/restapis/*",
        f"arn:aws:apigateway:{REGION}::/tags/*",
    ]
    codedeploy = [
        f"arn:aws:codedeploy:{arn}:application:{prefix}*",
        f"arn:aws:codedeploy:{arn}:deploymentgroup:{prefix}*/*",
        f"arn:aws:codedeploy:{arn}:deploymentconfig:*",
    ]
    return {
        "AWS::S3::Bucket": buckets,
        "AWS::S3::BucketPolicy": buckets,
        "AWS::DynamoDB::Table": [n["tables"]],
        "AWS::SQS::Queue": [n["queues"]],
        "AWS::SQS::QueuePolicy": [n["queues"]],
        "AWS::SNS::Topic": [n["topics"]],
        "AWS::SNS::Subscription": [n["topics"]],
        "AWS::SNS::TopicPolicy": [n["topics"]],
        "AWS::CloudWatch::Dashboard": [f"arn:aws:cloudwatch::{ACCOUNT_ID}:dashboard/{prefix}*"],
        "AWS::Budgets::Budget": [f"arn:aws:budgets::{ACCOUNT_ID}:budget/{prefix}*"],
        "AWS::CloudWatch::Alarm": [n["alarms"]],
        "AWS::Logs::LogGroup": log_groups,
        "AWS::Logs::MetricFilter": log_groups,
        "AWS::Lambda::Function": functions,
        "AWS::Lambda::Version": functions,
        "AWS::Lambda::Alias": functions,
        "AWS::Lambda::Permission": functions,
        "AWS::Lambda::Url": functions,
        "AWS::Lambda::EventInvokeConfig": functions,
        # Mapping ids are random UUIDs; the ones that change a mapping are pinned to the
        # env's functions by condition (_conditions).
        "AWS::Lambda::EventSourceMapping": [f"arn:aws:lambda:{arn}:event-source-mapping:*"],
        "AWS::IAM::Role": [n["roles"]],
        # The API's invoke policy (attached to no one by the template).
        "AWS::IAM::ManagedPolicy": [f"arn:aws:iam::{ACCOUNT_ID}:policy/{prefix}*"],
        "AWS::ApiGateway::RestApi": apis,
        "AWS::ApiGateway::Deployment": apis,
        "AWS::ApiGateway::Stage": apis,
        "AWS::ApiGateway::Method": apis,
        "AWS::ApiGateway::Resource": apis,
        "AWS::ApiGateway::GatewayResponse": apis,
        "AWS::ApiGateway::RequestValidator": apis,
        "AWS::ApiGateway::Authorizer": apis,
        "AWS::ApiGateway::Model": apis,
        "AWS::CodeDeploy::Application": codedeploy,
        "AWS::CodeDeploy::DeploymentGroup": codedeploy,
    }


# The roles the service templates create may use only these AWS managed policies.
MANAGED_POLICIES = (
    CODEDEPLOY_POLICY,
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
)

# IAM actions that honour the iam:PermissionsBoundary condition key: with it, the execution
# role can create or change a role only when that role carries the env's boundary.
BOUNDED_ROLE_ACTIONS = frozenset(
    {
        "iam:AttachRolePolicy",
        "iam:CreateRole",
        "iam:DeleteRolePolicy",
        "iam:DetachRolePolicy",
        "iam:PutRolePermissionsBoundary",
        "iam:PutRolePolicy",
    }
)
# Mapping actions that honour lambda:FunctionArn.
MAPPING_ACTIONS = frozenset(
    {
        "lambda:CreateEventSourceMapping",
        "lambda:DeleteEventSourceMapping",
        "lambda:UpdateEventSourceMapping",
    }
)


def _cross_service(cfg: EnvConfig) -> dict[str, tuple[list[str], dict | None]]:
    """Handler permissions on another service's resources, deliberately listed."""
    n = _names(cfg)
    codedeploy = _type_arns(cfg)["AWS::CodeDeploy::DeploymentGroup"]
    traffic = (codedeploy, None)  # updating an alias shifts traffic through CodeDeploy
    code = ([n["artifacts"]], None)  # Lambda copies the code with the caller's credentials
    # The jobs table is encrypted with DynamoDB's AWS-managed key: KMS calls made through
    # DynamoDB only.
    table_key = (
        [f"arn:aws:kms:{REGION}:{ACCOUNT_ID}:key/*"],
        {"StringEquals": {"kms:ViaService": f"dynamodb.{REGION}.amazonaws.com"}},
    )
    return {
        "iam:PassRole": (
            [n["roles"]],
            {
                "StringEquals": {
                    "iam:PassedToService": ["codedeploy.amazonaws.com", "lambda.amazonaws.com"]
                }
            },
        ),
        "s3:GetObject": code,
        "s3:GetObjectVersion": code,
        **dict.fromkeys(
            ["kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:RevokeGrant"],
            table_key,
        ),
        "codedeploy:CreateDeployment": traffic,
        "codedeploy:GetDeployment": traffic,
        "codedeploy:GetDeploymentConfig": traffic,
        "codedeploy:GetDeploymentGroup": traffic,
        "codedeploy:StopDeployment": traffic,
    }


def _service(type_: str) -> str:
    return type_.split("::")[1].lower()


def _conditions(cfg: EnvConfig, type_: str, action: str) -> dict | None:
    if type_ == "AWS::IAM::Role" and action in BOUNDED_ROLE_ACTIONS:
        condition = {"StringEquals": {"iam:PermissionsBoundary": boundary_arn(cfg)}}
        if action in ("iam:AttachRolePolicy", "iam:DetachRolePolicy"):
            condition["ArnEquals"] = {"iam:PolicyARN": list(MANAGED_POLICIES)}
        return condition
    if type_ == "AWS::Lambda::EventSourceMapping" and action in MAPPING_ACTIONS:
        return {"ArnLike": {"lambda:FunctionArn": _type_arns(cfg)["AWS::Lambda::Function"]}}
    return None


def _resource_statements(cfg: EnvConfig) -> list[dict]:
    """The handler permissions of the env's resource types (stacks/aws_facts.json), scoped."""
    facts = aws_facts.committed()
    needed = facts["execution_permissions"][cfg.name]
    unscoped = set(facts["unscoped_actions"])
    arns, cross = _type_arns(cfg), _cross_service(cfg)
    grants: dict[tuple, set[str]] = {}  # (resources, condition) -> actions

    def grant(action: str, resources: list[str], condition: dict | None) -> None:
        key = (tuple(resources), json.dumps(condition, sort_keys=True) if condition else "")
        grants.setdefault(key, set()).add(action)

    for type_, actions in needed.items():
        for action in actions:
            if action in unscoped:  # no resource-level permissions: "*", a condition if any
                grant(action, ["*"], _conditions(cfg, type_, action))
            elif action.split(":")[0] == _service(type_):
                if type_ not in arns:
                    raise ConfigError(
                        f"{cfg.name}'s template has {type_}, which the execution role cannot "
                        "scope: add its ARNs to _type_arns in stacks/bootstrap.py"
                    )
                grant(action, arns[type_], _conditions(cfg, type_, action))
            elif action in cross:
                grant(action, *cross[action])
            else:
                raise ConfigError(
                    f"{type_} in {cfg.name}'s template needs {action} on another service's "
                    "resources: list it in _cross_service in stacks/bootstrap.py (or in "
                    "ONLY_WITH/WITHHELD in stacks/permissions.py) and run `python -m stacks facts`"
                )
    statements, sids = [], Counter()
    for (resources, condition), actions in sorted(
        grants.items(), key=lambda g: (sorted(g[1]), g[0])
    ):
        sid = _sid(actions)
        sids[sid] += 1  # Sids are unique within a policy
        statements.append(
            _allow(
                sid if sids[sid] == 1 else f"{sid}{sids[sid]}",
                sorted(actions),
                list(resources),
                json.loads(condition or "null"),
            )
        )
    return statements


def _sid(actions: set[str]) -> str:
    services = sorted({a.split(":")[0] for a in actions})
    return "".join(s.capitalize() for s in services)


def boundary_policy(t: Template, cfg: EnvConfig) -> iam.ManagedPolicy:
    """The most a role of the env's stack can ever do, whatever its own policies say.

    The execution role may create roles only with this boundary, so a template (or whoever
    can run a deploy job) cannot make a role that reaches beyond the service's own data,
    queue, logs and metrics.
    """
    n = _names(cfg)
    arn = f"{REGION}:{ACCOUNT_ID}"
    prefix = cfg.resource_name("")
    functions = _type_arns(cfg)["AWS::Lambda::Function"]
    return t.add_resource(
        iam.ManagedPolicy(
            f"{_title(cfg)}PermissionsBoundary",
            ManagedPolicyName=boundary_name(cfg),
            Description=f"Permissions boundary of every role {cfg.stack_name} creates",
            PolicyDocument=_document(
                _allow(
                    "ServiceData",
                    ["s3:GetObject", "s3:ListBucket", "s3:PutObject"],
                    [n["buckets"], f"{n['buckets']}/*"],
                ),
                _allow(
                    "Jobs",
                    ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                    [n["tables"]],
                ),
                _allow(
                    "JobQueue",
                    [
                        "sqs:ChangeMessageVisibility",
                        "sqs:DeleteMessage",
                        "sqs:GetQueueAttributes",
                        "sqs:ReceiveMessage",
                        "sqs:SendMessage",
                    ],
                    [n["queues"]],
                ),
                _allow(
                    "FunctionLogs",
                    ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                    [
                        f"arn:aws:logs:{arn}:log-group:/aws/lambda/{prefix}*",
                        f"arn:aws:logs:{arn}:log-group:/aws/lambda/{HOOK_PREFIX}{prefix}*",
                    ],
                ),
                # PutMetricData has no resource-level permissions; the namespace is the scope.
                _allow(
                    "Metrics",
                    ["cloudwatch:PutMetricData"],
                    ["*"],
                    {"StringEquals": {"cloudwatch:namespace": METRICS_NAMESPACE}},
                ),
                # The hook invokes the new version; CodeDeploy invokes hooks, reads the
                # rollback alarms and moves the alias (AWSCodeDeployRoleForLambda).
                _allow(
                    "InvokeAndShift",
                    [
                        "lambda:GetAlias",
                        "lambda:GetProvisionedConcurrencyConfig",
                        "lambda:InvokeFunction",
                        "lambda:UpdateAlias",
                    ],
                    [*functions, *(f"{f}:*" for f in functions)],
                ),
                _allow(
                    "ReadRollbackAlarms",
                    ["cloudwatch:DescribeAlarms"],
                    [f"arn:aws:cloudwatch:{arn}:alarm:{prefix}*"],
                ),
                _allow("NotifyAlarmTopic", ["sns:Publish"], [n["topics"]]),
                _allow(
                    "ReportHookStatus",
                    ["codedeploy:PutLifecycleEventHookExecutionStatus"],
                    [f"arn:aws:codedeploy:{arn}:deploymentgroup:{prefix}*/*"],
                ),
            ),
        )
    )


def exec_role(t: Template, cfg: EnvConfig, boundary: iam.ManagedPolicy) -> iam.Role:
    guard = {
        # The pipeline's own roles share the env prefix; a template must not rewrite them.
        "Sid": "NotThePipelineRoles",
        "Effect": "Deny",
        "Action": ["iam:*"],
        "Resource": [
            f"arn:aws:iam::{ACCOUNT_ID}:role/{deploy_role_name(cfg)}",
            exec_role_arn(cfg),
        ],
    }
    keep_boundary = {
        # Every role keeps its boundary; the boundary itself is this stack's, not a template's.
        "Sid": "KeepTheBoundary",
        "Effect": "Deny",
        "Action": ["iam:DeleteRolePermissionsBoundary"],
        "Resource": ["*"],
    }
    return t.add_resource(
        iam.Role(
            f"{_title(cfg)}ExecutionRole",
            RoleName=exec_role_name(cfg),
            Description=f"CloudFormation creating the resources of {cfg.stack_name}",
            # The service principal only: CloudFormation's service-role documentation sets no
            # aws:SourceAccount/SourceArn for it to match, roles cannot be passed across
            # accounts, and only this env's deploy role may pass this one (iam:PassRole).
            AssumeRolePolicyDocument=_document(
                {
                    "Sid": "CloudFormationOnly",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudformation.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ),
            # Managed, not inline: the handler permissions outgrow an inline policy's size.
            ManagedPolicyArns=[Ref(p) for p in _permission_policies(t, cfg)],
            Policies=[
                iam.Policy(
                    PolicyName="guards",
                    PolicyDocument=_document(guard, keep_boundary),
                )
            ],
            DependsOn=[boundary.title],
        )
    )


def _permission_policies(t: Template, cfg: EnvConfig) -> list[iam.ManagedPolicy]:
    """The handler permissions, split into managed policies under IAM's 6,144-character cap."""
    chunks: list[list[dict]] = [[]]
    for statement in _resource_statements(cfg):
        if chunks[-1] and _size([*chunks[-1], statement]) > POLICY_SIZE_BUDGET:
            chunks.append([])
        chunks[-1].append(statement)
    return [
        t.add_resource(
            iam.ManagedPolicy(
                f"{_title(cfg)}ExecutionPolicy{i}",
                ManagedPolicyName=cfg.resource_name(f"cfn-exec-{i}"),
                Description=f"Handler permissions for {cfg.stack_name} ({i}/{len(chunks)})",
                PolicyDocument=_document(*chunk),
            )
        )
        for i, chunk in enumerate(chunks, 1)
    ]


# IAM counts a managed policy's JSON without whitespace; leave room for intrinsics.
POLICY_SIZE_BUDGET = 5500


def _size(statements: list[dict]) -> int:
    return len(json.dumps(_document(*statements), separators=(",", ":")))


def api_gateway_logging(t: Template) -> iam.Role:
    """API Gateway's account-wide CloudWatch role, without which access logging fails."""
    role = t.add_resource(
        iam.Role(
            "ApiGatewayCloudWatchRole",
            RoleName=f"{PROJECT}-apigateway-cloudwatch",
            Description="API Gateway writing REST API access and execution logs (account-wide)",
            AssumeRolePolicyDocument=_document(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "apigateway.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ),
            ManagedPolicyArns=[
                "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
            ],
            # The account setting outlives this stack; keep the role it points at.
            **retain_if(True),
        )
    )
    t.add_resource(apigateway.Account("ApiGatewayAccount", CloudWatchRoleArn=GetAtt(role, "Arn")))
    return role


def bootstrap_template() -> Template:
    t = Template(
        Description=(
            f"{PROJECT} bootstrap: SAM artifacts bucket, GitHub OIDC deploy roles, "
            "CloudFormation execution roles and API Gateway's CloudWatch role. Applied by hand."
        )
    )
    t.set_version()
    # No `SecurityAssistant: Environment` metadata: this is no service environment, and the
    # project's lint rules (naming, pay-per-use...) key on that metadata to apply.
    home_account_and_region(t, config.get("prod"))  # account and region are project-wide

    repository = t.add_parameter(
        Parameter(
            "GitHubRepository",
            Type="String",
            AllowedPattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$",
            Description="owner/name of the GitHub repository whose workflows deploy",
        )
    )
    provider_arn = github_oidc_provider_arn(t)
    bucket = artifacts_bucket(t)
    api_gateway_logging(t)
    t.add_output(Output("ArtifactsBucketName", Value=Ref(bucket)))

    for cfg in config.ENVIRONMENTS.values():
        deploy = deploy_role(t, cfg, provider_arn, repository)
        execution = exec_role(t, cfg, boundary_policy(t, cfg))
        t.add_output(
            Output(
                f"{_title(cfg)}DeployRoleArn",
                Description=f"repository variable AWS_DEPLOY_ROLE_{cfg.name.upper()}",
                Value=GetAtt(deploy, "Arn"),
            )
        )
        t.add_output(
            Output(
                f"{_title(cfg)}ExecutionRoleArn",
                Description=f"role_arn of samconfig.toml's {cfg.name} deploy section",
                Value=GetAtt(execution, "Arn"),
            )
        )
    return t
