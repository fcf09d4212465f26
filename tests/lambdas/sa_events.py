"""Builders for realistic Lambda events (security_assistant tests); the context stand-in is
`security_assistant.offline.LambdaContext`, re-exported as FakeContext."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from security_assistant.offline import LambdaContext as FakeContext  # noqa: F401 (re-export)

REGION = "eu-west-2"
ACCOUNT = "123456789012"
# A well-formed job id for parametrized tests (a random one would change the test ids).
FIXED_JOB_ID = "0b5e8a52-5b1e-4c5e-9f0e-3d2a1c4b6e7f"


# Callers as API Gateway's IAM authorization reports them (requestContext.identity.userArn).
ROLE_SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/security-assistant-ci/GitHubActions-1"
ROLE = f"arn:aws:sts::{ACCOUNT}:assumed-role/security-assistant-ci"  # the job owner
OTHER_USER = f"arn:aws:iam::{ACCOUNT}:user/mallory"


def iam_identity(caller: str | None) -> dict[str, Any]:
    """`requestContext.identity` of a SigV4-authorized request (all keys API Gateway sends)."""
    identity: dict[str, Any] = {
        "cognitoIdentityPoolId": None,
        "accountId": None,
        "cognitoIdentityId": None,
        "caller": None,
        "sourceIp": "203.0.113.10",
        "principalOrgId": None,
        "accessKey": None,
        "cognitoAuthenticationType": None,
        "cognitoAuthenticationProvider": None,
        "userArn": None,
        "userAgent": "pytest",
        "user": None,
    }
    if caller is not None:
        unique_id = "AROAEXAMPLEROLEID" if ":assumed-role/" in caller else "AIDAEXAMPLEUSERID"
        session = caller.rsplit("/", 1)[1]
        identity |= {
            "accountId": ACCOUNT,
            "caller": f"{unique_id}:{session}" if unique_id.startswith("AROA") else unique_id,
            "accessKey": "ASIAEXAMPLEACCESSKEY",
            "userArn": caller,
            "user": f"{unique_id}:{session}" if unique_id.startswith("AROA") else unique_id,
        }
    return identity


def api_event(
    method: str,
    path: str,
    *,
    body: str | bytes | dict | None = None,
    headers: dict[str, str] | None = None,
    stage: str = "staging",
    base64_body: bool = False,
    path_parameters: dict[str, str] | None = None,
    resource: str | None = None,
    caller: str | None = ROLE_SESSION,
) -> dict[str, Any]:
    """An API Gateway REST API proxy-integration event, as API Gateway sends it behind IAM
    authorization for `caller` (a user or assumed-role ARN; None: no identity)."""
    if isinstance(body, dict):
        body = json.dumps(body)
        headers = {"Content-Type": "application/json", **(headers or {})}
    if isinstance(body, bytes) or base64_body:
        raw = body if isinstance(body, bytes) else (body or "").encode()
        body, is_b64 = base64.b64encode(raw).decode(), True
    else:
        is_b64 = False
    headers = {
        "Accept": "*/*",
        "Host": "abc123.execute-api.eu-west-2.amazonaws.com",
        "User-Agent": "pytest",
        "X-Forwarded-Proto": "https",
        **(headers or {}),
    }
    request_id = str(uuid.uuid4())
    return {
        "resource": resource or path,
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {k: [v] for k, v in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": path_parameters,
        "stageVariables": None,
        "requestContext": {
            "accountId": ACCOUNT,
            "apiId": "abc123",
            "resourceId": "res123",
            "resourcePath": resource or path,
            "httpMethod": method,
            "path": f"/{stage}{path}",
            "stage": stage,
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": "01/Jan/2026:00:00:00 +0000",
            "requestTimeEpoch": 1767225600000,
            "identity": iam_identity(caller),
            "domainName": "abc123.execute-api.eu-west-2.amazonaws.com",
        },
        "body": body,
        "isBase64Encoded": is_b64,
    }


def post_job(
    content: Any = None, *, name: Any = None, headers=None, caller=ROLE_SESSION, **body_fields
) -> dict:
    payload: dict[str, Any] = dict(body_fields)
    if content is not None:
        payload["content"] = content
    if name is not None:
        payload["name"] = name
    return api_event("POST", "/jobs", body=payload, headers=headers, caller=caller)


def sqs_record(
    body: str | dict,
    *,
    receive_count: int = 1,
    message_id: str | None = None,
    correlation_id: str | None = None,
    queue: str = "security-assistant-staging-jobs",
) -> dict[str, Any]:
    if isinstance(body, dict):
        body = json.dumps(body)
    attributes = {}
    if correlation_id:
        attributes["correlation_id"] = {
            "stringValue": correlation_id,
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": "String",
        }
    return {
        "messageId": message_id or str(uuid.uuid4()),
        "receiptHandle": "AQEB" + uuid.uuid4().hex,
        "body": body,
        "attributes": {
            "ApproximateReceiveCount": str(receive_count),
            "SentTimestamp": "1767225600000",
            "SenderId": "AIDAEXAMPLE",
            "ApproximateFirstReceiveTimestamp": "1767225600001",
        },
        "messageAttributes": attributes,
        "md5OfBody": "0" * 32,
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{queue}",
        "awsRegion": REGION,
    }


def sqs_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def response_json(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


# Real-looking secrets (documentation/test values) used to check that no full value leaks.
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
PASSWORD = "Tr0ub4dor&3-horse-battery"
PRIVATE_KEY_BODY = "MIIEowIBAAKCAQEAwJ3uvbExampleExampleExampleKeyMaterialXyZ0123456789"
SECRET_CONTENT = (
    "# deploy settings\n"
    f"aws_access_key_id = {AWS_KEY_ID}\n"
    "region = eu-west-2\n"
    f'db_password = "{PASSWORD}"\n'
    "-----BEGIN RSA PRIVATE KEY-----\n"
    f"{PRIVATE_KEY_BODY}\n"
    "-----END RSA PRIVATE KEY-----\n"
)
SECRET_VALUES = (AWS_KEY_ID, PASSWORD, PRIVATE_KEY_BODY)


def header(response: dict[str, Any], name: str) -> str | None:
    """A response header, whether the resolver answered in headers or multiValueHeaders."""
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return ", ".join(values)
    return None


# serve_forever() arguments for test servers: shutdown() waits up to one poll interval
# (0.5 s by default), paid by every test that starts a server.
STOP_QUICKLY = {"poll_interval": 0.05}
