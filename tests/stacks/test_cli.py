"""`python -m stacks`: what users type and what they get back."""

import importlib.util
import re
import shutil
import subprocess
import sys

import pytest

from stacks import cli, config, templates
from stacks.templates import ROOT, TARGETS


def main(capsys, *args) -> tuple[int, str, str]:
    """`python -m stacks ARGS` in this process (argparse's exits included)."""
    try:
        code = cli.main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A copy of the committed templates that the commands read and write instead."""
    for name, target in TARGETS.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "template.yaml").write_text(target.path.read_text())
    monkeypatch.setattr(templates, "INFRASTRUCTURE", tmp_path)
    return tmp_path


def test_check_passes_when_current(workspace, capsys):
    assert cli.main(["build", "--check"]) == 0
    assert f"all {len(TARGETS)} templates are current" in capsys.readouterr().err


def test_check_fails_with_a_diff_and_the_refresh_command_when_stale(workspace, capsys):
    path = workspace / "prod" / "template.yaml"
    path.write_text(path.read_text().replace("MemorySize: 512", "MemorySize: 1024", 1))
    before = path.read_text()
    assert cli.main(["build", "--check"]) == 1
    out, err = capsys.readouterr()
    assert "-      MemorySize: 1024\n+      MemorySize: 512\n" in out
    assert "prod/template.yaml is stale: run `python -m stacks build --env prod`" in err
    assert path.read_text() == before  # --check changes nothing


def test_check_reports_a_missing_template(workspace, capsys):
    (workspace / "staging" / "template.yaml").unlink()
    assert cli.main(["build", "--check", "--env", "staging"]) == 1
    assert "staging/template.yaml is stale" in capsys.readouterr().err


def test_build_writes_only_what_changed(workspace, capsys):
    path = workspace / "dev" / "template.yaml"
    path.write_text("stale")
    assert cli.main(["build"]) == 0
    err = capsys.readouterr().err
    assert "wrote dev/template.yaml" in err.replace(str(workspace) + "/", "")
    assert "unchanged" in err
    assert path.read_text() == TARGETS["dev"].render()


def test_out_writes_elsewhere_and_dash_is_stdout(tmp_path, capsys):
    out = tmp_path / "prod.yaml"
    assert main(capsys, "build", "--env", "prod", "--out", str(out))[0] == 0
    assert out.read_text() == TARGETS["prod"].path.read_text()
    code, stdout, _ = main(capsys, "build", "--env", "dev", "--out", "-")
    assert code == 0 and stdout == TARGETS["dev"].path.read_text()


def test_out_without_env_is_refused(capsys):
    code, _, err = main(capsys, "build", "--out", "x.yaml")
    assert code == 2 and "--out needs --env" in err
    code, _, err = main(capsys, "build", "--env", "prod", "--out", "x.yaml", "--check")
    assert code == 2 and "drop --out" in err


def test_unknown_environment_exits_2_naming_the_choices(capsys):
    code, _, err = main(capsys, "build", "--env", "qa")
    assert code == 2
    assert "invalid choice: 'qa'" in err and "'prod'" in err


def test_bad_option_exits_2(capsys):
    assert main(capsys, "build", "--frobnicate")[0] == 2
    assert main(capsys)[0] == 2


def test_help(capsys):
    code, out, _ = main(capsys, "--help")
    assert code == 0 and "build" in out and "envs" in out
    assert "--check" in main(capsys, "build", "--help")[1]


def test_envs_shows_environments_side_by_side(capsys):
    assert cli.main(["envs"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["dev", "staging", "prod"]
    deployment = next(line for line in lines if "deployment_type" in line)
    assert deployment.startswith("* ")  # marked as differing
    assert deployment.split()[2:] == [
        "AllAtOnce",
        "Canary10Percent5Minutes",
        "Canary10Percent5Minutes",
    ]


def test_a_command_whose_extra_is_missing_says_how_to_install_it():
    # None in sys.modules makes `import cfnlint` fail as if it were not installed
    code = (
        "import sys; sys.modules['cfnlint'] = None\nfrom stacks.cli import main; sys.exit(main())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "lint"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "needs cfnlint" in result.stderr and "pip install -e '.[lint]'" in result.stderr
    assert "Traceback" not in result.stderr


def edited_copy(tmp_path, old: str, new: str):
    """A copy of stacks/ and infrastructure/ with one edit of stacks/config.py."""
    shutil.copytree(
        ROOT / "stacks", tmp_path / "stacks", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "infrastructure", tmp_path / "infrastructure")
    config_py = tmp_path / "stacks" / "config.py"
    edited = config_py.read_text().replace(old, new, 1)
    assert edited != config_py.read_text()
    config_py.write_text(edited)
    return {p: p.read_bytes() for p in (tmp_path / "infrastructure").rglob("*") if p.is_file()}


def exec_edited_config(tmp_path, old: str, new: str) -> None:
    """Import stacks/config.py with one edit, in this process (as a module of its own)."""
    source = (ROOT / "stacks" / "config.py").read_text()
    edited = source.replace(old, new, 1)
    assert edited != source
    path = tmp_path / "edited_config.py"
    path.write_text(edited)
    spec = importlib.util.spec_from_file_location("edited_config", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('Expiry("reports/", 90)', 'Expiry("reports/", -1)', "reports/ days must be >= 1, got -1"),
        ('Expiry("inputs/", 3)', 'Expiry("inputs/", "3")', "days must be a whole number"),
        ("log_retention_days=14,", "log_retention=14,", "unknown field 'log_retention'"),
        ("worker_max_concurrency=20,", "worker_max_concurrency=20.5,", "a whole number"),
        ('name="staging",', 'name="prod",', "ENVIRONMENTS['staging'] is named 'prod'"),
    ],
)
def test_a_bad_config_edit_fails_as_the_config_loads(tmp_path, old, new, message):
    with pytest.raises(config.ConfigError, match=re.escape(message)):
        exec_edited_config(tmp_path, old, new)


def test_a_bad_config_edit_is_a_message_and_writes_no_template(tmp_path):
    """Smoke test through the entry point: staging renamed to prod changes no template."""
    before = edited_copy(tmp_path, 'name="staging",', 'name="prod",')
    result = subprocess.run(
        [sys.executable, "-m", "stacks", "build"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "ENVIRONMENTS['staging'] is named 'prod'" in result.stderr
    assert "fix it in stacks/config.py" in result.stderr and "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in (tmp_path / "infrastructure").rglob("*") if p.is_file()}
    assert after == before


def test_build_writes_every_template_or_none(workspace, monkeypatch):
    def broken():
        raise ValueError("a template that cannot be made")

    before = {p: p.read_bytes() for p in workspace.rglob("*.yaml")}
    for p in before:
        p.write_text("old\n")
    monkeypatch.setitem(TARGETS, "bootstrap", templates.Target("bootstrap", broken))
    with pytest.raises(ValueError, match="cannot be made"):
        cli.main(["build"])
    assert all(p.read_text() == "old\n" for p in before)  # not even dev, built first
    assert not list(workspace.rglob(".*.partial"))
