"""stacks/aws_facts.py reads cfn-lint's bundled schemas itself (no cfn-lint import): what it
reads must be what cfn-lint's own schema manager serves, for every type the templates use."""

from __future__ import annotations

import pytest

from stacks import aws_facts
from stacks.config import REGION
from stacks.templates import TARGETS


def used_types() -> set[str]:
    return {
        resource["Type"]
        for target in TARGETS.values()
        for resource in target.make()["Resources"].values()
    }


@pytest.mark.xdist_group("cfn")  # the worker that imports cfn-lint anyway
def test_the_schemas_are_cfn_lints_bundled_ones():
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    types = used_types() | {"Custom::Anything"}
    assert {"AWS::Serverless::Function", "AWS::IAM::Role"} <= types
    for type_ in sorted(types):
        served = PROVIDER_SCHEMA_MANAGER.get_resource_schema(REGION, type_).schema
        assert aws_facts.schema(type_) == served, type_


def test_an_unknown_type_is_named():
    with pytest.raises(aws_facts.UnknownType, match="no provider schema for AWS::Nope::Thing"):
        aws_facts.schema("AWS::Nope::Thing")


def test_the_iam_and_stateful_lists_are_read():
    assert aws_facts.resource_level("s3:GetObject") and not aws_facts.resource_level(
        "s3:ListAllMyBuckets"
    )
    assert aws_facts.iam_action("s3:NoSuchAction") is None
    assert aws_facts.is_stateful("AWS::DynamoDB::Table") and not aws_facts.is_stateful(
        "AWS::SNS::Topic"
    )
