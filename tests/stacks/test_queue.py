"""The jobs queue and its dead-letter queue."""

from stacks import config


def test_queue_redrives_to_the_dlq_after_the_configured_receive_count(full):
    env, t = full
    props = t["Resources"]["JobsQueue"]["Properties"]
    assert props["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": ["JobsDeadLetterQueue", "Arn"]},
        "maxReceiveCount": config.get(env).max_receive_count,
    }
    dlq = t["Resources"]["JobsDeadLetterQueue"]["Properties"]
    # a message must not expire in the queue before it could reach the DLQ
    assert dlq["MessageRetentionPeriod"] > props["MessageRetentionPeriod"]


def test_visibility_timeout_is_at_least_six_times_the_worker_timeout(full):
    _, t = full
    worker_timeout = t["Resources"]["WorkerFunction"]["Properties"]["Timeout"]
    assert t["Resources"]["JobsQueue"]["Properties"]["VisibilityTimeout"] >= 6 * worker_timeout


def test_queues_are_encrypted_and_named_for_the_environment(full):
    env, t = full
    names = {}
    for logical in ("JobsQueue", "JobsDeadLetterQueue"):
        props = t["Resources"][logical]["Properties"]
        assert props["SqsManagedSseEnabled"] is True
        names[logical] = props["QueueName"]
    assert names == {
        "JobsQueue": f"security-assistant-{env}-jobs",
        "JobsDeadLetterQueue": f"security-assistant-{env}-jobs-dlq",
    }
