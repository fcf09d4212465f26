"""`python -m stacks lint`: exit codes, output format, --env and --template."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def template_text(env: str) -> str:
    return (ROOT / "infrastructure" / env / "template.yaml").read_text()


LINE = re.compile(r"^[^:\s]+:\d+: [EWI]\d{4} .+$")


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "stacks", "lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
    )


def test_committed_templates_are_clean():
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_stale_hand_edited_template_fails_with_file_line_rule(tmp_path):
    bad = template_text("prod").replace("BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED")
    path = tmp_path / "template.yaml"
    path.write_text(bad)
    result = run("--template", str(path), "--env", "prod")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(LINE.match(line) for line in lines), lines
    expected = bad.splitlines().index("      BillingMode: PROVISIONED") + 1
    assert any(f":{expected}: E9002 " in line for line in lines)


def test_missing_file_and_unknown_env_exit_2(tmp_path):
    missing = run("--template", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2 and "no such template file" in missing.stderr
    unknown = run("--env", "qa")
    assert unknown.returncode == 2 and "unknown environment 'qa'" in unknown.stderr


def test_one_environment():
    result = run("--env", "dev")
    assert result.returncode == 0
    assert "1 template(s)" in result.stderr


def test_speedups_do_not_change_findings(tmp_path):
    """The caches in stacks/lint/_speedups.py return what cfn-lint computes without them."""
    code = (
        "import sys; from pathlib import Path; from stacks.lint.runner import Linter\n"
        "L = Linter(speedups=sys.argv[1] == '1')\n"
        "for f in L.lint_file(Path(sys.argv[2]), 'staging'): print(f)\n"
    )
    bad = template_text("staging").replace("MemorySize: 512", "MemorySize: 1", 1)
    bad = bad.replace("Timeout: 10", "Timeout: 'ten'", 1)
    path = tmp_path / "t.yaml"
    path.write_text(bad)
    outs = [
        subprocess.run(
            [sys.executable, "-c", code, flag, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for flag in ("0", "1")
    ]
    assert outs[0] == outs[1]
    assert "E30" in outs[0]  # cfn-lint's own schema rules fired


def test_forked_workers_and_early_expansion_do_not_change_findings(tmp_path):
    """Linting on every core, with templates expanded ahead, finds what one process finds."""
    code = (
        "import sys; from pathlib import Path; from stacks.lint.runner import Linter\n"
        "jobs = [(Path(p), 'staging') for p in sys.argv[1:]]\n"
        "L = Linter(expand_ahead=[p for p, _ in jobs])\n"
        "print(len(L._ahead), file=sys.stderr)\n"
        "for f in L.lint_files(jobs): print(f)\n"
    )
    bad = template_text("staging").replace("MemorySize: 512", "MemorySize: 1", 1)
    paths = []
    for i, text in enumerate((bad, bad.replace("maxReceiveCount: 3", "maxReceiveCount: 0"))):
        paths.append(tmp_path / f"t{i}.yaml")
        paths[-1].write_text(text)
    runs = {}
    for workers in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-c", code, *map(str, paths)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "STACKS_LINT_WORKERS": workers},
        )
        runs[workers] = result
    assert runs["1"].stderr.strip() == "0"  # sequential: nothing expanded ahead
    assert runs["2"].stdout == runs["1"].stdout
    assert "t0.yaml" in runs["1"].stdout and "t1.yaml" in runs["1"].stdout
