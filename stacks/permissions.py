"""What each environment's CloudFormation execution role must be allowed to do.

Derived from the environment's expanded template (what CloudFormation really creates, SAM's
roles, versions and deployment groups included) and the provider schemas: the create, read,
update and delete handler permissions of every resource type the template contains, so that
deploys, rollbacks, drift checks and deletion all work. `bootstrap.py` scopes them to the
environment's names.

Some handler permissions are needed only when a property is set (a customer-managed KMS key,
a VPC, ...): they are left out while no resource of the type sets that property, so a template
that starts using it changes the derived permissions. A few are withheld on purpose.

`python -m stacks facts` writes the result to `stacks/aws_facts.json` (the build path reads
that file, so it needs neither cfn-lint nor the SAM translator); a test fails when it is stale.
"""

from __future__ import annotations

import fnmatch
import json
import sys

from stacks import aws_facts, config

# (resource type, action pattern) -> the properties (`A.B` when nested), any of which makes
# the handler call it.
ONLY_WITH: dict[tuple[str, str], tuple[str, ...]] = {
    ("AWS::Lambda::Function", "ec2:*"): ("VpcConfig",),
    ("AWS::Lambda::Function", "elasticfilesystem:*"): ("FileSystemConfigs",),
    ("AWS::Lambda::Function", "s3files:*"): ("FileSystemConfigs",),
    ("AWS::Lambda::Function", "kms:*"): ("KmsKeyArn",),
    ("AWS::Lambda::Function", "lambda:*CodeSigningConfig"): ("CodeSigningConfigArn",),
    ("AWS::Lambda::Function", "lambda:GetLayerVersion"): ("Layers",),
    ("AWS::Lambda::Function", "lambda:PassCapacityProvider"): ("CapacityProviderConfig",),
    ("AWS::Lambda::EventSourceMapping", "kms:*"): ("KmsKeyArn",),
    ("AWS::DynamoDB::Table", "kms:*"): ("SSESpecification",),
    ("AWS::DynamoDB::Table", "kinesis:*"): ("KinesisStreamSpecification",),
    ("AWS::DynamoDB::Table", "dynamodb:*Import*"): ("ImportSourceSpecification",),
    ("AWS::DynamoDB::Table", "s3:*"): ("ImportSourceSpecification",),
    ("AWS::DynamoDB::Table", "logs:*"): ("ImportSourceSpecification",),
    # Item reads and writes: the handler loads imported data; a stack never touches items.
    ("AWS::DynamoDB::Table", "dynamodb:*Item"): ("ImportSourceSpecification",),
    ("AWS::DynamoDB::Table", "dynamodb:Scan"): ("ImportSourceSpecification",),
    ("AWS::DynamoDB::Table", "dynamodb:Query"): ("ImportSourceSpecification",),
    ("AWS::DynamoDB::Table", "dynamodb:*ResourcePolicy"): ("ResourcePolicy",),
    ("AWS::S3::Bucket", "s3tables:*"): ("MetadataTableConfiguration", "MetadataConfiguration"),
    ("AWS::S3::Bucket", "iam:PassRole"): ("ReplicationConfiguration",),
    # Audit findings of a data protection policy go to S3, Firehose or another log group.
    ("AWS::Logs::LogGroup", "firehose:*"): ("DataProtectionPolicy",),
    ("AWS::Logs::LogGroup", "logs:CreateLogDelivery"): ("DataProtectionPolicy",),
    ("AWS::Logs::LogGroup", "logs:PutIndexPolicy"): ("FieldIndexPolicies",),
    ("AWS::Logs::LogGroup", "logs:DeleteIndexPolicy"): ("FieldIndexPolicies",),
    ("AWS::Logs::LogGroup", "logs:*ResourcePolic*"): ("ResourcePolicyDocument",),
    ("AWS::Logs::LogGroup", "logs:*KmsKey"): ("KmsKeyId",),
    ("AWS::SNS::Topic", "iam:*"): ("DeliveryStatusLogging",),
    ("AWS::ApiGateway::RestApi", "s3:GetObject"): ("BodyS3Location",),
    ("AWS::ApiGateway::Method", "iam:PassRole"): ("Integration.Credentials",),
    ("AWS::SNS::Subscription", "iam:*"): ("SubscriptionRoleArn",),
    ("AWS::Budgets::Budget", "billing:*"): ("Budget.BillingViewArn",),
    # A managed policy is attached through these properties; the invoke policy is attached
    # to no one by the template (people attach it), so the role never attaches or detaches.
    ("AWS::IAM::ManagedPolicy", "iam:Attach*"): ("Roles", "Users", "Groups"),
    ("AWS::IAM::ManagedPolicy", "iam:Detach*"): ("Roles", "Users", "Groups"),
}

