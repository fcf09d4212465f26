"""`python -m stacks diff`: exit codes (0 equal, 1 different, 2 bad input) and sources."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from stacks.cli import main
from stacks.diff import sources
from stacks.templates import INFRASTRUCTURE, ROOT, TARGETS

# They expand templates: on the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")

FIXTURES = Path(__file__).parent / "fixtures"
OLD = FIXTURES / "bucket_renamed" / "old.yaml"
NEW = FIXTURES / "bucket_renamed" / "new.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["diff", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_equal_files_exit_0(capsys):
    code, out, _ = run(capsys, str(OLD), str(OLD))
    assert code == 0 and "no changes" in out


def test_different_files_exit_1(capsys):
    code, out, _ = run(capsys, str(OLD), str(NEW))
    assert code == 1
    assert "REPLACEMENT: DataBucket" in out
    assert "\033[" not in out  # captured output is no terminal: no colour


def test_markdown_format(capsys):
    code, out, _ = run(capsys, str(OLD), str(NEW), "--format", "markdown")
    assert code == 1 and out.startswith("## Template changes")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["missing.yaml", str(NEW)], "missing.yaml: no such file"),
        ([str(OLD)], "give two files"),
        ([str(OLD), str(NEW), "--env", "prod"], "cannot be combined"),
        (["--env", "qa"], "unknown environment 'qa'"),
        (["--base", "no-such-ref-xyz", "--env", "prod"], "not a git revision"),
        (["--base=--upload-pack=x", "--env", "prod"], "not a git revision"),
    ],
)
def test_bad_input_exits_2_with_a_message(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and message in err


@pytest.mark.parametrize(
    "content, message",
    [("- just\n- a list\n", "not a CloudFormation template"), ("a: [\n", "not YAML or JSON")],
)
def test_not_a_template_exits_2(capsys, tmp_path, content, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content)
    code, _, err = run(capsys, str(bad), str(NEW))
    assert code == 2 and message in err


def test_env_compares_committed_with_generated(capsys):
    code, out, _ = run(capsys, "--env", "prod")
    stale = TARGETS["prod"].path.read_text() != TARGETS["prod"].render()
    assert code == int(stale)
    assert "infrastructure/prod/template.yaml (committed)" in out
    assert "python -m stacks build --env prod` (generated)" in out


def test_all_envs_without_env(capsys):
    code, out, _ = run(capsys, "--format", "markdown")
    assert code in (0, 1)
    for env in TARGETS:
        assert f"\n### {env}\n" in out


def test_base_head_compares_the_committed_file_at_head(capsys):
    code, out, _ = run(capsys, "--base", "HEAD", "--env", "staging")
    assert "infrastructure/staging/template.yaml at HEAD ->" in out
    committed_at_head = subprocess.run(
        ["git", "show", "HEAD:infrastructure/staging/template.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    now = (INFRASTRUCTURE / "staging/template.yaml").read_text()
    # A semantic diff: a reformatted but equal template is no change.
    assert code == int(sources.parse(committed_at_head, "head") != sources.parse(now, "now"))


def test_template_absent_at_the_base_is_all_added(monkeypatch):
    real = sources._git

    def git(*args):
        if args[0] == "show":  # as if the file did not exist at that revision
            return subprocess.CompletedProcess(args, 128, "", "fatal: path does not exist")
        return real(*args)

    monkeypatch.setattr(sources, "_git", git)
    side = sources.at_revision("HEAD", "bootstrap")
    assert side.template == {"Resources": {}} and side.note == "absent at HEAD"


# --- --deployed, against CloudFormation's GetTemplate -----------------------------------------
# botocore's Stubber checks each request and each canned answer against CloudFormation's API
# model and runs botocore's own response handlers (it hands JSON template bodies back decoded),
# with no HTTP round trip. moto's CloudFormation would add a stack store whose import costs
# about 3 s (it loads every moto backend) to answer the one call this path makes.

DEV_STACK = {"StackName": "security-assistant-dev", "TemplateStage": "Original"}


@pytest.fixture
def cloudformation(monkeypatch):
    """The Stubber of the CloudFormation client `stacks diff --deployed` gets from boto3."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(
        "cloudformation",
        region_name="eu-west-2",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )

    def client_for(service, region_name):
        assert (service, region_name) == ("cloudformation", "eu-west-2")
        return client

    monkeypatch.setattr(boto3, "client", client_for)
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()  # the command read the stack


def answer(stubber, body: str, params=DEV_STACK) -> None:
    stubber.add_response("get_template", {"TemplateBody": body}, params)


def test_deployed_stack_equal_to_committed_exits_0(cloudformation, capsys):
    answer(cloudformation, (INFRASTRUCTURE / "dev" / "template.yaml").read_text())
    code, out, _ = run(capsys, "--deployed", "--env", "dev")
    assert "stack security-assistant-dev (deployed) -> infrastructure/dev/template.yaml" in out
    assert code == 0, out


def test_a_stack_deployed_as_json_is_read_too(cloudformation, capsys):
    # botocore decodes a JSON body itself: the command gets a mapping, not text.
    committed = sources.parse((INFRASTRUCTURE / "dev" / "template.yaml").read_text(), "dev")
    answer(cloudformation, json.dumps(committed))
    code, out, _ = run(capsys, "--deployed", "--env", "dev")
    assert code == 0, out


def test_deployed_stack_that_differs_exits_1(cloudformation, capsys):
    old = (
        "Resources:\n  JobsTable:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
        "      TableName: security-assistant-dev-jobs-old\n      BillingMode: PAY_PER_REQUEST\n"
        "      AttributeDefinitions:\n        - {AttributeName: job_id, AttributeType: S}\n"
        "      KeySchema:\n        - {AttributeName: job_id, KeyType: HASH}\n"
    )
    answer(cloudformation, old)
    code, out, _ = run(capsys, "--deployed", "--env", "dev")
    assert code == 1
    assert "REPLACEMENT: JobsTable" in out and "+ Resources.DataBucket" in out


@pytest.mark.parametrize(
    ("code", "message", "said"),
    [
        # CloudFormation's answer for a stack name it does not know
        (
            "ValidationError",
            "Stack with id security-assistant-staging does not exist",
            "stack security-assistant-staging does not exist in eu-west-2",
        ),
        (
            "AccessDenied",
            "User: x is not authorized to perform: cloudformation:GetTemplate",
            "cannot read stack security-assistant-staging: User: x is not authorized",
        ),
    ],
)
def test_a_stack_that_cannot_be_read_exits_2(cloudformation, capsys, code, message, said):
    params = {**DEV_STACK, "StackName": "security-assistant-staging"}
    cloudformation.add_client_error("get_template", code, message, 400, expected_params=params)
    exit_code, _, err = run(capsys, "--deployed", "--env", "staging")
    assert exit_code == 2 and said in err, err


def test_packaged_code_locations_are_not_changes():
    deployed = {
        "Resources": {
            "F": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": "s3://b/k", "MemorySize": 1},
            }
        }
    }
    local = {
        "Resources": {
            "F": {
                "Type": "AWS::Serverless::Function",
                "Properties": {"CodeUri": "../../lambdas", "MemorySize": 2},
            }
        }
    }
    merged = sources.ignore_artifact_locations(deployed, local)
    assert merged["Resources"]["F"]["Properties"] == {"CodeUri": "s3://b/k", "MemorySize": 2}


def test_the_command_module_imports_nothing_heavy():
    code = (
        "import sys, stacks.cli; stacks.cli.parser(); "
        "heavy = {'jinja2', 'boto3', 'botocore', 'cfnlint'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    import sys

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
