"""The rollback alarms, the notification-only alarms and the topic that tells people.

CodeDeploy watches a function's rollback alarms while it shifts traffic to a new version and
moves the alias back when one fires. Every rollback alarm that measures a function is scoped to
the version being deployed (`ExecutedVersion` = the new `AWS::Lambda::Version`, resolved when
the stack updates), so the old version's failures never block the release that fixes them:

- `<fn>-error-rate`: the new version's crashes and timeouts (AWS/Lambda `Errors`) above 10 %
  of its invocations; for the worker also its failed records (EMF `FailedRecords`, which the
  code counts without poison messages) above 10 % of its records;
- `api-5xx-rate`: the new API version's 5xx answers (crashes and timeouts, which API Gateway
  turns into 502/504, plus the handled 5xx the code counts as EMF `ServerErrors`) above 5 %;
- `jobs-dlq-new-dead-letters`: the DLQ grew during the last minute (an old backlog does not).

Notification only (never block a deployment): the stage-wide API 5xx rate, which cannot tell
versions apart, and a non-empty DLQ. `python -m stacks drill` plays failure scenarios against
these alarms; periods of one minute keep detection plus rollback inside the 5-minute RTO.
`EnvConfig.break_glass` deploys without alarm gating (see the README's Rollback section).
"""

from security_assistant import release_signals as rs
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


