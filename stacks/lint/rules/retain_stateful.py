from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks import aws_facts
from stacks.lint.rules._environment import EnvironmentRule
from stacks.lint.rules._refs import resources


class RetainStateful(EnvironmentRule, CloudFormationLintRule):
    """Where the environment says so (prod), data-holding resources are retained."""

    id = "E9041"
    shortdesc = "Stateful resources are retained in prod"
    description = (
        "In an environment whose config has retain_stateful (prod), the stateful types of "
        "cfn-lint's list (buckets, tables, queues, log groups...) have DeletionPolicy: Retain "
        "(or RetainExceptOnCreate) and UpdateReplacePolicy: Retain."
    )
    tags = ["resources", "data", "security-assistant"]

    def match_environment(self, cfn, env):
        if env is None or not env.retain_stateful:
            return []
        matches = []
        for rid, res, _props in resources(cfn, *sorted(aws_facts.stateful_types())):
            missing = [
                p
                for p, kept in (
                    ("DeletionPolicy", ("Retain", "RetainExceptOnCreate")),
                    ("UpdateReplacePolicy", ("Retain",)),
                )
                if res.get(p) not in kept
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
