"""The Linter passes the environment per template through cfn-lint's configuration."""

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
