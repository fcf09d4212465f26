"""The GitHub Actions workflows: valid, wired together, and the design document's promotion."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from stacks import bootstrap, config
from stacks.templates import INFRASTRUCTURE, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
DEPLOYS = {"staging": "develop", "prod": "main"}  # environment -> the branch that deploys it


def load(name: str) -> dict:
    # libyaml's safe loader (PyYAML's wheels bundle it; the build needs it anyway): these
    # tests read the workflows about thirty times, which PyYAML's pure-Python one made 0.4 s.
    return yaml.load((WORKFLOWS / name).read_text(), Loader=yaml.CSafeLoader)


def triggers(workflow: dict) -> dict:
    return workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> list[str]:
    return [" ".join(s["run"].split()) for s in steps(job) if "run" in s]


def uses(job: dict, action: str) -> list[dict]:
    return [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]


def index_of(job: dict, pattern: str) -> int:
    for i, s in enumerate(steps(job)):
        if re.search(pattern, " ".join(str(s.get("run", "")).split())):
            return i
    raise AssertionError(f"no step runs {pattern!r}")


def test_both_workflows_exist():
    assert {f.name for f in FILES} >= {"ci.yml", "deploy.yml"}


def test_workflows_are_valid_against_githubs_schema():
    exe = Path(sys.executable).with_name("check-jsonschema")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "check_jsonschema"]
    result = subprocess.run(
        [*cmd, "--builtin-schema", "vendor.github-workflows", *map(str, FILES)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_needs_names_an_earlier_job(path):
    jobs = load(path.name)["jobs"]
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in jobs, f"{path.name}: job {name} needs unknown job {need}"
            assert need != name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_permissions_are_least_privilege(path):
    workflow = load(path.name)
    assert workflow["permissions"] == {"contents": "read"}, "read-only default for every job"
    for name, job in workflow["jobs"].items():
        perms = job.get("permissions", {})
        assert isinstance(perms, dict), f"{name}: permissions must list scopes, not {perms!r}"
        writes = {scope for scope, level in perms.items() if level == "write"}
        allowed = {
            "template-diff": {"pull-requests"},
            "staging": {"id-token"},
            "prod": {"id-token"},
        }
        assert writes <= allowed.get(name, set()), f"{path.name}: {name} may write {writes}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version_or_sha(path):
    pinned = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+|[0-9a-f]{40})$")
    for job in load(path.name)["jobs"].values():
        for step in steps(job):
            if "uses" in step:
                assert pinned.match(step["uses"]), step["uses"]


def test_no_long_lived_aws_keys_anywhere():
    for path in FILES:
        text = path.read_text()
        assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text


# --- ci.yml ------------------------------------------------------------------------------


def test_ci_runs_on_pull_requests_and_pushes():
    on = triggers(load("ci.yml"))
    assert "pull_request" in on and "push" in on


def test_ci_and_deploy_run_the_same_reusable_checks():
    assert set(triggers(load("checks.yml"))) == {"workflow_call"}
    assert load("ci.yml")["jobs"]["checks"]["uses"] == "./.github/workflows/checks.yml"
    deploy = load("deploy.yml")["jobs"]
    assert deploy["checks"]["uses"] == "./.github/workflows/checks.yml"
    for env in DEPLOYS:
        assert deploy[env]["needs"] == "checks", f"{env} must not deploy an unchecked commit"


# Where each check runs inside `pytest` (checks.yml runs it once there, not again as a step).
CHECKS_IN_PYTEST = {
    "ruff": "tests/test_code_style.py",
    "stacks build --check": "tests/stacks/test_snapshots.py",
    "stacks lint": "tests/lint/test_command.py",
    "stacks drill": "tests/drill/test_drill.py",
}


def test_checks_run_every_test_once():
    jobs = load("checks.yml")["jobs"]
    commands = runs(jobs["test"])
    assert commands == ["python -m pip install -e '.[test]'", "python -m pytest"]
    slow = 'python -m pytest -m "slow or hypothesis" --hypothesis-profile=thorough'
    # Mermaid's parser (Node) for the slow test that runs it on every diagram
    assert runs(jobs["slow"])[-2:] == ["npm ci --prefix tools/mermaid --no-audit --no-fund", slow]
    # the checks that used to be steps of their own are tests now, run once by pytest
    for check, test_file in CHECKS_IN_PYTEST.items():
        assert (ROOT / test_file).is_file(), check
        assert not any(check in command for command in commands), check


def test_default_pytest_deselects_only_the_slow_tests():
    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "-m 'not slow'" in options["addopts"]
    assert any(m.startswith("slow:") for m in options["markers"])


def test_checks_security_job_runs_tox_security():
    assert "tox -e security" in runs(load("checks.yml")["jobs"]["security"])


def test_pr_comment_job_diffs_against_the_base_and_updates_one_comment():
    job = load("ci.yml")["jobs"]["template-diff"]
    assert "pull_request" in job["if"]
    assert job["permissions"] == {"contents": "read", "pull-requests": "write"}
    (checkout,) = uses(job, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    assert any("python -m stacks diff --base" in c and "--format markdown" in c for c in runs(job))
    (script,) = uses(job, "actions/github-script")
    code = script["with"]["script"]
    assert "<!-- stacks-diff -->" in code
    assert "updateComment" in code and "createComment" in code  # find-and-update, not duplicate


# --- deploy.yml: the promotion flow -------------------------------------------------------


def test_deploys_run_on_pushes_to_develop_and_main_only():
    on = triggers(load("deploy.yml"))
    assert set(on) == {"push"}
    assert sorted(on["push"]["branches"]) == sorted(DEPLOYS.values())


@pytest.mark.parametrize("env,branch", DEPLOYS.items())
def test_each_branch_deploys_its_environment(env, branch):
    job = load("deploy.yml")["jobs"][env]
    assert job["if"] == f"github.ref == 'refs/heads/{branch}'"
    environment = job["environment"]
    assert (environment["name"] if isinstance(environment, dict) else environment) == env
    assert job["concurrency"] == {"group": f"deploy-{env}", "cancel-in-progress": False}
    assert job["permissions"] == {"id-token": "write", "contents": "read"}


@pytest.mark.parametrize("env", DEPLOYS)
def test_deploy_assumes_the_env_role_by_oidc(env):
    job = load("deploy.yml")["jobs"][env]
    (creds,) = uses(job, "aws-actions/configure-aws-credentials")
    assert creds["with"]["role-to-assume"] == f"${{{{ vars.AWS_DEPLOY_ROLE_{env.upper()} }}}}"
    assert creds["with"]["aws-region"] == config.REGION
    assert uses(job, "aws-actions/setup-sam")


@pytest.mark.parametrize("env", DEPLOYS)
def test_deploy_checks_the_template_then_builds_and_deploys_it(env):
    job = load("deploy.yml")["jobs"][env]
    check = index_of(job, rf"^python -m stacks build --check --env {env}$")
    build = index_of(job, rf"^sam build --config-env {env}$")
    deploy = index_of(
        job,
        rf"^sam deploy --config-env {env} --no-confirm-changeset --no-fail-on-empty-changeset$",
    )
    assert check < build < deploy
    for i in (build, deploy):
        assert steps(job)[i]["working-directory"] == "infrastructure"
    samconfig = tomllib.loads((INFRASTRUCTURE / "samconfig.toml").read_text())
    assert env in samconfig, f"sam --config-env {env} has no samconfig.toml section"


def test_staging_runs_integration_tests_against_its_api_after_deploying():
    job = load("deploy.yml")["jobs"]["staging"]
    deploy = index_of(job, r"^sam deploy")
    outputs = index_of(job, r"describe-stacks --stack-name security-assistant-staging")
    tests = index_of(job, r"^python -m pytest -m integration$")
    assert deploy < outputs < tests
    assert "ApiUrl" in steps(job)[outputs]["run"]
    assert "API_URL" in steps(job)[tests]["env"]


def test_prod_smoke_checks_health_after_deploying():
    job = load("deploy.yml")["jobs"]["prod"]
    assert index_of(job, r"^sam deploy") < index_of(job, r"curl --fail .*health")


def test_prod_role_trusts_exactly_the_environment_of_the_prod_job():
    """Required reviewers live on the `prod` environment; the role only trusts that env."""
    template = bootstrap.bootstrap_template().to_dict()
    prod_role = template["Resources"]["ProdDeployRole"]["Properties"]
    claims = prod_role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
    sub = claims["token.actions.githubusercontent.com:sub"]["Fn::Sub"]
    environment = load("deploy.yml")["jobs"]["prod"]["environment"]["name"]
    assert sub.endswith(f":environment:{environment}")


@pytest.mark.parametrize("env", DEPLOYS)
def test_a_failed_first_create_is_deleted_only_in_rollback_complete(env):
    job = load("deploy.yml")["jobs"][env]
    clear = index_of(job, r"delete-stack")
    deploy = index_of(job, rf"^sam deploy --config-env {env} ")
    creds = steps(job).index(uses(job, "aws-actions/configure-aws-credentials")[0])
    assert creds < clear < deploy
    step = steps(job)[clear]
    assert step["env"]["STACK"] == f"security-assistant-{env}"
    script = step["run"]
    # the status is read first, and the delete runs only under the ROLLBACK_COMPLETE test
    test = script.index("= ROLLBACK_COMPLETE ]; then")
    assert script.index("StackStatus") < test < script.index("delete-stack") < script.rindex("\nfi")
    assert "stack-delete-complete" in script
