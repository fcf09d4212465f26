from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import resources


class QueueEncryption(CloudFormationLintRule):
    """Queues encrypt at rest."""

    id = "E9061"
    shortdesc = "Queues are encrypted"
    description = "Every SQS queue sets SqsManagedSseEnabled: true or a KmsMasterKeyId."
    tags = ["resources", "sqs", "security", "security-assistant"]

    def match(self, cfn):
        return [
            RuleMatch(
                ["Resources", rid, "Properties"],
                f"queue {rid} is not encrypted at rest; set SqsManagedSseEnabled: true (free) "
                "or KmsMasterKeyId",
            )
            for rid, _res, props in resources(cfn, "AWS::SQS::Queue")
            if props.get("SqsManagedSseEnabled") not in (True, "true")
            and not props.get("KmsMasterKeyId")
        ]
