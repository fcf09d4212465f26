"""The REST API in front of ApiFunction: one stage per environment, access logs, throttling."""

import json

from troposphere import GetAtt, Template, apigateway, logs, serverless

from stacks.config import EnvConfig
from stacks.sam import Api, GatewayResponse
from stacks.service.common import checkov_skip, retain_if

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
            **retain_if(cfg.retain_stateful),  # prod keeps its logs when the stack goes
        )
    )
    return t.add_resource(
        Api(
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
            # A path or method with no route is the client's mistake: answer it like the
            # function answers an unknown route (JSON 404) instead of API Gateway's 403
            # "Missing Authentication Token", and without invoking (and paying for) a function.
            GatewayResponses={
                "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(
                    StatusCode="404",
                    ResponseTemplates={"application/json": '{"message": "Not found"}'},
                )
            },
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
