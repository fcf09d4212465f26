from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._environment import EnvironmentRule
from stacks.lint.rules._refs import resources

STATEFUL_TYPES = (
    "AWS::S3::Bucket",
    "AWS::DynamoDB::Table",
    "AWS::Serverless::SimpleTable",
    "AWS::SQS::Queue",
)


class RetainStateful(EnvironmentRule, CloudFormationLintRule):
    """Where the environment says so (prod), data-holding resources are retained."""

    id = "E9041"
    shortdesc = "Stateful resources are retained in prod"
    description = (
        "In an environment whose config has retain_stateful (prod), buckets, tables and queues "
        "have DeletionPolicy: Retain and UpdateReplacePolicy: Retain."
    )
    tags = ["resources", "data", "security-assistant"]

    def match_environment(self, cfn, env):
        if env is None or not env.retain_stateful:
            return []
        matches = []
        for rid, res, _props in resources(cfn, *STATEFUL_TYPES):
            missing = [
                p for p in ("DeletionPolicy", "UpdateReplacePolicy") if res.get(p) != "Retain"
            ]
            if missing:
                matches.append(
                    RuleMatch(
                        ["Resources", rid],
                        f"{rid} holds data in {env.name} but lacks {' and '.join(missing)}: "
                        "Retain; a stack deletion or replacement would destroy it",
                    )
                )
        return matches
