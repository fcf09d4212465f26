"""The Linter passes the environment per template through cfn-lint's configuration, and
finds the same in two processes as in one."""

from pathlib import Path

import pytest

QUEUE = """\
AWSTemplateFormatVersion: '2010-09-09'
Metadata:
  SecurityAssistant:
    Environment: staging
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: security-assistant-staging-jobs
"""


def test_an_env_does_not_carry_over_to_the_next_template(linter):
    """No module global: each call's env reaches its own run only (cfn-lint reconfigures the
    rules at the start of every run)."""
    from cfnlint.decode.decode import decode_str

    names = linter.only("E9040")
    template, _ = decode_str(QUEUE)
    envs = ["prod", "staging", "prod", None, "dev"]
    counts = [len(names.lint_template(template, "t.yaml", env)) for env in envs]
    # staging's name: wrong for prod and dev, right for staging and for the metadata (staging).
    assert counts == [1, 0, 1, 0, 1]


def test_without_env_the_template_metadata_applies(linter):
    from cfnlint.decode.decode import decode_str

    template, _ = decode_str(QUEUE.replace("Environment: staging", "Environment: prod"))
    [finding] = linter.only("E9040").lint_template(template, "t.yaml")
    assert "security-assistant-prod-<what>" in finding.message


def two_forms_jobs(tmp_path):
    """A SAM template with a finding in both forms, a plain one, one cfn-lint cannot decode."""
    fixture = Path(__file__).resolve().parent / "fixtures" / "deployment.yaml"
    sam = tmp_path / "sam.yaml"
    sam.write_text(fixture.read_text().replace("- sqs:SendMessage\n", "- sqs:*\n"))
    plain = tmp_path / "plain.yaml"
    plain.write_text(QUEUE)
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources: [\n")
    return [(sam, None), (plain, "prod"), (broken, None)]


def test_two_processes_find_what_one_does(linter, tmp_path):
    """`stacks lint`'s split (SAM forms here, expanded forms in a forked child): the same
    findings in the same order as in one process."""
    one = linter.only("E9040", "E9050")
    jobs = two_forms_jobs(tmp_path)
    expected = one.lint_files(jobs)
    assert {f.rule for f in expected} == {"E9040", "E9050", "E0000"}
    assert any("[expanded form: WorkerRole]" in f.message for f in expected)
    assert one._lint_files_in_two(jobs) == expected


def test_a_failure_in_the_child_is_an_error_here(linter, tmp_path, monkeypatch):
    one = linter.only("E9050")

    def broken(*args):
        raise ValueError("a rule crashed")

    monkeypatch.setattr(one, "_lint_expanded", broken)
    with pytest.raises(RuntimeError, match="(?s)expanded forms failed.*a rule crashed"):
        one._lint_files_in_two(two_forms_jobs(tmp_path))
