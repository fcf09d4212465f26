"""AWS facts from the CloudFormation resource provider schemas that cfn-lint ships.

What CloudFormation needs to create, read, update and delete a resource type (its handlers'
permissions), which properties force a replacement (`createOnlyProperties`), which property
names a resource, how long that name may be, and which types hold data (cfn-lint's
StatefulResources list). Everything that needs these facts (bootstrap, diff, lint rules)
asks this module instead of keeping its own list.

The schemas are read lazily from cfn-lint's package data (the `lint` extra), without importing
cfn-lint itself (about 1 s), and always from the copy the pinned cfn-lint version bundles, not a
newer one `cfn-lint --update-specs` may have cached for the user: the facts are the same on
every machine. The build path never reads them: what `python -m stacks build` needs (the
permissions each environment's execution role grants, the name limits) is extracted once into
`aws_facts.json` beside this module by `python -m stacks facts`; a test fails when that file
is stale.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path

from stacks.config import REGION

HANDLERS = ("create", "read", "update", "delete")
FACTS_FILE = Path(__file__).with_name("aws_facts.json")

# What the schemas get wrong, one reason per entry.
# Name length limits missing from (or wrong in) a schema, from the AWS service quotas.
NAME_LIMITS = {
    # The schema's pattern allows a whole ARN; the name itself is at most 64 characters
    # (Lambda API reference, CreateFunction: FunctionName).
    "AWS::Lambda::Function": 64,
    # The schema has no maxLength; SQS: "A queue name can have up to 80 characters"
    # (SQS API reference, CreateQueue: QueueName).
    "AWS::SQS::Queue": 80,
    # The schema says 1024; DynamoDB table names are 3-255 characters
    # (DynamoDB developer guide, "Naming rules").
    "AWS::DynamoDB::Table": 255,
    # The schema has no maxLength; IAM: policy names up to 128 characters (IAM quotas).
    "AWS::IAM::ManagedPolicy": 128,
}
# Handler "permissions" that are not IAM actions at all.
NOT_ACTIONS = {
    # An S3 server-access-log operation name, not an IAM action: no policy can grant it.
    "s3:REST.PUT.OBJECT",
}
# Handler permissions that name an S3 API operation, not the IAM action that authorizes it
# (S3 API reference, "Permissions" of each operation; cfn-lint's IAM action list agrees).
API_TO_IAM = {
    "s3:DeleteBucketAnalyticsConfiguration": "s3:PutAnalyticsConfiguration",
    "s3:DeleteBucketCors": "s3:PutBucketCORS",
    "s3:DeleteBucketEncryption": "s3:PutEncryptionConfiguration",
    "s3:DeleteBucketLifecycle": "s3:PutLifecycleConfiguration",
    "s3:DeleteBucketMetricsConfiguration": "s3:PutMetricsConfiguration",
    "s3:DeleteBucketReplication": "s3:PutReplicationConfiguration",
    "s3:PutBucketReplication": "s3:PutReplicationConfiguration",
    "s3:PutObjectLockConfiguration": "s3:PutBucketObjectLockConfiguration",
    "s3:GetObjectMetadata": "s3:GetObject",  # HeadObject: authorized by s3:GetObject
}

# cfn-lint's SAM schemas carry no createOnlyProperties. These SAM properties pass unchanged
# to create-only properties of what the transform makes (the Lambda function, the DynamoDB
# table: PrimaryKey becomes the KeySchema), so changing them replaces it.
SAM_CREATE_ONLY = {
    "AWS::Serverless::Function": ("FunctionName", "PackageType"),
    "AWS::Serverless::SimpleTable": ("TableName", "PrimaryKey"),
}
# The CloudFormation type whose name rules a SAM resource's name follows.
SAM_TYPES = {
    "AWS::Serverless::Function": "AWS::Lambda::Function",
    "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
}

# CloudFormation names an unnamed resource `<stack>-<LogicalId>-<random>`
# (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html:
# "If you don't specify a name, AWS CloudFormation generates a unique physical ID to name the
# resource"). The random part is 12 or 13 characters (13 is assumed: the longer case); when
# the whole exceeds the type's limit CloudFormation truncates the stack name and the logical
# id (e.g. `security-assistant-stagin-PreTrafficHookFunctionRol-<12>` for a 64-character IAM
# role name). How it splits the room is undocumented, so the project requires no truncation
# at all: then every generated name starts with `<stack>-`, which the execution roles match.
GENERATED_SUFFIX = 13


def generated_name(stack: str, logical_id: str) -> str:
    """The name CloudFormation gives an unnamed resource, with a stand-in random part."""
    return f"{stack}-{logical_id}-{'X' * GENERATED_SUFFIX}"


def generated_name_fits(stack: str, logical_id: str, limit: int) -> bool:
    return len(generated_name(stack, logical_id)) <= limit


class UnknownType(LookupError):
    """A resource type no provider schema describes (a typo, a third-party type)."""


@cache
def _cfn_lint_data() -> Path:
    """cfn-lint's package data directory, found without importing cfn-lint."""
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'cfnlint'", name="cfnlint")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def _schema_files() -> dict[str, str]:
    """Resource type -> its schema file's hash: the region's types and SAM's (cfn-lint's layout:
    schemas/providers/<region>.json and sam.json point into schemas/resources/<hash>.json)."""
    providers = _cfn_lint_data() / "schemas" / "providers"
    files = json.loads((providers / f"{REGION}.json").read_text())
    return {**files, **json.loads((providers / "sam.json").read_text())}


