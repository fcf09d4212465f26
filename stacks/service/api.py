"""The REST API in front of ApiFunction: one stage per environment, access logs, throttling."""

import json

from troposphere import GetAtt, Template, apigateway, logs, serverless

from stacks.config import EnvConfig
from stacks.service.common import checkov_skip

# One JSON line per request; no request bodies, so submitted secrets never reach the log.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "requestTime": "$context.requestTime",
        "httpMethod": "$context.httpMethod",
        "resourcePath": "$context.resourcePath",
        "status": "$context.status",
        "responseLength": "$context.responseLength",
        "integrationLatency": "$context.integration.latency",
        "integrationError": "$context.integration.error",
    },
    separators=(",", ":"),
)


def rest_api(t: Template, cfg: EnvConfig) -> serverless.Api:
    access_logs = t.add_resource(
        logs.LogGroup(
            "ApiAccessLogGroup",
            LogGroupName=f"/aws/apigateway/{cfg.resource_name('api')}/access",
            RetentionInDays=cfg.log_retention_days,
            **checkov_skip("CKV_AWS_158"),
        )
    )
    return t.add_resource(
        serverless.Api(
            "Api",
            Name=cfg.resource_name("api"),
            StageName=cfg.name,
            # 3.0.1 stops SAM from also creating the implicit "Stage" stage.
            OpenApiVersion="3.0.1",
            **checkov_skip("CKV_AWS_73", "CKV_AWS_120"),
            EndpointConfiguration=serverless.EndpointConfiguration(Type="REGIONAL"),
            AccessLogSetting=serverless.AccessLogSetting(
                DestinationArn=GetAtt(access_logs, "Arn"), Format=ACCESS_LOG_FORMAT
            ),
            MethodSettings=[
                apigateway.MethodSetting(
                    ResourcePath="/*",
                    HttpMethod="*",
                    ThrottlingRateLimit=cfg.throttle_rate_limit,
                    ThrottlingBurstLimit=cfg.throttle_burst_limit,
                )
            ],
        )
    )
