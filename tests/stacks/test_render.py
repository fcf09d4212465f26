import yaml

from stacks.render import to_yaml


class _CfnLoader(yaml.SafeLoader):
    pass


def _tagged(loader, tag, node):
    if isinstance(node, yaml.ScalarNode):
        return {tag: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {tag: loader.construct_sequence(node, deep=True)}
    return {tag: loader.construct_mapping(node, deep=True)}


_CfnLoader.add_multi_constructor("!", _tagged)


def test_keys_sorted_sections_in_conventional_order_and_short_form_intrinsics():
    template = {
        "Resources": {
            "B": {"Properties": {"Z": 1, "A": {"Ref": "A"}}, "Type": "AWS::SNS::Topic"},
            "A": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Retain"},
        },
        "Outputs": {"X": {"Value": {"Fn::GetAtt": ["A", "Arn"]}}},
        "AWSTemplateFormatVersion": "2010-09-09",
    }
    text = to_yaml(template, "cmd")
    assert text.index("AWSTemplateFormatVersion") < text.index("Resources") < text.index("Outputs")
    assert text.index("  A:") < text.index("  B:")
    assert text.index("Type: AWS::SQS::Queue") < text.index("DeletionPolicy")
    assert "A: !Ref A" in text
    assert "Value: !GetAtt A.Arn" in text
    loaded = yaml.load(text, Loader=_CfnLoader)
    assert loaded["Resources"]["B"]["Properties"] == {"A": {"Ref": "A"}, "Z": 1}


def test_strings_that_look_like_other_types_stay_strings():
    text = to_yaml({"Resources": {}, "Outputs": {"A": {"Value": "445567098699"}, "B": "true"}}, "c")
    loaded = yaml.load(text, Loader=_CfnLoader)
    assert loaded["Outputs"] == {"A": {"Value": "445567098699"}, "B": "true"}


def test_header_names_the_command():
    assert (
        to_yaml({}, "python -m stacks build --env x")
        .splitlines()[0]
        .endswith("Made by `python -m stacks build --env x` from the Python code in stacks/.")
    )
