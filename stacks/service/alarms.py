"""The three rollback alarms of the design document, and the topic that tells people.

CodeDeploy watches these alarms while it shifts traffic to a new version and rolls the alias
back when one fires: a function's error rate > 10 %, the API's 5xx rate > 5 %, a non-empty DLQ.
Periods are one minute so that detection plus rollback fits the 5-minute RTO
(`EnvConfig.detection_seconds`; lint rule E9030, `rollback_budget`, checks the template).
"""

from troposphere import GetAtt, Ref, Sub, Template, cloudwatch, serverless, sns, sqs

from stacks.config import EnvConfig
from stacks.sam import DeploymentPreference
from stacks.service.common import checkov_skip


def alarm_topic(t: Template, cfg: EnvConfig) -> sns.Topic:
    topic = t.add_resource(
        sns.Topic("AlarmTopic", TopicName=cfg.resource_name("alarms"), **checkov_skip("CKV_AWS_26"))
    )
    if cfg.alarm_email:
        t.add_resource(
            sns.SubscriptionResource(
                "AlarmEmailSubscription",
                TopicArn=Ref(topic),
                Protocol="email",
                Endpoint=cfg.alarm_email,
            )
        )
    return topic


def _metric(id_: str, namespace: str, name: str, dimensions: dict, cfg: EnvConfig, stat="Sum"):
    return cloudwatch.MetricDataQuery(
        Id=id_,
        ReturnData=False,
        MetricStat=cloudwatch.MetricStat(
            Metric=cloudwatch.Metric(
                Namespace=namespace,
                MetricName=name,
                Dimensions=[
                    cloudwatch.MetricDimension(Name=k, Value=v) for k, v in dimensions.items()
                ],
            ),
            Period=cfg.alarm_period_seconds,
            Stat=stat,
        ),
    )


def _rate_alarm(title, cfg, topic, description, threshold, numerator, denominator, label):
    """Alarm when 100 * numerator / denominator exceeds `threshold` percent."""
    return cloudwatch.Alarm(
        title,
        AlarmName=cfg.resource_name(description.split(":")[0]),
        AlarmDescription=description,
        Metrics=[
            numerator,
            denominator,
            cloudwatch.MetricDataQuery(
                Id="rate",
                Label=label,
                Expression=f"100 * FILL({numerator.Id}, 0) / {denominator.Id}",
                ReturnData=True,
            ),
        ],
        ComparisonOperator="GreaterThanThreshold",
        Threshold=threshold,
        EvaluationPeriods=cfg.alarm_evaluation_periods,
        DatapointsToAlarm=cfg.alarm_evaluation_periods,
        # No traffic is no evidence of a bad release.
        TreatMissingData="notBreaching",
        AlarmActions=[Ref(topic)],
        OKActions=[Ref(topic)],
    )


def function_error_rate(
    t: Template, cfg: EnvConfig, fn: serverless.Function, topic: sns.Topic, short: str
) -> cloudwatch.Alarm:
    # Only the alias's new version counts (Resource + ExecutedVersion), so errors of the old
    # version during an incident cannot roll back the release that fixes it.
    dims = {
        "FunctionName": Ref(fn),
        "Resource": Sub(f"${{{fn.title}}}:live"),
        "ExecutedVersion": GetAtt(f"{fn.title}.Version", "Version"),
    }
    return t.add_resource(
        _rate_alarm(
            f"{fn.title}ErrorRateAlarm",
            cfg,
            topic,
            f"{short}-error-rate: errors of the new {short} version above "
            f"{cfg.error_rate_threshold_percent:g}% of its invocations",
            cfg.error_rate_threshold_percent,
            _metric("errors", "AWS/Lambda", "Errors", dims, cfg),
            _metric("invocations", "AWS/Lambda", "Invocations", dims, cfg),
            "error rate (%)",
        )
    )


def api_5xx_rate(t: Template, cfg: EnvConfig, topic: sns.Topic) -> cloudwatch.Alarm:
    dims = {"ApiName": cfg.resource_name("api"), "Stage": cfg.name}
    # Dimensions name the API and stage literally: a reference to the API would make a cycle
    # (API -> function alias -> deployment group -> this alarm).
    return t.add_resource(
        _rate_alarm(
            "Api5xxRateAlarm",
            cfg,
            topic,
            f"api-5xx-rate: API 5xx responses above {cfg.api_5xx_threshold_percent:g}% of requests",
            cfg.api_5xx_threshold_percent,
            _metric("server_errors", "AWS/ApiGateway", "5XXError", dims, cfg),
            _metric("requests", "AWS/ApiGateway", "Count", dims, cfg),
            "5xx rate (%)",
        )
    )


def dlq_not_empty(
    t: Template, cfg: EnvConfig, dlq: sqs.Queue, topic: sns.Topic
) -> cloudwatch.Alarm:
    return t.add_resource(
        cloudwatch.Alarm(
            "DeadLetterQueueAlarm",
            AlarmName=cfg.resource_name("jobs-dlq-not-empty"),
            AlarmDescription="jobs-dlq-not-empty: jobs failed every retry and wait in the DLQ",
            Namespace="AWS/SQS",
            MetricName="ApproximateNumberOfMessagesVisible",
            Dimensions=[
                cloudwatch.MetricDimension(Name="QueueName", Value=GetAtt(dlq, "QueueName"))
            ],
            Statistic="Maximum",
            Period=cfg.alarm_period_seconds,
            EvaluationPeriods=cfg.alarm_evaluation_periods,
            DatapointsToAlarm=cfg.alarm_evaluation_periods,
            ComparisonOperator="GreaterThanThreshold",
            Threshold=0,
            TreatMissingData="notBreaching",
            AlarmActions=[Ref(topic)],
            OKActions=[Ref(topic)],
        )
    )


def deployment_preference(
    cfg: EnvConfig, alarms: list[cloudwatch.Alarm], pre_traffic: serverless.Function | None = None
) -> DeploymentPreference:
    props = {}
    if pre_traffic is not None:
        props["Hooks"] = serverless.Hooks(PreTraffic=Ref(pre_traffic))
    return DeploymentPreference(Type=cfg.deployment_type, Alarms=[Ref(a) for a in alarms], **props)
