from cfnlint.rules import CloudFormationLintRule, RuleMatch
from security_assistant.contract import PUBLIC_ROUTES

from stacks.lint.rules._refs import resources

# OpenAPI operations API Gateway serves (x-amazon-apigateway-any-method is ANY).
_METHODS = {"get", "put", "post", "delete", "options", "head", "patch"}
_ANY = "x-amazon-apigateway-any-method"


def _sigv4_schemes(body: dict) -> set[str]:
    """Security schemes that are API Gateway's IAM authorization (OpenAPI 3 or Swagger 2)."""
    schemes = (body.get("components") or {}).get("securitySchemes") or body.get(
        "securityDefinitions"
    )
    return {
        name
        for name, scheme in (schemes or {}).items()
        if isinstance(scheme, dict) and scheme.get("x-amazon-apigateway-authtype") == "awsSigv4"
    }


def _is_signed(security, sigv4: set[str]) -> bool:
    # Every alternative of the requirement list must be SigV4: `NONE`, `{}` or an empty list
    # would let an unsigned request through.
    return (
        isinstance(security, list)
        and bool(security)
        and all(isinstance(r, dict) and r and set(r) <= sigv4 for r in security)
    )


class ApiAuthorization(CloudFormationLintRule):
    """Every route but the open ones requires a SigV4 signature (expanded form)."""

    id = "E9070"
    shortdesc = "API routes require IAM (SigV4) authorization, except the open ones"
    description = (
        "On the expanded form, every operation of every REST API definition (Body) requires a "
        "security scheme of type awsSigv4, unless it is a public route of the route table "
        "(security_assistant/contract.py: GET /health); every AWS::ApiGateway::Method has "
        "AuthorizationType "
        "AWS_IAM. An open route would let anyone submit text (billed to us) or read reports."
    )
    tags = ["resources", "apigateway", "iam", "security-assistant"]

    def match(self, cfn):
        if cfn.has_serverless_transform():
            return []
        matches = []
        for rid, _, props in resources(cfn, "AWS::ApiGateway::RestApi"):
            body = props.get("Body")
            if not isinstance(body, dict):
                continue
            sigv4 = _sigv4_schemes(body)
            default = body.get("security")
            for path, item in (body.get("paths") or {}).items():
                for method, operation in (item or {}).items():
                    if method not in _METHODS | {_ANY} or not isinstance(operation, dict):
                        continue
                    verb = "ANY" if method == _ANY else method.upper()
                    if (verb, path) in PUBLIC_ROUTES:
                        continue
                    if not _is_signed(operation.get("security", default), sigv4):
                        matches.append(
                            RuleMatch(
                                ["Resources", rid, "Properties", "Body", "paths", path, method],
                                f"{verb} {path} can be called without a SigV4 signature: give "
                                "the API `Auth: DefaultAuthorizer: AWS_IAM` and no "
                                "`Authorizer: NONE` on this event (or mark the route "
                                "public=True in security_assistant/contract.py if anyone may "
                                "call it)",
                            )
                        )
        for rid, _, props in resources(cfn, "AWS::ApiGateway::Method"):
            if props.get("HttpMethod") != "OPTIONS" and props.get("AuthorizationType") != "AWS_IAM":
                matches.append(
                    RuleMatch(
                        ["Resources", rid, "Properties"],
                        f"method {rid} has AuthorizationType "
                        f"{props.get('AuthorizationType', 'NONE')}; set AWS_IAM",
                    )
                )
        return matches
