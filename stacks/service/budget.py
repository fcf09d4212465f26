"""The environment's monthly AWS Budget, and the topic policy that lets Budgets notify.

The budget counts only this environment's costs: those tagged `environment=<env>`, the tag
`sam deploy` puts on the stack (samconfig.toml) and CloudFormation copies onto its resources.
It must be activated once as a cost-allocation tag (see the README's Cost section).
Notification-only budgets are free (Price List usage type BudgetsUsage: $0.00 per budget-day);
only budgets with actions are billed, so this one has none.
"""

from troposphere import Ref, Template, budgets, sns

from stacks.config import EnvConfig

# The stack tag set by samconfig.toml, as Cost Explorer names an activated user tag.
COST_TAG_KEY = "environment"
FORECAST_PERCENT = 100  # forecast to exceed the budget by the month's end
ACTUAL_PERCENT = 80  # already spent 80 % of it


def cost_filter(cfg: EnvConfig) -> str:
    return f"user:{COST_TAG_KEY}${cfg.name}"


def _notification(
    kind: str, percent: int, subscribers: list
) -> budgets.NotificationWithSubscribers:
    return budgets.NotificationWithSubscribers(
        Notification=budgets.Notification(
            NotificationType=kind,
            ComparisonOperator="GREATER_THAN",
            Threshold=percent,
            ThresholdType="PERCENTAGE",
        ),
        Subscribers=subscribers,
    )


def monthly_budget(t: Template, cfg: EnvConfig, topic: sns.Topic) -> budgets.Budget:
    t.add_resource(
        sns.TopicPolicy(
            "AlarmTopicPolicy",
            Topics=[Ref(topic)],
            PolicyDocument={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        # Setting a topic policy replaces the default one, which let
                        # CloudWatch alarms of this account publish: keep allowing them.
                        "Sid": f"{sid}Publish",
                        "Effect": "Allow",
                        "Principal": {"Service": f"{service}.amazonaws.com"},
                        "Action": "SNS:Publish",
                        "Resource": Ref(topic),
                        "Condition": {"StringEquals": {"aws:SourceAccount": cfg.account_id}},
                    }
                    for sid, service in (("Budgets", "budgets"), ("CloudWatch", "cloudwatch"))
                ],
            },
        )
    )
    subscribers = [budgets.Subscriber(SubscriptionType="SNS", Address=Ref(topic))]
    if cfg.alarm_email:
        subscribers.append(budgets.Subscriber(SubscriptionType="EMAIL", Address=cfg.alarm_email))
    return t.add_resource(
        budgets.Budget(
            "MonthlyBudget",
            Budget=budgets.BudgetData(
                BudgetName=cfg.resource_name("monthly"),
                BudgetType="COST",
                TimeUnit="MONTHLY",
                BudgetLimit=budgets.Spend(Amount=cfg.monthly_budget_usd, Unit="USD"),
                CostFilters={"TagKeyValue": [cost_filter(cfg)]},
            ),
            NotificationsWithSubscribers=[
                _notification("FORECASTED", FORECAST_PERCENT, subscribers),
                _notification("ACTUAL", ACTUAL_PERCENT, subscribers),
            ],
        )
    )
