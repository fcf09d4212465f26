"""Plain `cfn-lint` (through .cfnlintrc and stacks/lint/plugin) applies the project's rules,
configured the cfn-lint way (`--configure-rule E9040:env=prod`)."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from cfnlint.helpers import load_plugins

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


def test_plugin_exposes_every_rule_once():
    ids = [rule.id for rule in load_plugins(str(PLUGIN))]
    declared = set()
    for path in RULES.glob("[a-z]*.py"):
        declared |= set(re.findall(r'^\s+id = "(E9\d{3})"', path.read_text(), re.M))
    assert sorted(ids) == sorted(declared) and len(ids) == len(set(ids))


def test_cfnlintrc_appends_the_plugin():
    rc = yaml.safe_load((ROOT / ".cfnlintrc").read_text())
    assert rc["append_rules"] == ["stacks/lint/plugin"]
    assert rc["templates"] == ["infrastructure/*/template.yaml"]  # what the shared lint covers


def test_cfnlintrc_and_configure_rule_reach_the_project_rules(tmp_path, monkeypatch):
    """cfn-lint's own runner, configured from the command line and .cfnlintrc, in-process."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner.cli import Runner

    (tmp_path / "t.yaml").write_text(BAD)
    monkeypatch.chdir(ROOT)  # where .cfnlintrc is
    args = ["--configure-rule", "E9040:env=prod", "--", str(tmp_path / "t.yaml")]
    found = {(m.rule.id, m.linenumber) for m in Runner(ConfigMixIn(args)).run()}
    assert ("E9061", 10) in found  # a keyword rule, at SqsManagedSseEnabled: false
    assert ("E9040", 9) in found  # named for staging, configured as prod


def test_smoke_plain_cfn_lint_where_the_repository_is_not_installed(tmp_path):
    """One real process: cfn-lint's entry point with the editable install hidden and the
    working directory elsewhere, as in the SAM CLI's Python (`sam validate --lint`)."""
    (tmp_path / "t.yaml").write_text(BAD)
    hide = (
        "import sys; sys.meta_path[:] = [f for f in sys.meta_path "
        "if 'editable' not in getattr(f, '__module__', '') and 'editable' not in repr(f)]\n"
        "from cfnlint.runner import main; sys.exit(main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", hide, "--append-rules", str(PLUGIN), "--", "t.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0, result.stderr
    assert "E9061 queue Queue is not encrypted at rest" in result.stdout, result.stdout
