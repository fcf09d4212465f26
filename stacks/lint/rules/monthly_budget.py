from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._environment import EnvironmentRule
from stacks.lint.rules._refs import resources


class MonthlyBudget(EnvironmentRule, CloudFormationLintRule):
    """Every environment carries an AWS Budget at the monthly figure of its config."""

    id = "E9080"
    shortdesc = "Every environment has its monthly budget"
    description = (
        "Each environment's template has one AWS::Budgets::Budget, a monthly COST budget in "
        "USD whose amount equals monthly_budget_usd in stacks/config.py."
    )
    tags = ["resources", "cost", "security-assistant"]

    def match_environment(self, cfn, env):
        if env is None:
            return []
        found = list(resources(cfn, "AWS::Budgets::Budget"))
        if not found:
            return [
                RuleMatch(
                    ["Resources"],
                    f"{env.name} has no AWS::Budgets::Budget; add one at "
                    f"${env.monthly_budget_usd:g} a month (stacks/service/budget.py)",
                )
            ]
        matches = []
        for rid, _res, props in found:
            data = props.get("Budget") if isinstance(props.get("Budget"), dict) else {}
            limit = data.get("BudgetLimit") if isinstance(data.get("BudgetLimit"), dict) else {}
            amount = limit.get("Amount")
            try:
                same = float(amount) == env.monthly_budget_usd and limit.get("Unit") == "USD"
            except (TypeError, ValueError):
                same = False
            if not same or data.get("TimeUnit") != "MONTHLY" or data.get("BudgetType") != "COST":
                matches.append(
                    RuleMatch(
                        ["Resources", rid, "Properties", "Budget"],
                        f"{rid} must be a MONTHLY COST budget of {env.monthly_budget_usd:g} USD "
                        f"(monthly_budget_usd of {env.name} in stacks/config.py), got "
                        f"{data.get('TimeUnit')} {data.get('BudgetType')} {amount} "
                        f"{limit.get('Unit')}",
                    )
                )
        return matches
