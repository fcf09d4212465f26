"""Each environment's AWS Budget and the topic policy that lets Budgets publish."""

from dataclasses import replace

import boto3
import pytest

from stacks import config
from stacks.service.budget import cost_filter

from .conftest import build, of_type


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_budget_at_the_config_figure_filtered_to_the_environment(templates, env):
    cfg = config.get(env)
    (budget,) = of_type(templates[env], "AWS::Budgets::Budget").values()
    data = budget["Properties"]["Budget"]
    assert data["BudgetLimit"] == {"Amount": cfg.monthly_budget_usd, "Unit": "USD"}
    assert (data["BudgetType"], data["TimeUnit"]) == ("COST", "MONTHLY")
    assert data["CostFilters"] == {"TagKeyValue": [f"user:environment${env}"]}
    notes = {
        (n["Notification"]["NotificationType"], n["Notification"]["Threshold"])
        for n in budget["Properties"]["NotificationsWithSubscribers"]
    }
    assert notes == {("FORECASTED", 100), ("ACTUAL", 80)}


def test_samconfig_tags_each_stack_with_the_filtered_tag():
    from stacks.templates import INFRASTRUCTURE

    samconfig = (INFRASTRUCTURE / "samconfig.toml").read_text()
    for env in config.ENVIRONMENTS:
        assert f'environment=\\"{env}\\"' in samconfig, env


def test_budgets_may_publish_to_the_topic_it_notifies(templates):
    for env, t in templates.items():
        (budget,) = of_type(t, "AWS::Budgets::Budget").values()
        subscribers = budget["Properties"]["NotificationsWithSubscribers"][0]["Subscribers"]
        assert subscribers == [{"Address": {"Ref": "AlarmTopic"}, "SubscriptionType": "SNS"}]
        (policy,) = of_type(t, "AWS::SNS::TopicPolicy").values()
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        budgets_may = [
            s for s in statements if s["Principal"] == {"Service": "budgets.amazonaws.com"}
        ]
        assert budgets_may and budgets_may[0]["Action"] == "SNS:Publish", env
        assert budgets_may[0]["Condition"] == {
            "StringEquals": {"aws:SourceAccount": config.ACCOUNT_ID}
        }


def test_alarm_email_is_also_a_direct_subscriber():
    cfg = replace(config.get("dev"), alarm_email="oncall@example.com")
    (budget,) = of_type(build(cfg), "AWS::Budgets::Budget").values()
    for n in budget["Properties"]["NotificationsWithSubscribers"]:
        assert {"Address": "oncall@example.com", "SubscriptionType": "EMAIL"} in n["Subscribers"]


@pytest.mark.xdist_group("moto")  # moto loads in that worker only (test_sa_e2e.py)
def test_the_budget_is_accepted_by_the_budgets_api(templates):
    """The template's budget, sent through boto3 (botocore's model) to moto's Budgets."""
    from moto import mock_aws  # here, not at import: only the `moto` worker loads it

    with mock_aws():
        client = boto3.client("budgets", region_name="us-east-1")
        (budget,) = of_type(templates["staging"], "AWS::Budgets::Budget").values()
        props = budget["Properties"]
        data = dict(props["Budget"])
        data["BudgetLimit"] = {"Amount": str(data["BudgetLimit"]["Amount"]), "Unit": "USD"}
        topic = f"arn:aws:sns:eu-west-2:{config.ACCOUNT_ID}:security-assistant-staging-alarms"
        notifications = [
            {
                "Notification": n["Notification"],
                "Subscribers": [{"SubscriptionType": "SNS", "Address": topic}],
            }
            for n in props["NotificationsWithSubscribers"]
        ]
        client.create_budget(
            AccountId=config.ACCOUNT_ID, Budget=data, NotificationsWithSubscribers=notifications
        )
        got = client.describe_budget(AccountId=config.ACCOUNT_ID, BudgetName=data["BudgetName"])
        assert float(got["Budget"]["BudgetLimit"]["Amount"]) == 5.0
        assert got["Budget"]["CostFilters"] == {"TagKeyValue": [cost_filter(config.get("staging"))]}
        listed = client.describe_notifications_for_budget(
            AccountId=config.ACCOUNT_ID, BudgetName=data["BudgetName"]
        )["Notifications"]
        assert {(n["NotificationType"], n["Threshold"]) for n in listed} == {
            ("FORECASTED", 100.0),
            ("ACTUAL", 80.0),
        }
