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


AWKWARD = {
    "Resources": {
        "R": {
            "Type": "AWS::X::Y",
            "Properties": {
                "Script": "line one\nline two\n",
                "Trailing": "ends with a space \nand more",
                "Empty": "",
                "Quoted": 'it\'s "quoted": yes',
                "Unicode": "caf\u00e9 \u2014 \U0001f512",
                "Numbers": ["0123", "1e3", "null", "~", "- dash", "# hash", "@at"],
                "Refs": [{"Ref": "A"}, {"Fn::Sub": ""}, {"Fn::Sub": "${A}\n${B}"}],
                "Nested": [[{"Fn::Join": ["", [{"Ref": "A"}, "b"]]}], {}, []],
            },
        }
    },
}


def test_awkward_strings_survive_a_round_trip():
    text = to_yaml(AWKWARD, "c")
    loaded = yaml.load(text, Loader=_CfnLoader)
    props = AWKWARD["Resources"]["R"]["Properties"]
    refs = [{"Ref": "A"}, {"Sub": ""}, {"Sub": "${A}\n${B}"}]
    assert loaded["Resources"]["R"]["Properties"] == {
        **props,
        "Refs": refs,
        "Nested": [[{"Join": ["", [{"Ref": "A"}, "b"]]}], {}, []],
    }
    assert "Script: |\n" in text  # multi-line strings as literal blocks


def test_lists_under_a_key_are_not_indented_further():
    text = to_yaml({"Resources": {"R": {"Type": "T", "Properties": {"L": ["a"]}}}}, "c")
    assert "    Properties:\n      L:\n      - a\n" in text


def test_without_libyaml_the_build_says_how_to_get_it(monkeypatch, capsys):
    from stacks import render
    from stacks.cli import main

    monkeypatch.setattr(render, "_Base", None)
    assert main(["build", "--env", "dev", "--out", "-"]) == 2
    assert "pip install --force-reinstall --only-binary :all: PyYAML" in capsys.readouterr().err
