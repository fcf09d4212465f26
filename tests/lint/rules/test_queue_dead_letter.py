RULE = "E9062"

QUEUE = """
    Queue:
      Type: AWS::SQS::Queue
      Properties:
        {redrive}
    DeadLetterQueue:
      Type: AWS::SQS::Queue
    Mapping:
      Type: AWS::Lambda::EventSourceMapping
      Properties:
        EventSourceArn: !GetAtt Queue.Arn
        FunctionName: f
"""
REDRIVE = "RedrivePolicy: {deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn, maxReceiveCount: 3}"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_with_a_dead_letter_queue(kit):
    assert kit.lint(RULE, kit.snippet(QUEUE.format(redrive=REDRIVE))) == []


def test_fires_on_a_queue_feeding_a_function_without_dlq(kit):
    bad = kit.snippet(QUEUE.format(redrive="Tags: []"))
    [f] = kit.lint(RULE, bad)
    assert f.line == kit.line_of(bad, "Properties:")
    assert "queue Queue feeds a function" in f.message


def test_fires_on_a_sam_sqs_event_source(kit):
    bad = kit.deployment(
        "      RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, maxReceiveCount: 3}\n",
        "      Tags: []\n",
    )
    found = kit.lint(RULE, bad)
    assert found and {f.line for f in found} == {kit.props_line(bad, "Queue")}
