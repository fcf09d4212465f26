"""The Lambda functions: the API handler, the queue worker and the PreTraffic hook.

The code is the `security_assistant` package under `lambdas/`; CodeUri is relative to the
generated template (`infrastructure/<env>/template.yaml`).
"""

from security_assistant import contract
from troposphere import GetAtt, Join, Ref, Sub, Template, logs, s3, serverless, sqs
from troposphere import dynamodb as ddb

from stacks.config import EnvConfig
from stacks.sam import ScalingConfig, SQSEvent
from stacks.service.api import route_auth
from stacks.service.common import checkov_skip, retain_if

CODE_URI = "../../lambdas"
RUNTIME = "python3.12"
ALIAS = "live"
HOOK_PREFIX = "CodeDeployHook_"  # SAM's CodeDeploy role may only invoke hooks named so


def _statement(sid: str, actions: list[str], resources: list) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Action": sorted(actions), "Resource": resources}


def _policy(*statements: dict) -> list[dict]:
    return [{"Version": "2012-10-17", "Statement": list(statements)}]


def _objects(bucket: s3.Bucket, prefix: str):
    return Join("", [GetAtt(bucket, "Arn"), f"/{prefix}*"])


def _list_bucket(bucket: s3.Bucket) -> dict:
    # Without ListBucket S3 answers 403 instead of 404 for a missing object, and the code
    # could not tell an expired report or input from a real permission fault.
    return _statement("ListBucket", ["s3:ListBucket"], [GetAtt(bucket, "Arn")])


def _function(t: Template, cfg: EnvConfig, title: str, name: str, **props) -> serverless.Function:
    log_group = t.add_resource(
        logs.LogGroup(
            f"{title}LogGroup",
            LogGroupName=f"/aws/lambda/{name}",
            RetentionInDays=cfg.log_retention_days,
            **checkov_skip("CKV_AWS_158"),
            **retain_if(cfg.retain_stateful),  # prod keeps its logs when the stack goes
        )
    )
    return t.add_resource(
        serverless.Function(
            title,
            FunctionName=name,
            CodeUri=CODE_URI,
            Runtime=RUNTIME,
            Architectures=["arm64"],
            MemorySize=cfg.memory_mb,
            LoggingConfig=serverless.LoggingConfig(LogGroup=Ref(log_group)),
            **checkov_skip("CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117", "CKV_AWS_173"),
            **props,
        )
    )


def _environment(function: str, cfg: EnvConfig, **values) -> serverless.Environment:
    """The variables `contract.FUNCTION_ENVIRONMENT[function]` names, and no others.

    `values` holds the resource-dependent ones (by contract name); a variable the contract
    names but nobody supplies is a KeyError at build time, not a function reading None.
    """
    c = contract
    known = {
        c.ENV: cfg.name,
        c.STORAGE_MODE: "aws",
        c.MAX_CONTENT_BYTES: str(cfg.max_content_bytes),
        c.MAX_RECEIVE_COUNT: str(cfg.max_receive_count),
        c.LOG_LEVEL: cfg.log_level,
        c.POWERTOOLS_SERVICE_NAME: c.SERVICE_NAME,
        c.POWERTOOLS_METRICS_NAMESPACE: c.METRICS_NAMESPACE,
        **values,
    }
    names = c.FUNCTION_ENVIRONMENT[function]
    unused = sorted(set(values) - set(names))
    if unused:
        raise KeyError(f"{function} function: {unused} not in contract.FUNCTION_ENVIRONMENT")
    return serverless.Environment(Variables={name: known[name] for name in names})


