"""Who may call the API: SigV4 on every route but GET /health, checked on the form that
CloudFormation deploys (the SAM translator's expansion), and the policy that grants calling it."""

from __future__ import annotations

import json

import pytest
from security_assistant.contract import PUBLIC_ROUTES

from stacks.expand import expand

# They expand templates: on the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")

# The OpenAPI form of the route table's public routes: only GET /health.
OPEN = {(method.lower(), path) for method, path in PUBLIC_ROUTES}
assert {("get", "/health")} == OPEN


@pytest.fixture(scope="module", params=["staging", "prod"])
def expanded(request, templates) -> tuple[str, dict]:
    return request.param, expand(templates[request.param])


def _operations(expanded_template: dict) -> dict[tuple[str, str], dict]:
    body = expanded_template["Resources"]["Api"]["Properties"]["Body"]
    return {
        (method, path): operation
        for path, item in body["paths"].items()
        for method, operation in item.items()
    }


def test_every_route_but_health_requires_sigv4(expanded):
    _, t = expanded
    body = t["Resources"]["Api"]["Properties"]["Body"]
    assert body["components"]["securitySchemes"]["AWS_IAM"]["x-amazon-apigateway-authtype"] == (
        "awsSigv4"
    )
    operations = _operations(t)
    assert set(operations) >= OPEN and len(operations) > len(OPEN)
    for route, operation in operations.items():
        expected = [{"NONE": []}] if route in OPEN else [{"AWS_IAM": []}]
        assert operation["security"] == expected, route
        # Not "arn:aws:iam::*:user/*" (SAM's CALLER_CREDENTIALS): callers need only the
        # invoke policy, not lambda:InvokeFunction as well.
        assert "credentials" not in operation["x-amazon-apigateway-integration"], route


def _rendered(template: str) -> dict:
    """A gateway response body as a client receives it (messageString is a quoted string)."""
    return json.loads(template.replace("$context.error.messageString", '"some error"'))


def test_gateway_responses_are_json_with_a_message(expanded):
    _, t = expanded
    body = t["Resources"]["Api"]["Properties"]["Body"]
    responses = body["x-amazon-apigateway-gateway-responses"]
    assert {"MISSING_AUTHENTICATION_TOKEN", "DEFAULT_4XX", "DEFAULT_5XX"} <= set(responses)
    for kind, response in responses.items():
        message = _rendered(response["responseTemplates"]["application/json"])["message"]
        assert isinstance(message, str) and message, kind
    # An unsigned request and an unknown route get the same response from API Gateway.
    missing = responses["MISSING_AUTHENTICATION_TOKEN"]
    assert missing["statusCode"] == "403"
    assert "SigV4" in _rendered(missing["responseTemplates"]["application/json"])["message"]


def _permitted_routes(expanded_template: dict) -> set[str]:
    """METHOD/path of each route API Gateway may invoke the function for (the translator's
    AWS::Lambda::Permission resources, one per API event)."""
    routes = set()
    for resource in expanded_template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Permission":
            arn, _ = resource["Properties"]["SourceArn"]["Fn::Sub"]
            routes.add(arn.split("${__Stage__}/", 1)[1])
    return routes


def test_invoke_policy_grants_exactly_the_authorized_routes_on_the_env_stage(expanded):
    env, t = expanded
    policy = t["Resources"]["ApiInvokePolicy"]["Properties"]
    assert policy["ManagedPolicyName"] == f"security-assistant-{env}-api-invoke"
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["execute-api:Invoke"]
    prefix = "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/"
    granted = set()
    for resource in statement["Resource"]:
        arn = resource["Fn::Sub"]
        assert arn.startswith(f"{prefix}{env}/"), arn
        granted.add(arn.removeprefix(f"{prefix}{env}/"))
    assert granted == _permitted_routes(t) - {"GET/health"}


def test_outputs_say_how_to_call_the_api(templates):
    for env in ("staging", "prod"):
        outputs = templates[env]["Outputs"]
        assert outputs["ApiInvokePolicyArn"]["Value"] == {"Ref": "ApiInvokePolicy"}
        assert "attach-role-policy" in outputs["ApiInvokePolicyArn"]["Description"]
        assert "SigV4" in outputs["ApiUrl"]["Description"]
        assert "security_assistant scan" in outputs["ApiUrl"]["Description"]
    assert "ApiInvokePolicyArn" not in templates["dev"]["Outputs"]
