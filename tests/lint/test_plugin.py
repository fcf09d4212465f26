"""Plain `cfn-lint` (through .cfnlintrc and stacks/lint/plugin) applies the project's rules,
configured the cfn-lint way (`--configure-rule E9040:env=prod`): one real process."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "stacks" / "lint" / "plugin"
RULES = ROOT / "stacks" / "lint" / "rules"

BAD = """\
AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  SecurityAssistant:
    Environment: staging
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: security-assistant-staging-jobs
      SqsManagedSseEnabled: false
"""


@pytest.mark.xdist_group("cfn")  # the worker that imports cfn-lint anyway
def test_plugin_exposes_every_rule_once():
    from cfnlint.helpers import load_plugins

    ids = [rule.id for rule in load_plugins(str(PLUGIN))]
    declared = set()
    for path in RULES.glob("[a-z]*.py"):
        declared |= set(re.findall(r'^\s+id = "(E9\d{3})"', path.read_text(), re.M))
    assert sorted(ids) == sorted(declared) and len(ids) == len(set(ids))


def test_cfnlintrc_appends_the_plugin():
    rc = yaml.safe_load((ROOT / ".cfnlintrc").read_text())
    assert rc["append_rules"] == ["stacks/lint/plugin"]
    assert rc["templates"] == ["infrastructure/*/template.yaml"]  # what the shared lint covers


def test_smoke_plain_cfn_lint_where_the_repository_is_not_installed(tmp_path):
    """One real process: cfn-lint's entry point in the repository root, so that it reads
    .cfnlintrc (which appends the plugin), with the editable install and the working
    directory hidden from imports, as in the SAM CLI's Python (`sam validate --lint`); the
    environment configured the cfn-lint way."""
    (tmp_path / "t.yaml").write_text(BAD)
    hide = (
        "import os, sys; sys.path[:] = [p for p in sys.path if p not in ('', os.getcwd())]\n"
        "sys.meta_path[:] = [f for f in sys.meta_path "
        "if 'editable' not in getattr(f, '__module__', '') and 'editable' not in repr(f)]\n"
        "from cfnlint.runner import main; sys.exit(main())"
    )
    args = ["--format", "parseable", "--configure-rule", "E9040:env=prod"]
    result = subprocess.run(
        [sys.executable, "-c", hide, *args, "--", str(tmp_path / "t.yaml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0, result.stderr
    # file:line:column:end line:end column:rule:message
    rows = [line.split(":") for line in result.stdout.splitlines()]
    found = {(row[1], row[5]) for row in rows}
    assert ("10", "E9061") in found, result.stdout  # a keyword rule, at SqsManagedSseEnabled
    assert ("9", "E9040") in found, result.stdout  # named for staging, configured as prod
    assert "call it security-assistant-prod-<what>" in result.stdout
