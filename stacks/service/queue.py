"""The jobs queue between the API and the worker, and its dead-letter queue."""

from troposphere import GetAtt, Template, sqs

from stacks.config import EnvConfig
from stacks.service.common import checkov_skip, retain_if


def job_queues(t: Template, cfg: EnvConfig) -> tuple[sqs.Queue, sqs.Queue]:
    dlq = t.add_resource(
        sqs.Queue(
            "JobsDeadLetterQueue",
            QueueName=cfg.resource_name("jobs-dlq"),
            MessageRetentionPeriod=cfg.dlq_retention_days * 86400,
            SqsManagedSseEnabled=True,
            **retain_if(cfg.retain_stateful),
            **checkov_skip("CKV_AWS_27"),
        )
    )
    queue = t.add_resource(
        sqs.Queue(
            "JobsQueue",
            QueueName=cfg.resource_name("jobs"),
            VisibilityTimeout=cfg.queue_visibility_timeout,
            # Shorter than the DLQ's retention, so a message cannot expire on the way there.
            MessageRetentionPeriod=4 * 86400,
            RedrivePolicy=sqs.RedrivePolicy(
                deadLetterTargetArn=GetAtt(dlq, "Arn"), maxReceiveCount=cfg.max_receive_count
            ),
            SqsManagedSseEnabled=True,
            **retain_if(cfg.retain_stateful),
            **checkov_skip("CKV_AWS_27"),
        )
    )
    return queue, dlq
