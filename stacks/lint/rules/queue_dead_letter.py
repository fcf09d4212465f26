from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import resources, target


class QueueDeadLetter(CloudFormationLintRule):
    """Queues that feed functions have a dead-letter queue."""

    id = "E9062"
    shortdesc = "Queues feeding functions have a DLQ"
    description = (
        "Every SQS queue that triggers a function (SAM SQS event or AWS::Lambda::"
        "EventSourceMapping) has a RedrivePolicy with a deadLetterTargetArn, so a poison "
        "message ends in the DLQ (and its alarm) instead of being retried until it expires."
    )
    tags = ["resources", "sqs", "lambda", "security-assistant"]

    def match(self, cfn):
        feeding: dict[str, list] = {}
        for rid, _res, props in resources(cfn, "AWS::Serverless::Function"):
            for name, event in (props.get("Events") or {}).items():
                if isinstance(event, dict) and event.get("Type") == "SQS":
                    queue = target((event.get("Properties") or {}).get("Queue"))
                    if queue:
                        path = ["Resources", rid, "Properties", "Events", name]
                        feeding.setdefault(queue, path)
        for rid, _res, props in resources(cfn, "AWS::Lambda::EventSourceMapping"):
            queue = target(props.get("EventSourceArn"))
            if queue:
                feeding.setdefault(queue, ["Resources", rid])
        all_resources = cfn.get_resources()
        matches = []
        for queue, path in feeding.items():
            res = all_resources.get(queue)
            if not isinstance(res, dict) or res.get("Type") != "AWS::SQS::Queue":
                continue
            redrive = (res.get("Properties") or {}).get("RedrivePolicy")
            if not isinstance(redrive, dict) or not redrive.get("deadLetterTargetArn"):
                matches.append(
                    RuleMatch(
                        ["Resources", queue, "Properties"],
                        f"queue {queue} feeds a function (see line of {path[1]}) but has no "
                        "dead-letter queue; set RedrivePolicy with deadLetterTargetArn and "
                        "maxReceiveCount",
                    )
                )
        return matches
