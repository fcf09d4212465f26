from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import resources


class OnDemandTables(CloudFormationLintRule):
    """DynamoDB tables bill per request."""

    id = "E9002"
    shortdesc = "DynamoDB tables are on demand"
    description = (
        "Every DynamoDB table sets BillingMode: PAY_PER_REQUEST (no provisioned capacity)."
    )
    tags = ["resources", "dynamodb", "cost", "security-assistant"]

    def match(self, cfn):
        matches = []
        for rid, _res, props in resources(
            cfn, "AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"
        ):
            mode = props.get("BillingMode")
            if mode != "PAY_PER_REQUEST":
                path = ["Resources", rid, "Properties"] + (["BillingMode"] if mode else [])
                matches.append(
                    RuleMatch(
                        path,
                        f"table {rid} has BillingMode {mode or 'PROVISIONED (the default)'}; "
                        "set BillingMode: PAY_PER_REQUEST",
                    )
                )
        for rid, _res, props in resources(cfn, "AWS::Serverless::SimpleTable"):
            if "ProvisionedThroughput" in props:
                matches.append(
                    RuleMatch(
                        ["Resources", rid, "Properties", "ProvisionedThroughput"],
                        f"table {rid} has ProvisionedThroughput; remove it (on demand)",
                    )
                )
        return matches