def api_function(
    t: Template,
    cfg: EnvConfig,
    api: serverless.Api,
    bucket: s3.Bucket,
    table: ddb.Table,
    queue: sqs.Queue,
) -> serverless.Function:
    return _function(
        t,
        cfg,
        "ApiFunction",
        cfg.resource_name("api"),
        Description="Jobs API: accepts text, records the job, reports findings",
        Handler="security_assistant.api.handler",
        Timeout=cfg.api_timeout_seconds,
        AutoPublishAlias=ALIAS,
        Environment=_environment(
            "api", cfg, BUCKET_NAME=Ref(bucket), TABLE_NAME=Ref(table), QUEUE_URL=Ref(queue)
        ),
        Events={
            route.name: serverless.ApiEvent(
                route.name,
                Method=route.method,
                Path=route.path,
                RestApiId=Ref(api),
                **route_auth(route),
            )
            for route in contract.ROUTES
        },
        Policies=_policy(
            _statement("WriteInputs", ["s3:PutObject"], [_objects(bucket, "inputs/")]),
            _statement("ReadReports", ["s3:GetObject"], [_objects(bucket, "reports/")]),
            _list_bucket(bucket),
            _statement(
                "Jobs",
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                [GetAtt(table, "Arn")],
            ),
            _statement("Enqueue", ["sqs:SendMessage"], [GetAtt(queue, "Arn")]),
        ),
        **_provisioned(cfg),
    )


def worker_function(
    t: Template, cfg: EnvConfig, bucket: s3.Bucket, table: ddb.Table, queue: sqs.Queue
) -> serverless.Function:
    return _function(
        t,
        cfg,
        "WorkerFunction",
        cfg.resource_name("worker"),
        Description="Scans queued jobs with detect-secrets and writes their reports",
        Handler="security_assistant.worker.handler",
        Timeout=cfg.worker_timeout_seconds,
        AutoPublishAlias=ALIAS,
        Environment=_environment("worker", cfg, BUCKET_NAME=Ref(bucket), TABLE_NAME=Ref(table)),
        Events={
            "Jobs": SQSEvent(
                "Jobs",
                Queue=GetAtt(queue, "Arn"),
                BatchSize=cfg.worker_batch_size,
                # Only the failed records of a batch are retried, not the whole batch.
                FunctionResponseTypes=["ReportBatchItemFailures"],
                ScalingConfig=ScalingConfig(MaximumConcurrency=cfg.worker_max_concurrency),
            )
        },
        Policies=_policy(
            _statement("ReadInputs", ["s3:GetObject"], [_objects(bucket, "inputs/")]),
            _list_bucket(bucket),
            _statement("WriteReports", ["s3:PutObject"], [_objects(bucket, "reports/")]),
            _statement(
                "Jobs",
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                [GetAtt(table, "Arn")],
            ),
        ),
        **_provisioned(cfg),
    )


def pre_traffic_hook(
    t: Template, cfg: EnvConfig, target: serverless.Function
) -> serverless.Function:
    """CodeDeploy runs this before shifting traffic; it smoke-tests the new version."""
    new_version = Ref(f"{target.title}.Version")
    return _function(
        t,
        cfg,
        # Short: SAM names its role <id>Role, and CloudFormation's generated role name
        # (<stack>-<id>Role-<random>) must fit IAM's 64 characters untruncated.
        "PreTrafficHook",
        HOOK_PREFIX + cfg.resource_name("pre-traffic"),
        Description="PreTraffic hook: smoke-tests the new ApiFunction version",
        Handler="security_assistant.hooks.pre_traffic",
        Timeout=60,
        Environment=_environment("hooks", cfg, TARGET_FUNCTION_ARN=new_version),
        # AWS's documented pattern: report the hook's result, invoke only the new version.
        Policies=_policy(
            _statement(
                "ReportHookStatus",
                ["codedeploy:PutLifecycleEventHookExecutionStatus"],
                [
                    Sub(
                        "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:"
                        "deploymentgroup:${ServerlessDeploymentApplication}/*"
                    )
                ],
            ),
            _statement("InvokeNewVersion", ["lambda:InvokeFunction"], [new_version]),
        ),
    )


def _provisioned(cfg: EnvConfig) -> dict:
    if not cfg.provisioned_concurrency:
        return {}
    return {
        "ProvisionedConcurrencyConfig": serverless.ProvisionedConcurrencyConfiguration(
            ProvisionedConcurrentExecutions=cfg.provisioned_concurrency
        )
    }
