"""The Lambda functions: code location, runtime, contract env vars, events, least privilege."""

from pathlib import Path

from stacks import config
from stacks.templates import TARGETS
from tests.stacks.conftest import of_type


def functions(t):
    return of_type(t, "AWS::Serverless::Function")


def test_dev_runs_no_functions(templates):
    assert functions(templates["dev"]) == {}


def test_functions_are_arm64_python_and_point_at_the_lambdas_package(full):
    env, t = full
    fns = functions(t)
    assert set(fns) == {"ApiFunction", "WorkerFunction", "PreTrafficHook"}
    template_dir = TARGETS[env].path.parent
    for fn in fns.values():
        props = fn["Properties"]
        assert props["Architectures"] == ["arm64"]
        assert props["Runtime"] == "python3.12"
        code = (template_dir / props["CodeUri"]).resolve()
        assert code.name == "lambdas"
        module, handler = props["Handler"].rsplit(".", 1)
        assert (code / Path(*module.split("."))).with_suffix(".py").is_file(), props["Handler"]


def test_environment_variables_follow_the_contract(full):
    env, t = full
    cfg = config.get(env)
    api = functions(t)["ApiFunction"]["Properties"]["Environment"]["Variables"]
    worker = functions(t)["WorkerFunction"]["Properties"]["Environment"]["Variables"]
    # which variables each function gets: tests/stacks/test_contract.py
    assert api["QUEUE_URL"] == {"Ref": "JobsQueue"}
    assert api["STORAGE_MODE"] == worker["STORAGE_MODE"] == "aws"
    assert api["ENV"] == env
    assert api["BUCKET_NAME"] == {"Ref": "DataBucket"}
    assert api["TABLE_NAME"] == {"Ref": "JobsTable"}
    assert worker["MAX_RECEIVE_COUNT"] == str(cfg.max_receive_count)
    assert api["MAX_CONTENT_BYTES"] == str(cfg.max_content_bytes)


def test_api_routes_go_through_the_rest_api(full):
    _, t = full
    events = functions(t)["ApiFunction"]["Properties"]["Events"]
    # which routes: tests/stacks/test_contract.py
    assert {e["Type"] for e in events.values()} == {"Api"}
    assert all(e["Properties"]["RestApiId"] == {"Ref": "Api"} for e in events.values())


def test_worker_reads_the_queue_with_partial_batch_failures(full):
    env, t = full
    (event,) = functions(t)["WorkerFunction"]["Properties"]["Events"].values()
    assert event["Type"] == "SQS"
    assert event["Properties"]["Queue"] == {"Fn::GetAtt": ["JobsQueue", "Arn"]}
    assert event["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert event["Properties"]["BatchSize"] == config.get(env).worker_batch_size


def test_rest_api_has_access_logs_and_throttling(full):
    env, t = full
    api = t["Resources"]["Api"]["Properties"]
    assert api["StageName"] == env
    assert api["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]}
    assert "$context.requestId" in api["AccessLogSetting"]["Format"]
    # gateway responses and authorization: tests/stacks/test_api_access.py
    (settings,) = api["MethodSettings"]
    assert settings["ThrottlingRateLimit"] == config.get(env).throttle_rate_limit
    assert settings["ThrottlingBurstLimit"] == config.get(env).throttle_burst_limit


def test_every_log_group_has_the_configured_retention(full):
    env, t = full
    groups = of_type(t, "AWS::Logs::LogGroup")
    assert len(groups) == 4
    for g in groups.values():
        assert g["Properties"]["RetentionInDays"] == config.get(env).log_retention_days
    for name, fn in functions(t).items():
        assert fn["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": f"{name}LogGroup"}}


def _statements(fn):
    return [s for doc in fn["Properties"]["Policies"] for s in doc["Statement"]]


def test_policies_are_scoped_to_the_one_bucket_table_and_queue(full):
    _, t = full
    for name, fn in functions(t).items():
        for s in _statements(fn):
            assert s["Effect"] == "Allow"
            assert "*" not in s["Action"] and not any(a.endswith(":*") for a in s["Action"])
            assert "*" not in s["Resource"], (name, s["Sid"])
    api = {s["Sid"]: s for s in _statements(functions(t)["ApiFunction"])}
    assert api["Enqueue"] == {
        "Sid": "Enqueue",
        "Effect": "Allow",
        "Action": ["sqs:SendMessage"],
        "Resource": [{"Fn::GetAtt": ["JobsQueue", "Arn"]}],
    }
    assert api["WriteInputs"]["Resource"] == [
        {"Fn::Join": ["", [{"Fn::GetAtt": ["DataBucket", "Arn"]}, "/inputs/*"]]}
    ]
    worker = {s["Sid"]: s for s in _statements(functions(t)["WorkerFunction"])}
    assert "Enqueue" not in worker
    assert worker["WriteReports"]["Resource"] == [
        {"Fn::Join": ["", [{"Fn::GetAtt": ["DataBucket", "Arn"]}, "/reports/*"]]}
    ]


def test_pre_traffic_hook_follows_the_documented_pattern(full):
    env, t = full
    hook = functions(t)["PreTrafficHook"]["Properties"]
    assert hook["FunctionName"] == f"CodeDeployHook_security-assistant-{env}-pre-traffic"
    assert hook["Environment"]["Variables"]["TARGET_FUNCTION_ARN"] == {"Ref": "ApiFunction.Version"}
    assert "AutoPublishAlias" not in hook and "DeploymentPreference" not in hook
    by_sid = {s["Sid"]: s for s in _statements(functions(t)["PreTrafficHook"])}
    assert by_sid["ReportHookStatus"]["Action"] == [
        "codedeploy:PutLifecycleEventHookExecutionStatus"
    ]
    (arn,) = by_sid["ReportHookStatus"]["Resource"]
    assert "deploymentgroup:${ServerlessDeploymentApplication}/*" in arn["Fn::Sub"]
    assert by_sid["InvokeNewVersion"] == {
        "Sid": "InvokeNewVersion",
        "Effect": "Allow",
        "Action": ["lambda:InvokeFunction"],
        "Resource": [{"Ref": "ApiFunction.Version"}],
    }


def test_no_provisioned_concurrency_unless_configured(full):
    _, t = full
    for fn in functions(t).values():
        assert "ProvisionedConcurrencyConfig" not in fn["Properties"]
