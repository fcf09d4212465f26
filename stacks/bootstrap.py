"""The pipeline's own AWS prerequisites: applied once, by hand, before the first deploy.

`sam deploy` needs the artifacts bucket, GitHub Actions needs roles to assume (by OIDC, no
long-lived keys), and the staging/prod API stages log access, which API Gateway refuses until
the account-wide CloudWatch role is set. None of that belongs to one environment's stack, so it
lives here, in its own template (`infrastructure/bootstrap/template.yaml`).

Per deployable environment there are two roles:
- `security-assistant-<env>-deploy`, assumed by this repository's workflow running in the
  GitHub environment `<env>` (and nothing else): it may upload artifacts under the env's
  prefix, drive change sets of the env's stack and pass the role below to CloudFormation;
- `security-assistant-<env>-cfn-exec`, assumed by CloudFormation only (samconfig's
  `role_arn`): it holds the permissions to create the env's resources, scoped to
  `security-assistant-<env>-*` names wherever the service supports it.
"""

from __future__ import annotations

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

from stacks import config
from stacks.config import ACCOUNT_ID, ARTIFACTS_BUCKET, PROJECT, REGION, EnvConfig
from stacks.service.common import retain_if
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

# Managed policies the SAM transform attaches to the roles it generates (function roles, the
# CodeDeploy service role); the execution role may attach these and no others.
SAM_MANAGED_POLICIES = (
    "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
)


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
        "hooks": f"arn:aws:lambda:{arn}:function:CodeDeployHook_{prefix}*",
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


