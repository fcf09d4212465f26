from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks import names
from stacks.lint.rules._environment import EnvironmentRule


class NameFit(EnvironmentRule, CloudFormationLintRule):
    """Every name fits its type's limit; generated names are not truncated."""

    id = "E9042"
    shortdesc = "Names fit their type's limit, generated ones untruncated"
    description = (
        "A name the template sets is within its type's length limit (provider schemas), and "
        "a name CloudFormation generates (<stack>-<LogicalId>-<random>, SAM's <Function>Role "
        "included) fits without truncation, so the execution role's <stack>-* patterns match."
    )
    tags = ["resources", "naming", "security-assistant"]

    def match_environment(self, cfn, env):
        if env is None:
            return []
        return [
            RuleMatch(["Resources", lid], f"{lid}: {problem}")
            for lid, problem in names.problems(cfn.template, env.stack_name)
        ]