def _rate_alarm(title, cfg, topic, description, threshold, metrics, expression, label):
    """Alarm when the metric-math `expression` (a percentage) exceeds `threshold`."""
    return cloudwatch.Alarm(
        title,
        AlarmName=cfg.resource_name(description.split(":")[0]),
        AlarmDescription=description,
        Metrics=[
            *metrics,
            cloudwatch.MetricDataQuery(
                Id="rate", Label=label, Expression=expression, ReturnData=True
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


def _new_version(fn: serverless.Function):
    # SAM's AutoPublishAlias makes `<fn>.Version`; a code change replaces it, so the alarm is
    # updated to the new version number before CodeDeploy shifts the alias.
    return GetAtt(f"{fn.title}.Version", "Version")


def _lambda_dims(fn: serverless.Function) -> dict:
    # Only invocations through the alias, by the version that ran them (AWS/Lambda dimensions).
    return {
        "FunctionName": Ref(fn),
        "Resource": Sub(f"${{{fn.title}}}:live"),
        "ExecutedVersion": _new_version(fn),
    }


def _signal_dims(fn: serverless.Function) -> dict:
    # What `observability.release_signal` emits: Powertools' service, the function, the version.
    return {
        "service": rs.SERVICE,
        rs.FUNCTION_NAME: Ref(fn),
        rs.EXECUTED_VERSION: _new_version(fn),
    }


def function_error_rate(
    t: Template, cfg: EnvConfig, fn: serverless.Function, topic: sns.Topic, short: str
) -> cloudwatch.Alarm:
    """The new version's crashes and timeouts (and, for the worker, failed records) > 10 %."""
    metrics = [
        _metric("errors", "AWS/Lambda", "Errors", _lambda_dims(fn), cfg),
        _metric("invocations", "AWS/Lambda", "Invocations", _lambda_dims(fn), cfg),
    ]
    expression = "100 * FILL(errors, 0) / invocations"
    what = "errors"
    if short == "worker":
        # Batch item failures never reach Errors: the code counts them per version.
        metrics += [
            _metric("failed", rs.NAMESPACE, rs.FAILED_RECORDS, _signal_dims(fn), cfg),
            _metric("records", rs.NAMESPACE, rs.RECORDS, _signal_dims(fn), cfg),
        ]
        expression = f"MAX([{expression}, 100 * FILL(failed, 0) / records])"
        what = "errors (of its invocations) or failed records (of its records)"
    return t.add_resource(
        _rate_alarm(
            f"{fn.title}ErrorRateAlarm",
            cfg,
            topic,
            f"{short}-error-rate: {what} of the new {short} version above "
            f"{cfg.error_rate_threshold_percent:g}%",
            cfg.error_rate_threshold_percent,
            metrics,
            expression,
            "error rate (%)",
        )
    )


def api_5xx_rate(
    t: Template, cfg: EnvConfig, fn: serverless.Function, topic: sns.Topic
) -> cloudwatch.Alarm:
    """The new API version's 5xx answers: crashes/timeouts (API Gateway's 502/504) + handled."""
    return t.add_resource(
        _rate_alarm(
            "ApiFunction5xxRateAlarm",
            cfg,
            topic,
            f"api-5xx-rate: 5xx answers of the new api version above "
            f"{cfg.api_5xx_threshold_percent:g}% of its requests",
            cfg.api_5xx_threshold_percent,
            [
                _metric("errors", "AWS/Lambda", "Errors", _lambda_dims(fn), cfg),
                _metric("server_errors", rs.NAMESPACE, rs.SERVER_ERRORS, _signal_dims(fn), cfg),
                _metric("invocations", "AWS/Lambda", "Invocations", _lambda_dims(fn), cfg),
            ],
            "100 * (FILL(errors, 0) + FILL(server_errors, 0)) / invocations",
            "5xx rate (%)",
        )
    )


def api_stage_5xx_rate(t: Template, cfg: EnvConfig, topic: sns.Topic) -> cloudwatch.Alarm:
    """Notification only: the stage mixes both versions' answers during a canary."""
    dims = {"ApiName": cfg.resource_name("api"), "Stage": cfg.name}
    # Dimensions name the API and stage literally: a reference to the API would make a cycle
    # (API -> function alias -> deployment group -> this alarm).
    return t.add_resource(
        _rate_alarm(
            "ApiStage5xxRateAlarm",
            cfg,
            topic,
            f"api-stage-5xx-rate: API 5xx responses above {cfg.api_5xx_threshold_percent:g}% "
            "of the stage's requests (all versions; notifies, never rolls back)",
            cfg.api_5xx_threshold_percent,
            [
                _metric("server_errors", "AWS/ApiGateway", "5XXError", dims, cfg),
                _metric("requests", "AWS/ApiGateway", "Count", dims, cfg),
            ],
            "100 * FILL(server_errors, 0) / requests",
            "5xx rate (%)",
        )
    )


def dlq_arrivals(t: Template, cfg: EnvConfig, dlq: sqs.Queue, topic: sns.Topic):
    """New dead letters: the DLQ's visible messages went up since the period before.

    SQS does not count messages moved by a redrive policy in the DLQ's NumberOfMessagesSent,
    so the alarm watches ApproximateNumberOfMessagesVisible and fires on its increase (DIFF).
    An empty, idle DLQ publishes no datapoints (SQS publishes metrics of active queues only),
    hence FILL(.., 0): the first dead letter in an empty queue is an increase from 0. A static
    backlog has DIFF 0 and never blocks a deployment.
    """
    visible = _metric(
        "visible",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        {"QueueName": GetAtt(dlq, "QueueName")},
        cfg,
        stat="Maximum",
    )
    return t.add_resource(
        cloudwatch.Alarm(
            "DeadLetterArrivalsAlarm",
            AlarmName=cfg.resource_name("jobs-dlq-new-dead-letters"),
            AlarmDescription="jobs-dlq-new-dead-letters: jobs failed every retry and reached "
            "the DLQ within the last minute",
            Metrics=[
                visible,
                cloudwatch.MetricDataQuery(
                    Id="arrivals",
                    Label="new dead letters",
                    Expression="DIFF(FILL(visible, 0))",
                    ReturnData=True,
                ),
            ],
            ComparisonOperator="GreaterThanThreshold",
            Threshold=0,
            EvaluationPeriods=cfg.alarm_evaluation_periods,
            DatapointsToAlarm=cfg.alarm_evaluation_periods,
            TreatMissingData="notBreaching",
            AlarmActions=[Ref(topic)],
            OKActions=[Ref(topic)],
        )
    )


def dlq_not_empty(
    t: Template, cfg: EnvConfig, dlq: sqs.Queue, topic: sns.Topic
) -> cloudwatch.Alarm:
    return t.add_resource(
        cloudwatch.Alarm(
            "DeadLetterQueueAlarm",
            AlarmName=cfg.resource_name("jobs-dlq-not-empty"),
            AlarmDescription="jobs-dlq-not-empty: jobs failed every retry and wait in the DLQ "
            "(notifies, never rolls back: inspect, then redrive or purge)",
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
    if not cfg.break_glass:
        # Break glass: no Alarms at all, so the diff shows it; traffic still shifts gradually
        # and the PreTraffic hook still smoke-tests the new version.
        props["Alarms"] = [Ref(a) for a in alarms]
    return DeploymentPreference(Type=cfg.deployment_type, **props)
