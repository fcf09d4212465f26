from stacks.lint.rules._keywords import PropertiesSchemaRule


class OnDemandTables(PropertiesSchemaRule):
    """DynamoDB tables bill per request.

    A keyword rule: the table's own BillingMode decides it, whatever else the template holds.
    """

    id = "E9002"
    shortdesc = "DynamoDB tables are on demand"
    description = (
        "Every DynamoDB table sets BillingMode: PAY_PER_REQUEST (no provisioned capacity); a "
        "SAM SimpleTable sets no ProvisionedThroughput."
    )
    tags = ["resources", "dynamodb", "cost", "security-assistant"]
    resource_types = (
        "AWS::DynamoDB::Table",
        "AWS::DynamoDB::GlobalTable",
        "AWS::Serverless::SimpleTable",
    )
    schema_ = {
        "if": {"required": ["KeySchema"]},  # Table / GlobalTable, not SimpleTable
        "then": {
            "required": ["BillingMode"],
            "properties": {"BillingMode": {"const": "PAY_PER_REQUEST"}},
        },
        "else": {"not": {"required": ["ProvisionedThroughput"]}},  # SimpleTable: none given
    }
    problem = "table {} does not bill per request"
    fix = (
        "set BillingMode: PAY_PER_REQUEST (the default is PROVISIONED); a SimpleTable takes "
        "no ProvisionedThroughput"
    )
