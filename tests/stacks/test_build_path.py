"""The build path stays light: it imports none of the heavy libraries the other commands use."""

import subprocess
import sys

from stacks.templates import ROOT

HEAVY = {"boto3", "botocore", "cfnlint", "samtranslator", "jinja2", "moto", "aws_lambda_powertools"}

PROBE = """
import sys
from stacks.cli import main
main(["build", "--check"])
print(sorted({m.split(".")[0] for m in sys.modules} & %r))
"""


def test_build_imports_nothing_heavy():
    result = subprocess.run(
        [sys.executable, "-c", PROBE % HEAVY], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