def _resource_statements(cfg: EnvConfig) -> list[dict]:
    """What CloudFormation needs to create, update and delete the env's resources."""
    n = _names(cfg)
    logs = f"arn:aws:logs:{REGION}:{ACCOUNT_ID}:log-group"
    statements = [
        _allow(
            "Buckets",
            [
                "s3:CreateBucket",
                "s3:DeleteBucket",
                "s3:DeleteBucketPolicy",
                "s3:GetBucket*",
                "s3:GetEncryptionConfiguration",
                "s3:GetLifecycleConfiguration",
                "s3:ListBucket",
                "s3:PutBucket*",
                "s3:PutEncryptionConfiguration",
                "s3:PutLifecycleConfiguration",
            ],
            [n["buckets"]],
        ),
        _allow(
            "Tables",
            [
                "dynamodb:CreateTable",
                "dynamodb:DeleteTable",
                "dynamodb:DescribeContinuousBackups",
                "dynamodb:DescribeTable",
                "dynamodb:DescribeTimeToLive",
                "dynamodb:ListTagsOfResource",
                "dynamodb:TagResource",
                "dynamodb:UntagResource",
                "dynamodb:UpdateContinuousBackups",
                "dynamodb:UpdateTable",
                "dynamodb:UpdateTimeToLive",
            ],
            [n["tables"]],
        ),
    ]
    if not cfg.full_service:  # dev: the data bucket and jobs table only
        return statements
    return statements + [
        _allow(
            "Queues",
            [
                "sqs:CreateQueue",
                "sqs:DeleteQueue",
                "sqs:GetQueueAttributes",
                "sqs:ListQueueTags",
                "sqs:SetQueueAttributes",
                "sqs:TagQueue",
                "sqs:UntagQueue",
            ],
            [n["queues"]],
        ),
        _allow(
            "AlarmTopic",
            [
                "sns:CreateTopic",
                "sns:DeleteTopic",
                "sns:GetSubscriptionAttributes",
                "sns:GetTopicAttributes",
                "sns:ListTagsForResource",
                "sns:SetTopicAttributes",
                "sns:Subscribe",
                "sns:TagResource",
                "sns:Unsubscribe",
                "sns:UntagResource",
            ],
            [n["topics"]],
        ),
        _allow(
            "Alarms",
            [
                "cloudwatch:DeleteAlarms",
                "cloudwatch:DescribeAlarms",
                "cloudwatch:ListTagsForResource",
                "cloudwatch:PutMetricAlarm",
                "cloudwatch:TagResource",
                "cloudwatch:UntagResource",
            ],
            [n["alarms"]],
        ),
        _allow(
            "LogGroups",
            [
                "logs:CreateLogGroup",
                "logs:DeleteLogGroup",
                "logs:DeleteRetentionPolicy",
                "logs:ListTagsForResource",
                "logs:PutRetentionPolicy",
                "logs:TagResource",
                "logs:UntagResource",
            ],
            [
                f"{logs}:/aws/lambda/{cfg.resource_name('')}*",
                f"{logs}:/aws/lambda/CodeDeployHook_{cfg.resource_name('')}*",
                f"{logs}:/aws/apigateway/{cfg.resource_name('')}*",
            ],
        ),
        _allow("DescribeLogGroups", ["logs:DescribeLogGroups"], [f"{logs}:*"]),
        _allow(
            "Functions",
            [
                "lambda:AddPermission",
                "lambda:CreateAlias",
                "lambda:CreateFunction",
                "lambda:DeleteAlias",
                "lambda:DeleteFunction",
                "lambda:DeleteFunctionConcurrency",
                "lambda:DeleteProvisionedConcurrencyConfig",
                "lambda:GetAlias",
                "lambda:GetFunction",
                "lambda:GetFunctionConfiguration",
                "lambda:GetProvisionedConcurrencyConfig",
                "lambda:ListTags",
                "lambda:ListVersionsByFunction",
                "lambda:PublishVersion",
                "lambda:PutFunctionConcurrency",
                "lambda:PutProvisionedConcurrencyConfig",
                "lambda:RemovePermission",
                "lambda:TagResource",
                "lambda:UntagResource",
                "lambda:UpdateAlias",
                "lambda:UpdateFunctionCode",
                "lambda:UpdateFunctionConfiguration",
            ],
            [n["functions"], n["hooks"]],
        ),
        _allow(
            "QueueEventSources",
            [
                "lambda:CreateEventSourceMapping",
                "lambda:DeleteEventSourceMapping",
                "lambda:GetEventSourceMapping",
                "lambda:UpdateEventSourceMapping",
            ],
            ["*"],  # mappings have random ids; the condition pins them to the env's functions
            {"ArnLike": {"lambda:FunctionArn": [n["functions"]]}},
        ),
        _allow(
            "ReadEventSources",
            ["lambda:GetEventSourceMapping"],
            [f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:event-source-mapping:*"],
        ),
        _allow(
            # REST API ids are random, so API Gateway cannot be scoped by name.
            "RestApis",
            [
                "apigateway:DELETE",
                "apigateway:GET",
                "apigateway:PATCH",
                "apigateway:POST",
                "apigateway:PUT",
            ],
            [
                f"arn:aws:apigateway:{REGION}::/restapis",
                f"arn:aws:apigateway:{REGION}::/restapis/*",
                f"arn:aws:apigateway:{REGION}::/tags/*",
            ],
        ),
        _allow(
            "TrafficShifting",
            [
                "codedeploy:CreateApplication",
                "codedeploy:CreateDeployment",
                "codedeploy:CreateDeploymentGroup",
                "codedeploy:DeleteApplication",
                "codedeploy:DeleteDeploymentGroup",
                "codedeploy:GetApplication",
                "codedeploy:GetApplicationRevision",
                "codedeploy:GetDeployment",
                "codedeploy:GetDeploymentConfig",
                "codedeploy:GetDeploymentGroup",
                "codedeploy:ListTagsForResource",
                "codedeploy:RegisterApplicationRevision",
                "codedeploy:StopDeployment",
                "codedeploy:TagResource",
                "codedeploy:UntagResource",
                "codedeploy:UpdateDeploymentGroup",
            ],
            [
                f"arn:aws:codedeploy:{REGION}:{ACCOUNT_ID}:application:{cfg.resource_name('')}*",
                f"arn:aws:codedeploy:{REGION}:{ACCOUNT_ID}:deploymentgroup:"
                f"{cfg.resource_name('')}*/*",
                f"arn:aws:codedeploy:{REGION}:{ACCOUNT_ID}:deploymentconfig:*",
            ],
        ),
        _allow(
            "ReadFunctionCode",  # Lambda fetches the code with the caller's credentials
            ["s3:GetObject"],
            [n["artifacts"]],
        ),
        _allow(
            # Roles the SAM transform generates: CloudFormation names them <stack>-<id>-<rnd>.
            "GeneratedRoles",
            [
                "iam:CreateRole",
                "iam:DeleteRole",
                "iam:DeleteRolePolicy",
                "iam:GetRole",
                "iam:GetRolePolicy",
                "iam:ListAttachedRolePolicies",
                "iam:ListRolePolicies",
                "iam:PutRolePolicy",
                "iam:TagRole",
                "iam:UntagRole",
                "iam:UpdateAssumeRolePolicy",
                "iam:UpdateRole",
            ],
            [n["roles"]],
        ),
        _allow(
            "AttachSamManagedPolicies",
            ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
            [n["roles"]],
            {"ArnEquals": {"iam:PolicyARN": list(SAM_MANAGED_POLICIES)}},
        ),
        _allow(
            "PassGeneratedRoles",
            ["iam:PassRole"],
            [n["roles"]],
            {
                "StringEquals": {
                    "iam:PassedToService": ["codedeploy.amazonaws.com", "lambda.amazonaws.com"]
                }
            },
        ),
        _allow(
            # The API's invoke policy (AWS::IAM::ManagedPolicy handlers; the template attaches
            # it to no one, so no Attach*/Detach* permission is needed).
            "InvokePolicies",
            [
                "iam:CreatePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:GetPolicy",
                "iam:GetPolicyVersion",
                "iam:ListEntitiesForPolicy",
                "iam:ListPolicyVersions",
            ],
            [f"arn:aws:iam::{ACCOUNT_ID}:policy/{cfg.resource_name('')}*"],
        ),
    ]


def exec_role(t: Template, cfg: EnvConfig) -> iam.Role:
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
    return t.add_resource(
        iam.Role(
            f"{_title(cfg)}ExecutionRole",
            RoleName=exec_role_name(cfg),
            Description=f"CloudFormation creating the resources of {cfg.stack_name}",
            AssumeRolePolicyDocument=_document(
                {
                    "Sid": "CloudFormationOnly",
                    "Effect": "Allow",
                    "Principal": {"Service": "cloudformation.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                    "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}},
                }
            ),
            Policies=[
                iam.Policy(
                    PolicyName="stack-resources",
                    PolicyDocument=_document(*_resource_statements(cfg), guard),
                )
            ],
        )
    )


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
        execution = exec_role(t, cfg)
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
