RULE = "E9070"
API_AUTH = "      Auth:\n        DefaultAuthorizer: AWS_IAM\n        InvokeRole: NONE\n"
HEALTH_AUTH = "            Auth:\n              Authorizer: NONE\n            Method: GET\n"
SUBMIT = "          Properties:\n            Method: POST\n            Path: /jobs\n"
# The API and the function whose events make its routes: what the rule reads.
API = ("Api", "ApiFunction")


def test_silent_on_the_committed_templates(committed):
    assert committed(RULE) == []


def test_fires_on_every_route_but_health_of_an_api_without_iam_authorization(kit):
    text = kit.excerpt("prod", *API)
    assert API_AUTH in text and HEALTH_AUTH in text
    found = kit.lint(
        RULE, text.replace(API_AUTH, "").replace(HEALTH_AUTH, "            Method: GET\n")
    )
    messages = sorted(f.message.split(" can be called")[0] for f in found)
    assert messages == ["GET /jobs/{job_id}", "GET /jobs/{job_id}/report", "POST /jobs"]


def test_fires_on_one_route_opened_with_authorizer_none(kit):
    bad = kit.mutate(
        "staging",
        SUBMIT,
        "          Properties:\n            Auth:\n              Authorizer: NONE\n"
        "            Method: POST\n            Path: /jobs\n",
        keep=API,
    )
    [f] = kit.lint(RULE, bad)
    assert f.message.startswith("POST /jobs can be called without a SigV4 signature")
    assert f.line == kit.props_line(bad, "Api")  # the SAM resource the operation came from


def test_fires_on_a_method_resource_without_aws_iam(kit):
    method = (
        "  {id}:\n    Type: AWS::ApiGateway::Method\n    Properties:\n"
        "      HttpMethod: GET\n      AuthorizationType: {auth}\n      ResourceId: abc\n"
        "      RestApiId: def\n      Integration: {{Type: MOCK}}\n"
    )
    text = "Resources:\n" + method.format(id="Open", auth="NONE")
    text += method.format(id="Signed", auth="AWS_IAM")
    [f] = kit.lint(RULE, text, "staging")
    assert f.message == "method Open has AuthorizationType NONE; set AWS_IAM"