@cache
def schema(type_: str) -> dict:
    """The provider schema of `type_` in the project's region (cfn-lint's copy)."""
    if type_.startswith("Custom::"):  # every custom resource has the one schema
        type_ = "AWS::CloudFormation::CustomResource"
    digest = _schema_files().get(type_)
    if digest is None:
        raise UnknownType(f"no provider schema for {type_} in {REGION}")
    path = _cfn_lint_data() / "schemas" / "resources" / f"{digest}.json"
    return json.loads(path.read_text())


def handler_permissions(type_: str, handler: str) -> tuple[str, ...]:
    """The IAM actions CloudFormation's `handler` (create/read/update/delete) of `type_` calls."""
    handlers = schema(type_).get("handlers") or {}
    actions = (handlers.get(handler) or {}).get("permissions") or ()
    actions = [API_TO_IAM.get(a, a) for a in actions if a not in NOT_ACTIONS]
    return tuple(dict.fromkeys(actions))


@cache
def _iam_actions() -> dict:
    """cfn-lint's copy of the IAM Service Authorization Reference: service -> actions."""
    return json.loads((_cfn_lint_data() / "AdditionalSpecs" / "Policies.json").read_text())


def iam_action(action: str) -> dict | None:
    """What IAM knows of `service:Action` (its resource types), None if no such action."""
    service, _, name = action.partition(":")
    return (_iam_actions().get(service, {}).get("Actions") or {}).get(name.lower())


def resource_level(action: str) -> bool:
    """Whether IAM can authorize `action` on named resources (else only `Resource: "*"`)."""
    return bool((iam_action(action) or {}).get("Resources"))


def _paths(pointers) -> tuple[str, ...]:
    # "/properties/KeySchema" -> "KeySchema"; nested pointers keep their path with dots
    return tuple(p.removeprefix("/properties/").replace("/", ".") for p in pointers or ())


def create_only_properties(type_: str) -> tuple[str, ...]:
    """Properties whose change makes CloudFormation replace the resource."""
    if type_ in SAM_CREATE_ONLY:
        return SAM_CREATE_ONLY[type_]
    return _paths(schema(type_).get("createOnlyProperties"))


def primary_identifier(type_: str) -> tuple[str, ...]:
    return _paths(schema(type_).get("primaryIdentifier"))


def name_property(type_: str) -> str | None:
    """The property that names a resource: `<Type>Name` (BucketName), else a create-only `Name`."""
    type_ = SAM_TYPES.get(type_, type_)
    props = schema(type_).get("properties") or {}
    own = type_.rsplit("::", 1)[-1] + "Name"
    if own in props:
        return own
    return "Name" if "Name" in create_only_properties(type_) else None


def name_limit(type_: str) -> int | None:
    """The longest name the type accepts, or None when it has no name property."""
    type_ = SAM_TYPES.get(type_, type_)
    if type_ in NAME_LIMITS:
        return NAME_LIMITS[type_]
    prop = name_property(type_)
    if prop is None:
        return None
    return (schema(type_).get("properties") or {}).get(prop, {}).get("maxLength")


@cache
def stateful_types() -> frozenset[str]:
    """Types that hold data (cfn-lint's StatefulResources list, SAM's SimpleTable added)."""
    path = _cfn_lint_data() / "AdditionalSpecs" / "StatefulResources.json"
    types = json.loads(path.read_text())["ResourceTypes"]
    # SAM's table is a DynamoDB table once transformed; the list has CloudFormation types only.
    return frozenset(types) | {"AWS::Serverless::SimpleTable"}


def is_stateful(type_: str) -> bool:
    return type_ in stateful_types()


def committed() -> dict:
    """The facts the build path needs, as extracted by `python -m stacks facts`."""
    return json.loads(FACTS_FILE.read_text())
