"""Typed SAM properties that troposphere 4.11 does not model yet.

Subclasses of troposphere's own classes, so they validate like the rest of the template
instead of being raw dicts that no one checks.
"""

from troposphere import AWSProperty, serverless
from troposphere.validators import boolean, integer


class ScalingConfig(AWSProperty):
    props = {"MaximumConcurrency": (integer, False)}


class SQSEvent(serverless.SQSEvent):
    """SAM's SQS event with partial batch responses and a concurrency cap."""

    props = {
        **serverless.SQSEvent.props,
        "BatchSize": (integer, False),
        "Enabled": (boolean, False),
        "FunctionResponseTypes": ([str], False),
        "MaximumBatchingWindowInSeconds": (integer, False),
        "ScalingConfig": (ScalingConfig, False),
    }

    def validate(self):
        for value in self.properties.get("FunctionResponseTypes", []):
            if value != "ReportBatchItemFailures":
                raise ValueError(f"FunctionResponseTypes: unknown value {value!r}")


class GatewayResponse(AWSProperty):
    """What API Gateway answers itself, without calling a function, for one response type."""

    props = {
        "ResponseParameters": (dict, False),
        "ResponseTemplates": (dict, False),
        "StatusCode": (str, False),
    }


class Api(serverless.Api):
    """SAM's REST API with GatewayResponses (a mapping of response type to GatewayResponse)."""

    props = {**serverless.Api.props, "GatewayResponses": (dict, False)}

    def validate(self):
        super().validate()
        for kind, response in self.properties.get("GatewayResponses", {}).items():
            if not isinstance(response, GatewayResponse):
                raise ValueError(f"GatewayResponses.{kind} must be a GatewayResponse")


class DeploymentPreference(serverless.DeploymentPreference):
    """SAM's DeploymentPreference with the properties added after troposphere's model."""

    props = {
        **serverless.DeploymentPreference.props,
        "PassthroughCondition": (boolean, False),
        "TriggerConfigurations": (list, False),
    }
