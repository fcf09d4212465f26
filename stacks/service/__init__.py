"""The security assistant's SAM template for one environment.

dev holds only the data bucket and jobs table used by local E2E runs; staging and prod hold
the whole service: API -> ApiFunction -> queue -> WorkerFunction, with alarms that roll a bad
release back.
"""

from troposphere import Output, Ref, Sub, Template

from stacks.config import EnvConfig
from stacks.service import alarms, boundary, budget, functions, guardrails, storage
from stacks.service.api import invoke_policy, rest_api
from stacks.service.queue import job_queues


def service_template(cfg: EnvConfig) -> Template:
    t = Template(
        Description=f"security-assistant {cfg.name}: "
        + ("the full service" if cfg.full_service else "dev bucket and jobs table for E2E runs")
    )
    t.set_version()
    # Read by the project's lint rules to know which environment's policy applies.
    t.set_metadata({"SecurityAssistant": {"Environment": cfg.name}})
    t.set_transform("AWS::Serverless-2016-10-31")
    guardrails.home_account_and_region(t, cfg)

    bucket = storage.data_bucket(t, cfg)
    table = storage.jobs_table(t, cfg)
    outputs = {"DataBucketName": Ref(bucket), "JobsTableName": Ref(table)}
    descriptions: dict[str, str] = {}
    # Every environment has the topic: the budget notifies it even where no alarm does (dev).
    topic = alarms.alarm_topic(t, cfg)
    budget.monthly_budget(t, cfg, topic)

    if cfg.full_service:
        queue, dlq = job_queues(t, cfg)
        api = rest_api(t, cfg)
        api_fn = functions.api_function(t, cfg, api, bucket, table, queue)
        worker_fn = functions.worker_function(t, cfg, bucket, table, queue)
        hook = functions.pre_traffic_hook(t, cfg, api_fn)
        invoke = invoke_policy(t, cfg, api, api_fn)

        shared = [alarms.api_5xx_rate(t, cfg, topic), alarms.dlq_not_empty(t, cfg, dlq, topic)]
        api_fn.DeploymentPreference = alarms.deployment_preference(
            cfg, [alarms.function_error_rate(t, cfg, api_fn, topic, "api"), *shared], hook
        )
        worker_fn.DeploymentPreference = alarms.deployment_preference(
            cfg, [alarms.function_error_rate(t, cfg, worker_fn, topic, "worker"), *shared]
        )
        # Every role carries the environment's permissions boundary (stacks/service/boundary.py).
        boundary.function_roles(t, cfg)
        codedeploy_role = boundary.codedeploy_role(t, cfg)
        for fn in (api_fn, worker_fn):
            fn.DeploymentPreference.Role = codedeploy_role
        outputs |= {
            "ApiUrl": Sub(
                f"https://${{{api.title}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{cfg.name}/"
            ),
            "JobsQueueUrl": Ref(queue),
            "JobsDeadLetterQueueUrl": Ref(dlq),
            "AlarmTopicArn": Ref(topic),
            "ApiFunctionAlias": Ref(f"{api_fn.title}.Alias"),
            "ApiInvokePolicyArn": Ref(invoke),
        }
        descriptions |= {
            "ApiUrl": "Jobs API base URL. Every route but GET /health needs a SigV4-signed "
            "request (service execute-api) from a principal with ApiInvokePolicyArn attached, "
            "e.g. python -m security_assistant scan --api <ApiUrl> FILE",
            "ApiInvokePolicyArn": "Attach to the roles and users that may call the API: "
            "aws iam attach-role-policy --role-name ROLE --policy-arn <ApiInvokePolicyArn>",
        }

    for name, value in outputs.items():
        described = {"Description": descriptions[name]} if name in descriptions else {}
        t.add_output(Output(name, Value=value, **described))
    return t
