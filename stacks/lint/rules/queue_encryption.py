from stacks.lint.rules._keywords import PropertiesSchemaRule


class QueueEncryption(PropertiesSchemaRule):
    """Queues encrypt at rest.

    A keyword rule: two properties of the queue itself decide it.
    """

    id = "E9061"
    shortdesc = "Queues are encrypted"
    description = "Every SQS queue sets SqsManagedSseEnabled: true or a KmsMasterKeyId."
    tags = ["resources", "sqs", "security", "security-assistant"]
    resource_types = ("AWS::SQS::Queue",)
    schema_ = {
        "anyOf": [
            {"required": ["KmsMasterKeyId"]},
            {
                "required": ["SqsManagedSseEnabled"],
                "properties": {"SqsManagedSseEnabled": {"enum": [True, "true"]}},
            },
        ]
    }
    problem = "queue {} is not encrypted at rest"
    fix = "set SqsManagedSseEnabled: true (free) or KmsMasterKeyId"
