from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._environment import EnvironmentRule
from stacks.lint.rules._refs import resources


class ProvisionedConcurrency(EnvironmentRule, CloudFormationLintRule):
    """No provisioned concurrency unless the environment's config opts in."""

    id = "E9003"
    shortdesc = "No provisioned concurrency unless configured"
    description = (
        "Provisioned concurrency bills by the hour; it is allowed only when the environment's "
        "EnvConfig.provisioned_concurrency in stacks/config.py is above 0."
    )
    tags = ["resources", "lambda", "cost", "security-assistant"]

    def match_environment(self, cfn, env):
        if env is not None and env.provisioned_concurrency > 0:
            return []
        where = f"environment {env.name}" if env else "this template (no known environment)"
        places = [
            (["Globals", "Function"], (cfn.template.get("Globals") or {}).get("Function") or {})
        ]
        for rid, _res, props in resources(
            cfn, "AWS::Serverless::Function", "AWS::Lambda::Alias", "AWS::Lambda::Version"
        ):
            places.append((["Resources", rid, "Properties"], props))
        matches = []
        for path, props in places:
            if isinstance(props, dict) and props.get("ProvisionedConcurrencyConfig"):
                matches.append(
                    RuleMatch(
                        [*path, "ProvisionedConcurrencyConfig"],
                        f"provisioned concurrency is not allowed in {where}; remove "
                        "ProvisionedConcurrencyConfig or set provisioned_concurrency > 0 in "
                        "the environment's config (stacks/config.py)",
                    )
                )
        return matches
