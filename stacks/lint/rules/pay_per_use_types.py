from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import resources

# Serverless, pay-per-use resource types (and the plumbing that costs nothing by itself).
# Anything else (EC2 instances, NAT gateways, RDS, ElastiCache, KMS keys, dashboards...)
# bills by the hour or month whether or not anyone uses the service.
ALLOWED_TYPES = frozenset(
    {
        "AWS::Serverless::Function",
        "AWS::Serverless::Api",
        "AWS::Serverless::HttpApi",
        "AWS::Serverless::SimpleTable",
        "AWS::Serverless::StateMachine",
        "AWS::Serverless::LayerVersion",
        "AWS::Lambda::Function",
        "AWS::Lambda::Version",
        "AWS::Lambda::Alias",
        "AWS::Lambda::Permission",
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::EventInvokeConfig",
        "AWS::Lambda::LayerVersion",
        "AWS::Lambda::Url",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGateway::Deployment",
        "AWS::ApiGateway::Stage",
        "AWS::ApiGateway::Resource",
        "AWS::ApiGateway::Method",
        "AWS::ApiGateway::Authorizer",
        "AWS::ApiGateway::GatewayResponse",
        "AWS::ApiGateway::Model",
        "AWS::ApiGateway::RequestValidator",
        "AWS::ApiGateway::UsagePlan",
        "AWS::ApiGateway::UsagePlanKey",
        "AWS::ApiGateway::ApiKey",
        "AWS::ApiGateway::BasePathMapping",
        "AWS::ApiGateway::DomainName",
        "AWS::ApiGatewayV2::Api",
        "AWS::ApiGatewayV2::Stage",
        "AWS::ApiGatewayV2::Route",
        "AWS::ApiGatewayV2::Integration",
        "AWS::ApiGatewayV2::Deployment",
        "AWS::ApiGatewayV2::Authorizer",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::DynamoDB::Table",
        "AWS::SQS::Queue",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::Topic",
        "AWS::SNS::TopicPolicy",
        "AWS::SNS::Subscription",
        "AWS::CloudWatch::Alarm",
        "AWS::CloudWatch::CompositeAlarm",
        "AWS::Logs::LogGroup",
        "AWS::Logs::MetricFilter",
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::ManagedPolicy",
        "AWS::CodeDeploy::Application",
        "AWS::CodeDeploy::DeploymentGroup",
        "AWS::Events::Rule",
        "AWS::Scheduler::Schedule",
        "AWS::StepFunctions::StateMachine",
        "AWS::SSM::Parameter",
        "AWS::ApiGateway::Account",  # an account setting (the CloudWatch role), free
        "AWS::IAM::OIDCProvider",  # GitHub's OIDC identity provider for deployments, free
        "AWS::Budgets::Budget",  # notification-only budgets are free (usage type BudgetsUsage)
    }
)


class PayPerUseTypes(CloudFormationLintRule):
    """Only serverless, pay-per-use resource types."""

    id = "E9001"
    shortdesc = "Only pay-per-use resource types"
    description = (
        "The design document allows pay-per-use resources only: every resource type must be "
        "on the project's allow-list of serverless types (no EC2, NAT gateway, RDS...)."
    )
    tags = ["resources", "cost", "security-assistant"]

    def match(self, cfn):
        matches = []
        for rid, res, _props in resources(cfn):
            rtype = res.get("Type")
            if isinstance(rtype, str) and rtype not in ALLOWED_TYPES:
                matches.append(
                    RuleMatch(
                        ["Resources", rid, "Type"],
                        f"{rid} is of type {rtype}, which is not a pay-per-use serverless type; "
                        "use a serverless equivalent (Lambda, DynamoDB on demand, S3, SQS) or "
                        "add the type to ALLOWED_TYPES in stacks/lint/rules/pay_per_use_types.py "
                        "with the reason it bills only per use",
                    )
                )
        return matches
