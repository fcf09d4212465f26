RULE = "E9061"


def queue(props: str) -> str:
    return f"Queue:\n  Type: AWS::SQS::Queue\n  Properties:\n    {props}\n"


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_silent_with_sse_or_a_kms_key(kit):
    assert kit.lint(RULE, kit.snippet(queue("SqsManagedSseEnabled: true"))) == []
    assert kit.lint(RULE, kit.snippet(queue("KmsMasterKeyId: alias/aws/sqs"))) == []


def test_fires_on_an_unencrypted_queue(kit):
    bad = kit.snippet(queue("SqsManagedSseEnabled: false"))
    [f] = kit.lint(RULE, bad)
    assert f.line in {kit.line_of(bad, "Properties:"), kit.line_of(bad, "SqsManagedSseEnabled")}
    assert "queue Queue is not encrypted at rest" in f.message
