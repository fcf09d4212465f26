"""`python -m stacks lint`: exit codes, output format, --env and --template.

In-process through `stacks.cli.main` with the session's loaded Linter; one subprocess smoke
test runs the real command line.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from stacks.cli import main
from stacks.templates import TARGETS

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^[^:\s]+:\d+: [EWI]\d{4} .+$")

# A hand-edited template: staging names, provisioned billing.
STALE = """\
AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  SecurityAssistant:
    Environment: staging
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: security-assistant-staging-jobs
      BillingMode: PROVISIONED
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      ProvisionedThroughput: {ReadCapacityUnits: 1, WriteCapacityUnits: 1}
      SSESpecification: {SSEEnabled: true}
"""


@pytest.fixture
def lint_cli(linter, monkeypatch, capsys):
    """lint_cli(*args) -> (exit code, stdout, stderr) of `python -m stacks lint`, in-process
    with the session's Linter (loading cfn-lint is what a subprocess would pay for)."""
    import stacks.lint.runner

    monkeypatch.setattr(stacks.lint.runner, "Linter", lambda **options: linter)

    def run(*args):
        code = main(["lint", *map(str, args)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_committed_templates_are_clean(committed_findings):
    """The session's one lint of every committed template, with every rule."""
    assert committed_findings == []


def test_stale_hand_edited_template_fails_with_file_line_rule(lint_cli, tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(STALE)
    code, out, _ = lint_cli("--template", path)
    assert code == 1
    lines = out.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    assert any(f":{10}: E9002 table Table" in line for line in lines), lines
    assert not any(" E9040 " in line for line in lines)  # its own environment's names


def test_env_reaches_the_rules_through_their_configuration(lint_cli, tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(STALE)
    code, out, _ = lint_cli("--template", path, "--env", "prod")
    assert code == 1
    assert ":9: E9040 Table's TableName 'security-assistant-staging-jobs'" in out


def test_missing_file_and_unknown_env_exit_2(lint_cli, tmp_path):
    code, _, err = lint_cli("--template", tmp_path / "nope.yaml")
    assert code == 2 and "no such template file" in err
    code, _, err = lint_cli("--env", "qa")
    assert code == 2 and "unknown environment 'qa'" in err


def test_one_environment(lint_cli, linter, committed_by_path, monkeypatch):
    """--env picks that environment's template; a copy of the session's Linter answers for a
    committed file with its share of the shared lint (the same call, made once)."""
    import copy

    import stacks.lint.runner

    lint_file, asked = linter.lint_file, []

    def shared(path, env=None, shown=None):
        asked.append(path)
        if env is None and shown is None and path in committed_by_path:
            return committed_by_path[path]
        return lint_file(path, env, shown)

    view = copy.copy(linter)
    view.lint_file = shared
    monkeypatch.setattr(stacks.lint.runner, "Linter", lambda **options: view)
    code, out, err = lint_cli("--env", "dev")
    assert (code, out) == (0, "")
    assert "0 finding(s) in 1 template(s)" in err
    assert asked == [TARGETS["dev"].path]


def test_smoke_the_command_line(tmp_path):
    """One real process: module entry point, exit code and output of `python -m stacks lint`."""
    path = tmp_path / "template.yaml"
    path.write_text(STALE)
    result = subprocess.run(
        [sys.executable, "-m", "stacks", "lint", "--template", str(path), "--env", "prod"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    assert re.search(r"template\.yaml:10: E9002 ", result.stdout)
    assert re.search(r"template\.yaml:9: E9040 ", result.stdout)
    assert "finding(s) in 1 template(s)" in result.stderr


def test_a_template_the_sam_translator_rejects_is_a_finding(linter):
    from cfnlint.decode.decode import decode_str

    template, _ = decode_str(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Function:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.12\n"
        "      Handler: app.handler\n"
        "      InlineCode: pass\n"
        "      Events:\n"
        "        Jobs: {Type: SQS, Properties: {}}\n"
    )
    found = linter.only("E9001").lint_template(template, "t.yaml")
    [failure] = [f for f in found if f.rule == "E0001"]
    assert failure.line == 1 and "SAM expansion failed" in failure.message
    assert "Queue" in failure.message  # the translator's reason
