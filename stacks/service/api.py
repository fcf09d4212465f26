"""The REST API in front of ApiFunction: one stage per environment, access logs, throttling,
IAM (SigV4) authorization on every route but the open ones, and the policy to call it."""

import json
import re

from security_assistant.contract import PUBLIC_ROUTES, Route
from troposphere import GetAtt, Sub, Template, apigateway, iam, logs, serverless

from stacks.config import EnvConfig
from stacks.sam import Api, GatewayResponse
from stacks.service.common import checkov_skip, retain_if

# One JSON line per request; no request bodies, so submitted secrets never reach the log.
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "caller": "$context.identity.userArn",
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

# API Gateway's own error bodies are JSON with a `message` (its default templates use
# $context.error.messageString, already a quoted JSON string), set here so that it stays true:
# https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
_ERROR_TEMPLATE = {"application/json": '{"message": $context.error.messageString}'}


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
            # SigV4 on every route (the contract's public routes opt out per event). InvokeRole
            # NONE: API Gateway invokes the function under its resource policy; SAM's default
            # (CALLER_CREDENTIALS) would need every caller to hold lambda:InvokeFunction too.
            Auth=serverless.Auth(DefaultAuthorizer="AWS_IAM", InvokeRole="NONE"),
            GatewayResponses={
                # API Gateway gives an unsigned request and a request for a method or path
                # that has no route the same response type, before any function runs.
                "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(
                    StatusCode="403",
                    ResponseTemplates={
                        "application/json": json.dumps(
                            {
                                "message": "Missing authentication: sign the request with "
                                "AWS SigV4 (service execute-api), or check the method and path"
                            }
                        )
                    },
                ),
                # Bad or expired signatures, denied callers, throttling: JSON like the API's.
                "DEFAULT_4XX": GatewayResponse(ResponseTemplates=_ERROR_TEMPLATE),
                "DEFAULT_5XX": GatewayResponse(ResponseTemplates=_ERROR_TEMPLATE),
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


def route_auth(route: Route) -> dict:
    """An API event's `Auth`: public routes opt out of the API's default IAM authorizer."""
    if route.public:
        return {"Auth": serverless.ApiFunctionAuth(Authorizer="NONE")}
    return {}


def _execute_api_arn(api: serverless.Api, stage: str, method: str, path: str) -> Sub:
    # arn:...:execute-api:region:account:api-id/stage/METHOD/path, path parameters as `*`:
    # https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
    resource = re.sub(r"\{[^}]+\}", "*", path)
    return Sub(
        "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
        f"${{{api.title}}}/{stage}/{method}{resource}"
    )


def invoke_policy(
    t: Template, cfg: EnvConfig, api: serverless.Api, function: serverless.Function
) -> iam.ManagedPolicy:
    """The managed policy that lets a role or user call the API's authorized routes
    (exactly the routes `function` serves through `api`, on this environment's stage)."""
    routes = sorted(
        (event.Method.upper(), event.Path)
        for event in function.Events.values()
        if isinstance(event, serverless.ApiEvent)
    )
    return t.add_resource(
        iam.ManagedPolicy(
            "ApiInvokePolicy",
            ManagedPolicyName=cfg.resource_name("api-invoke"),
            Description=f"Call the security-assistant {cfg.name} jobs API (SigV4-signed requests)",
            PolicyDocument={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "InvokeJobsApi",
                        "Effect": "Allow",
                        "Action": ["execute-api:Invoke"],
                        "Resource": [
                            _execute_api_arn(api, cfg.name, method, path)
                            for method, path in routes
                            if (method, path) not in PUBLIC_ROUTES
                        ],
                    }
                ],
            },
        )
    )
