from stacks.references import referenced


def test_ref_getatt_and_sub_in_every_form():
    value = {
        "A": {"Ref": "Table"},
        "B": [{"Fn::GetAtt": ["Queue", "Arn"]}, {"Fn::GetAtt": "Dlq.QueueName"}],
        "C": {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Bucket}/${!literal}"},
        "D": {"Fn::Sub": ["${Fn.Version}", {"X": {"Ref": "Topic"}}]},
        "E": {"Ref": "ApiFunction.Alias"},
    }
    assert referenced(value) == {
        "Table", "Queue", "Dlq", "AWS::Partition", "Bucket", "Fn", "Topic", "ApiFunction"
    }  # fmt: skip


def test_plain_values_reference_nothing():
    assert referenced({"Name": "x", "List": [1, "Ref"], "Sub": "${NotASub}"}) == set()
