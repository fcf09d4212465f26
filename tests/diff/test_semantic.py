"""Semantic diff of template pairs (fixtures/<case>/old.yaml -> new.yaml, golden expected.txt).

Set UPDATE_GOLDEN=1 to rewrite the expected.txt files after an intended change, then review
their diff.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from stacks import aws_facts
from stacks.diff import render
from stacks.diff.semantic import MISSING, Change, compare
from stacks.diff.sources import parse

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "old.yaml").exists())


def case(name: str):
    old = parse((FIXTURES / name / "old.yaml").read_text(), "old.yaml")
    new = parse((FIXTURES / name / "new.yaml").read_text(), "new.yaml")
    return compare(old, new, name, "old.yaml", "new.yaml")


def kinds(diff) -> list[tuple[str, str]]:
    return [(w.kind, w.logical_id) for w in diff.warnings]


@pytest.mark.parametrize("name", CASES)
def test_golden_text(name):
    expected = FIXTURES / name / "expected.txt"
    actual = render.text([case(name)])
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(actual)
    assert actual == expected.read_text()


def test_bucket_rename_replaces_the_bucket_and_deletes_its_data():
    d = case("bucket_renamed")
    assert kinds(d) == [("replacement", "DataBucket")]
    assert "DELETED with its data" in d.warnings[0].message
    (entry,) = d.entries
    assert entry.changes == (
        Change(
            "Properties.BucketName",
            "security-assistant-dev-445567098699",
            "security-assistant-dev-data",
        ),
    )


def test_key_attribute_type_change_fails_for_a_named_table():
    d = case("table_key_changed")
    assert kinds(d) == [("replacement", "JobsTable")]
    assert "AttributeDefinitions (key attributes)" in d.warnings[0].message
    assert "FAILS" in d.warnings[0].message  # fixed TableName: CloudFormation cannot replace


def test_non_key_attribute_definitions_do_not_replace_a_table():
    old = parse((FIXTURES / "table_key_changed" / "old.yaml").read_text(), "old")
    new = parse((FIXTURES / "table_key_changed" / "old.yaml").read_text(), "new")
    new["Resources"]["JobsTable"]["Properties"]["AttributeDefinitions"].append(
        {"AttributeName": "status", "AttributeType": "S"}
    )
    d = compare(old, new)
    assert not d.equal and d.warnings == ()


def test_fifo_queue_and_queue_name_replace_the_queue():
    d = case("queue_made_fifo")
    assert kinds(d) == [("replacement", "JobsQueue")]
    assert "FifoQueue, QueueName" in d.warnings[0].message
    changes = {c.path: (c.old, c.new) for c in d.entries[0].changes}
    assert changes["Properties.FifoQueue"] == (MISSING, True)


def test_logical_id_rename_of_a_stateful_resource_is_a_delete_and_create():
    d = case("logical_id_renamed")
    assert [(e.logical_id, e.status) for e in d.entries] == [
        ("Jobs", "added"),
        ("JobsTable", "removed"),
    ]
    assert kinds(d) == [("deletion", "JobsTable")]
    assert "renamed to `Jobs`" in d.warnings[0].message


def test_retained_resource_removal_says_it_is_kept():
    old = parse((FIXTURES / "logical_id_renamed" / "old.yaml").read_text(), "old")
    old["Resources"]["JobsTable"]["DeletionPolicy"] = "Retain"
    d = compare(old, {"Resources": {}})
    assert "kept" in d.warnings[0].message and "DELETED" not in d.warnings[0].message


def test_function_policy_and_new_role_are_permission_changes():
    d = case("function_policy_changed")
    assert kinds(d) == [("iam", "ApiFunction"), ("iam", "AuditRole")]
    # MemorySize changed too, but only the policy statements are permission changes.
    assert "MemorySize" not in d.warnings[0].message
    assert "Policies[0] statement `Jobs` changed" in d.warnings[0].message
    assert "BROADENED" in d.warnings[0].message and "dynamodb:Scan on *" in d.warnings[0].message


def test_outputs_parameters_and_description_are_compared():
    d = case("sections_changed")
    assert [(e.section, e.logical_id, e.status) for e in d.entries] == [
        ("Template", "Description", "modified"),
        ("Parameters", "Stage", "modified"),
        ("Outputs", "AlarmTopicArn", "modified"),
        ("Outputs", "ApiUrl", "removed"),
        ("Outputs", "JobsQueueUrl", "added"),
    ]
    assert d.warnings == ()


def test_a_stateless_change_has_no_warning():
    d = case("log_retention_changed")
    assert d.count("modified") == 1 and d.warnings == ()


def test_identical_templates_are_equal_whatever_the_intrinsic_form():
    short = parse("Resources:\n  A:\n    Type: X\n    Properties:\n      B: !GetAtt C.Arn\n", "s")
    long = parse(
        '{"Resources": {"A": {"Type": "X", "Properties": {"B": {"Fn::GetAtt": ["C", "Arn"]}}}}}',
        "l",
    )
    assert compare(short, long).equal


def test_generated_templates_compare_equal_to_themselves(tmp_path):
    from stacks.templates import TARGETS

    for target in TARGETS.values():
        text = target.render()
        assert compare(parse(text, "a"), parse(text, "b")).equal


def test_markdown_puts_warnings_first_and_collapses_long_changes():
    diffs = [case(name) for name in CASES]
    md = render.markdown(diffs)
    assert md.startswith("## Template changes\n")
    for name in CASES:
        assert f"\n### {name}\n" in md
        assert f"| {name} | old.yaml → new.yaml |" in md
    section = md.split("\n### bucket_renamed\n")[1].split("\n### ")[0]
    assert section.index("[!WARNING]") < section.index("Resources.DataBucket")
    # Three changed paths stay inline, more are collapsed per resource.
    assert "<details>" not in md
    old = {"Resources": {"R": {"Type": "T", "Properties": {k: 1 for k in "abcd"}}}}
    new = {"Resources": {"R": {"Type": "T", "Properties": {k: 2 for k in "abcd"}}}}
    md = render.markdown([compare(old, new, "prod")])
    assert "<details><summary>~ <code>Resources.R</code> T modified: 4 changes</summary>" in md


def test_markdown_escapes_table_breaking_values():
    old = {"Resources": {"R": {"Type": "T", "Properties": {"P": "a|b"}}}}
    new = {"Resources": {"R": {"Type": "T", "Properties": {"P": "<x>"}}}}
    md = render.markdown([compare(old, new, "prod")])
    assert "<code>a&#124;b</code>" in md and "<code>&lt;x&gt;</code>" in md


def test_text_colour_only_when_asked():
    d = case("bucket_renamed")
    assert "\033[" not in render.text([d])
    assert "\033[1;31m" in render.text([d], colour=True)


def test_colour_follows_the_terminal_and_no_color(monkeypatch):
    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert render.use_colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not render.use_colour(Tty())


def _prod() -> dict:
    from stacks.templates import TARGETS

    return parse(TARGETS["prod"].render(), "prod")


def _changed(value):
    return f"{value}-changed" if isinstance(value, str) else {"changed": value}


def test_every_create_only_property_change_in_prod_is_a_replacement():
    from stacks.diff.semantic import replacing_properties

    old = _prod()
    checked = 0
    for lid, resource in old["Resources"].items():
        for prop in replacing_properties(resource["Type"]):
            new = copy.deepcopy(old)
            props = new["Resources"][lid].setdefault("Properties", {})
            *parents, leaf = prop.split(".")
            for part in parents:
                props = props.setdefault(part, {})
            props[leaf] = _changed(props.get(leaf, "x"))
            d = compare(old, new)
            replacements = [
                w for w in d.warnings if w.kind == "replacement" and w.logical_id == lid
            ]
            assert replacements, f"{lid}.{prop}"
            assert prop in replacements[0].message
            stateful = "stateful)" if aws_facts.is_stateful(resource["Type"]) else "stateless)"
            assert stateful in replacements[0].message
            checked += 1
    assert checked >= 15


def test_renaming_the_alarm_topic_replaces_it():
    old = _prod()
    new = copy.deepcopy(old)
    new["Resources"]["AlarmTopic"]["Properties"]["TopicName"] = "security-assistant-prod-alerts"
    [w] = compare(old, new).warnings
    assert w.kind == "replacement" and "TopicName" in w.message and "stateless" in w.message


def test_a_narrowed_statement_is_not_broadened_and_a_removed_deny_is():
    old = _prod()
    new = copy.deepcopy(old)
    policies = new["Resources"]["ApiFunction"]["Properties"]["Policies"][0]["Statement"]
    jobs = next(s for s in policies if s.get("Sid") == "Jobs")
    jobs["Action"] = ["dynamodb:GetItem"]
    [w] = compare(old, new).warnings
    assert "allows nothing new" in w.message and "BROADENED" not in w.message

    deny = {"Sid": "NoDeletes", "Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
    old["Resources"]["ApiFunction"]["Properties"]["Policies"][0]["Statement"].append(deny)
    [w] = [w for w in compare(old, new).warnings if "NoDeletes" in w.message]
    assert "removed (BROADENED: a Deny is gone)" in w.message


def test_a_trust_policy_opened_to_another_principal_is_broadened():
    old = _prod()
    new = copy.deepcopy(old)
    trust = new["Resources"]["CodeDeployRole"]["Properties"]["AssumeRolePolicyDocument"]
    trust["Statement"][0]["Principal"] = {"AWS": "*"}
    [w] = compare(old, new).warnings
    assert "AssumeRolePolicyDocument" in w.message and "BROADENED" in w.message
