"""Plain `cfn-lint` (through .cfnlintrc and stacks/lint/plugin) applies the project's rules."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from cfnlint.helpers import load_plugins

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "stacks" / "lint" / "rules"


def test_plugin_exposes_every_rule_once():
    ids = [rule.id for rule in load_plugins(str(ROOT / "stacks" / "lint" / "plugin"))]
    declared = set()
    for path in RULES.glob("[a-z]*.py"):
        declared |= set(re.findall(r'^\s+id = "(E9\d{3})"', path.read_text(), re.M))
    assert sorted(ids) == sorted(declared) and len(ids) == len(set(ids))


def test_cfnlintrc_appends_the_plugin():
    rc = yaml.safe_load((ROOT / ".cfnlintrc").read_text())
    assert rc["append_rules"] == ["stacks/lint/plugin"]


def test_plain_cfn_lint_reports_a_project_rule(tmp_path):
    bad = (ROOT / "infrastructure" / "prod" / "template.yaml").read_text()
    bad = bad.replace("BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED")
    (tmp_path / "t.yaml").write_text(bad)
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(
        [str(cfn_lint), str(tmp_path / "t.yaml")], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "E9002 table JobsTable has BillingMode PROVISIONED" in result.stdout
    clean = subprocess.run([str(cfn_lint)], cwd=ROOT, capture_output=True, text=True)
    assert clean.returncode == 0, clean.stdout
