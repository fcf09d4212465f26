"""Deterministic YAML for CloudFormation templates.

Same code, same bytes: keys are sorted (resources by logical id, properties by name), list
order is kept (it is meaningful), intrinsic functions use the short `!Ref`/`!GetAtt`/`!Sub`
form reviewers know, and nothing depends on the environment (unlike cfn-flip, whose line
width is read from CFN_MAX_COL_WIDTH).
"""

from __future__ import annotations

import yaml

HEADER = (
    "# GENERATED FILE - DO NOT EDIT. Made by `{command}` from the Python code in stacks/.\n"
    "# To change it, edit stacks/, rerun that command and commit this file with your change.\n"
)

# Conventional section order of a template, and of a resource's attributes.
TOP_ORDER = (
    "AWSTemplateFormatVersion",
    "Transform",
    "Description",
    "Metadata",
    "Parameters",
    "Rules",
    "Mappings",
    "Conditions",
    "Globals",
    "Resources",
    "Outputs",
)
RESOURCE_ORDER = (
    "Type",
    "Condition",
    "DependsOn",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "Metadata",
    "Properties",
)


class _Tagged:
    """A short-form intrinsic function, e.g. !Ref X."""

    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


class LibyamlMissing(RuntimeError):
    """PyYAML without libyaml: templates would not be written the way they are committed."""


# libyaml's emitter, which PyYAML's wheels bundle: the one emitter every machine uses, so all
# write the same bytes (PyYAML's pure-Python emitter differs in corner cases and is about five
# times slower). Lists under a key are not indented further: libyaml cannot do that.
_Base = getattr(yaml, "CSafeDumper", None)


class _Dumper(_Base or yaml.SafeDumper):
    def ignore_aliases(self, data):  # never emit &anchors/*aliases
        return True


def _represent_tagged(dumper: _Dumper, data: _Tagged):
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


def _represent_str(dumper: _Dumper, data: str):
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(_Tagged, _represent_tagged)
_Dumper.add_representer(str, _represent_str)


def _ordered(d: dict, order: tuple[str, ...]) -> dict:
    rank = {k: i for i, k in enumerate(order)}
    return {k: d[k] for k in sorted(d, key=lambda k: (rank.get(k, len(rank)), k))}


def _canonical(node):
    """Sort mappings and turn {"Fn::X": v} / {"Ref": v} into short-form tags."""
    if isinstance(node, list):
        return [_canonical(v) for v in node]
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, value),) = node.items()
        if key == "Ref":
            return _Tagged("!Ref", value)
        if (
            key == "Fn::GetAtt"
            and isinstance(value, list)
            and all(isinstance(v, str) for v in value)
        ):
            return _Tagged("!GetAtt", ".".join(value))
        if key.startswith("Fn::") or key == "Condition":
            return _Tagged("!" + key.removeprefix("Fn::"), _canonical(value))
    return {k: _canonical(node[k]) for k in sorted(node)}


def to_yaml(template: dict, command: str) -> str:
    """The template as YAML, preceded by the generated-file header naming `command`."""
    if _Base is None:
        raise LibyamlMissing(
            "PyYAML here was built without libyaml, so templates would not match the committed "
            "ones; reinstall it from a wheel: pip install --force-reinstall --only-binary :all: "
            "PyYAML"
        )
    doc = _ordered(template, TOP_ORDER)
    for section in doc:
        if section == "Resources":
            doc[section] = {
                name: _ordered({k: _canonical(v) for k, v in res.items()}, RESOURCE_ORDER)
                for name, res in sorted(doc[section].items())
            }
        else:
            doc[section] = _canonical(doc[section])
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, width=10_000, allow_unicode=True)
    return HEADER.format(command=command) + body
