from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks import aws_facts
from stacks.lint.rules._refs import as_list, resources

# Actions AWS documents as not supporting resource-level permissions: `Resource: "*"` is the
# only possible value for them.
RESOURCE_STAR_ACTIONS = frozenset(
    {
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "cloudwatch:PutMetricData",
        "logs:DescribeLogGroups",
        "sqs:ListQueues",
        "s3:ListAllMyBuckets",
    }
)

# Condition keys that scope a `Resource: "*"` statement to specific resources, for actions
# whose resource cannot be named in advance (event source mappings are known by a UUID).
SCOPING_CONDITION_KEYS = frozenset({"lambda:FunctionArn"})


def _star_only(action: str) -> bool:
    """Listed above, or IAM (cfn-lint's copy of its reference) names no resource for it."""
    known = aws_facts.iam_action(action) is not None
    return action in RESOURCE_STAR_ACTIONS or (known and not aws_facts.resource_level(action))


def _scoped(statement) -> bool:
    condition = statement.get("Condition")
    if not isinstance(condition, dict):
        return False
    return any(
        isinstance(test, dict) and SCOPING_CONDITION_KEYS & set(test) for test in condition.values()
    )


def _documents(cfn):
    """(path to a policy document, the document) for every inline grant in the template."""
    if cfn.has_serverless_transform():
        for rid, _res, props in resources(cfn, "AWS::Serverless::Function"):
            for i, policy in enumerate(as_list(props.get("Policies"))):
                if isinstance(policy, dict) and "Statement" in policy:
                    yield ["Resources", rid, "Properties", "Policies", i], policy
    for rid, _res, props in resources(cfn, "AWS::IAM::Role"):
        for i, policy in enumerate(as_list(props.get("Policies"))):
            if isinstance(policy, dict) and isinstance(policy.get("PolicyDocument"), dict):
                path = ["Resources", rid, "Properties", "Policies", i, "PolicyDocument"]
                yield path, policy["PolicyDocument"]
    for rid, _res, props in resources(cfn, "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
        if isinstance(props.get("PolicyDocument"), dict):
            yield ["Resources", rid, "Properties", "PolicyDocument"], props["PolicyDocument"]


class IamWildcards(CloudFormationLintRule):
    """No IAM grant of every action, or of every resource where an ARN is possible."""

    id = "E9050"
    shortdesc = "No wildcard actions or resources in IAM grants"
    description = (
        "Allow statements in roles, policies and SAM function Policies name their actions "
        "(no '*', no 'service:*', no NotAction) and their resources (no '*' unless every action "
        "is one without resource-level permissions, such as xray:PutTraceSegments, or a "
        "Condition on lambda:FunctionArn scopes it)."
    )
    tags = ["resources", "iam", "security", "security-assistant"]

    def match(self, cfn):
        matches = []
        for path, document in _documents(cfn):
            statements = document.get("Statement")
            indexed = (
                list(enumerate(statements))
                if isinstance(statements, list)
                else [(None, statements)]
            )
            for i, st in indexed:
                if not isinstance(st, dict) or st.get("Effect") == "Deny":
                    continue
                spath = [*path, "Statement"] + ([i] if i is not None else [])
                name = st.get("Sid") or f"statement {i}"
                if "NotAction" in st:
                    matches.append(
                        RuleMatch(
                            [*spath, "NotAction"],
                            f"{name} allows NotAction: every action but a few; list the "
                            "actions the function needs under Action",
                        )
                    )
                actions = [a for a in as_list(st.get("Action")) if isinstance(a, str)]
                broad = [a for a in actions if a == "*" or a.endswith(":*")]
                if broad:
                    matches.append(
                        RuleMatch(
                            [*spath, "Action"],
                            f"{name} allows {', '.join(broad)}: every action of the service; "
                            "list the actions the function needs",
                        )
                    )
                resources_ = as_list(st.get("Resource"))
                if (
                    "*" in resources_
                    and not all(_star_only(a) for a in actions)
                    and not _scoped(st)
                ):
                    specific = [a for a in actions if not _star_only(a)]
                    matches.append(
                        RuleMatch(
                            [*spath, "Resource"],
                            f"{name} allows {', '.join(specific) or 'its actions'} on Resource "
                            "'*'; name the ARNs (e.g. !GetAtt Table.Arn) - '*' is only for "
                            "actions without resource-level permissions",
                        )
                    )
        return matches