# Handler permissions the execution role does not get, whatever the template says.
WITHHELD: dict[str, str] = {
    "iam:DeleteRolePermissionsBoundary": "every role the stacks create keeps the boundary",
    "iam:CreateServiceLinkedRole": "service-linked roles are account-wide, not the stack's",
    "dynamodb:CreateTableReplica": "replicas belong to AWS::DynamoDB::GlobalTable",
    "dynamodb:AssociateTableReplica": "replicas belong to AWS::DynamoDB::GlobalTable",
    "codedeploy:RegisterOnPremisesInstance": "Lambda deployment groups have no instances",
    "lambda:AssociateRuntimeAlias": "no property of AWS::Lambda::Function sets a runtime alias",
    # The REST API passes no role: API Gateway's CloudWatch role is the account setting the
    # bootstrap template makes (AWS::ApiGateway::Account).
    "iam:PassRole@AWS::ApiGateway::RestApi": "the REST API passes no role",
}


# Named resources of the bootstrap template, whose names the build checks too.
BOOTSTRAP_TYPES = ("AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::S3::Bucket")


def _withheld(type_: str, action: str) -> bool:
    return action in WITHHELD or f"{action}@{type_}" in WITHHELD


def _gate(type_: str, action: str) -> tuple[str, ...] | None:
    for (gated_type, pattern), props in ONLY_WITH.items():
        if gated_type == type_ and fnmatch.fnmatchcase(action, pattern):
            return props
    return None


def _paths(props: dict) -> set[str]:
    """The properties set, and their sub-properties one level down (`Integration.Credentials`)."""
    paths = set(props)
    for key, value in props.items():
        if isinstance(value, dict):
            paths |= {f"{key}.{sub}" for sub in value}
    return paths


def handler_actions(type_: str) -> list[str]:
    """Every create/read/update/delete handler permission of `type_`, once each."""
    actions: dict[str, None] = {}
    for handler in aws_facts.HANDLERS:
        actions |= dict.fromkeys(aws_facts.handler_permissions(type_, handler))
    return sorted(actions)


def needed(template: dict) -> dict[str, list[str]]:
    """Per resource type of an expanded template, the actions its execution role needs."""
    by_type: dict[str, list[dict]] = {}
    for resource in template.get("Resources", {}).values():
        by_type.setdefault(resource["Type"], []).append(resource.get("Properties") or {})
    result = {}
    for type_, props in sorted(by_type.items()):
        used = {p for resource in props for p in _paths(resource)}
        result[type_] = [
            a
            for a in handler_actions(type_)
            if not _withheld(type_, a) and (_gate(type_, a) is None or used & set(_gate(type_, a)))
        ]
    return result


def expanded(env: str) -> dict:
    from stacks.expand import expand
    from stacks.service import service_template

    return expand(service_template(config.get(env)).to_dict())


def extract() -> dict:
    """The content of `stacks/aws_facts.json`."""
    from stacks.service import service_template

    templates = {env: expanded(env) for env in config.ENVIRONMENTS}
    sam = [service_template(cfg).to_dict() for cfg in config.ENVIRONMENTS.values()]
    types = {r["Type"] for t in [*templates.values(), *sam] for r in t["Resources"].values()}
    types |= set(BOOTSTRAP_TYPES)
    names = {t: (aws_facts.name_property(t), aws_facts.name_limit(t)) for t in sorted(types)}
    execution = {env: needed(t) for env, t in templates.items()}
    actions = {a for types in execution.values() for acts in types.values() for a in acts}
    unknown = sorted(a for a in actions if aws_facts.iam_action(a) is None)
    if unknown:  # a schema naming an API operation instead of its IAM action
        raise ValueError(
            f"the handlers list {', '.join(unknown)}, which IAM does not know: map or drop "
            "them in API_TO_IAM/NOT_ACTIONS (stacks/aws_facts.py), or withhold them here"
        )
    return {
        "about": "Generated by `python -m stacks facts` from cfn-lint's provider schemas.",
        # The property that names each type, and the longest name it accepts.
        "names": {t: {"property": p, "limit": n} for t, (p, n) in names.items() if p and n},
        "execution_permissions": execution,
        # IAM authorizes these on no particular resource: only `Resource: "*"` grants them.
        "unscoped_actions": sorted(a for a in actions if not aws_facts.resource_level(a)),
    }


def render() -> str:
    return json.dumps(extract(), indent=1, sort_keys=True) + "\n"


# `python -m stacks facts`
def add_parser(sub) -> None:
    p = sub.add_parser(
        "facts",
        help="regenerate stacks/aws_facts.json (execution role permissions, name limits)",
        description="Extract from the provider schemas the AWS facts the build path needs.",
    )
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    p.set_defaults(func=run)


def run(args) -> int:
    rendered = render()
    current = aws_facts.FACTS_FILE.read_text() if aws_facts.FACTS_FILE.exists() else ""
    if rendered == current:
        print("stacks/aws_facts.json is current", file=sys.stderr)
        return 0
    if args.check:
        print("stacks/aws_facts.json is stale: run `python -m stacks facts`", file=sys.stderr)
        return 1
    aws_facts.FACTS_FILE.write_text(rendered)
    print("wrote stacks/aws_facts.json; now run `python -m stacks build`", file=sys.stderr)
    return 0
