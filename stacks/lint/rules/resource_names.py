from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.config import PROJECT
from stacks.lint.rules._environment import EnvironmentRule
from stacks.lint.rules._refs import resources

# The property holding each named type's name, and whether the name is required.
NAME_PROPERTIES = {
    "AWS::S3::Bucket": ("BucketName", True),
    "AWS::DynamoDB::Table": ("TableName", True),
    "AWS::SQS::Queue": ("QueueName", True),
    "AWS::SNS::Topic": ("TopicName", True),
    "AWS::CloudWatch::Alarm": ("AlarmName", True),
    "AWS::Serverless::Function": ("FunctionName", True),
    "AWS::Lambda::Function": ("FunctionName", True),
    "AWS::Serverless::Api": ("Name", False),
    "AWS::ApiGateway::RestApi": ("Name", False),
    "AWS::Logs::LogGroup": ("LogGroupName", True),
    "AWS::IAM::Role": ("RoleName", False),
    "AWS::Serverless::StateMachine": ("Name", False),
    "AWS::StepFunctions::StateMachine": ("StateMachineName", False),
}


def allowed_prefixes(env: str) -> tuple[str, ...]:
    base = f"{PROJECT}-{env}-"
    return (
        base,
        f"CodeDeployHook_{base}",  # CodeDeploy may invoke only CodeDeployHook_* functions
        f"/aws/lambda/{base}",
        f"/aws/lambda/CodeDeployHook_{base}",
        f"/aws/apigateway/{base}",
    )


class ResourceNames(EnvironmentRule, CloudFormationLintRule):
    """Names follow security-assistant-<env>-..."""

    id = "E9040"
    shortdesc = "Resource names follow security-assistant-<env>-..."
    description = (
        "Named resources (buckets, tables, queues, topics, alarms, functions, log groups, APIs) "
        "are called security-assistant-<env>-<what> (hooks CodeDeployHook_security-assistant-"
        "<env>-..., log groups /aws/lambda/<function> or /aws/apigateway/<api>/...)."
    )
    tags = ["resources", "naming", "security-assistant"]

    def match_environment(self, cfn, env):
        # Account-level templates (bootstrap) name no environment: security-assistant-...
        prefixes = allowed_prefixes(env.name) if env else (f"{PROJECT}-",)
        matches = []
        for rid, res, props in resources(cfn, *NAME_PROPERTIES):
            prop, required = NAME_PROPERTIES[res["Type"]]
            name = props.get(prop)
            path = ["Resources", rid, "Properties"]
            if name is None:
                if required:
                    matches.append(
                        RuleMatch(
                            path,
                            f"{rid} has no {prop}; name it {prefixes[0]}<what> so it is "
                            "recognisable in the console and in cost reports",
                        )
                    )
                continue
            if isinstance(name, str) and not name.startswith(prefixes):
                matches.append(
                    RuleMatch(
                        [*path, prop],
                        f"{rid}'s {prop} {name!r} does not follow the naming scheme; "
                        f"call it {prefixes[0]}<what>",
                    )
                )
        return matches
