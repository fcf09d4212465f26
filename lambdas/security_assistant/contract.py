"""The contracts between this code and the templates that deploy it, written once.

`stacks/service/` builds the API's routes and each function's environment from these
tables, and `api.py` registers its routes from the same table, so API Gateway (which
answers unknown routes itself) and the resolver cannot disagree. Tests compare both sides
(tests/stacks/test_contract.py). Standard library only: `python -m stacks build` imports
this module and must stay light.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- routes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One API route. Per-route attributes (e.g. authorization) are added as fields here."""

    name: str  # the SAM Api event's logical name
    method: str
    path: str  # API Gateway's form: /jobs/{job_id}
    # Anyone may call it: no SigV4 in front, no caller identity, no owner. Every other route
    # is IAM-authorized by API Gateway and refused by the handler without an identity.
    public: bool = False

    @property
    def resolver_path(self) -> str:
        """The Powertools resolver's form of `path`: /jobs/<job_id>."""
        return re.sub(r"\{(\w+)\}", r"<\1>", self.path)


ROUTES: tuple[Route, ...] = (
    Route("SubmitJob", "POST", "/jobs"),
    Route("GetJob", "GET", "/jobs/{job_id}"),
    Route("GetReport", "GET", "/jobs/{job_id}/report"),
    Route("Health", "GET", "/health", public=True),  # the deploy smoke check reads it
)
ROUTES_BY_NAME: dict[str, Route] = {r.name: r for r in ROUTES}
PUBLIC_ROUTES = frozenset((r.method, r.path) for r in ROUTES if r.public)

# --- environment variables -------------------------------------------------------------

ENV = "ENV"  # environment name (dev, staging, prod); a metric dimension
STORAGE_MODE = "STORAGE_MODE"  # "aws" in Lambda, "local" (file system) otherwise
BUCKET_NAME = "BUCKET_NAME"
TABLE_NAME = "TABLE_NAME"
QUEUE_URL = "QUEUE_URL"  # unset: jobs are processed inline (local server)
MAX_CONTENT_BYTES = "MAX_CONTENT_BYTES"
MAX_RECEIVE_COUNT = "MAX_RECEIVE_COUNT"  # the queue's redrive maxReceiveCount
TARGET_FUNCTION_ARN = "TARGET_FUNCTION_ARN"  # the version the PreTraffic hook smoke-tests
# Read by Powertools itself (and by observability.py for the defaults below).
POWERTOOLS_SERVICE_NAME = "POWERTOOLS_SERVICE_NAME"
POWERTOOLS_METRICS_NAMESPACE = "POWERTOOLS_METRICS_NAMESPACE"
LOG_LEVEL = "LOG_LEVEL"
# Local only (python -m security_assistant serve, tests); never set by a template.
DATA_DIR = "DATA_DIR"
POWERTOOLS_METRICS_DISABLED = "POWERTOOLS_METRICS_DISABLED"
SECURITY_ASSISTANT_API_URL = "SECURITY_ASSISTANT_API_URL"  # the scan client's default --api

SERVICE_NAME = "security-assistant"
METRICS_NAMESPACE = "SecurityAssistant"

# What the template sets for each function (keys: the functions' handler modules).
_EVERY_FUNCTION = (LOG_LEVEL, POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE)
_SERVICE = (ENV, STORAGE_MODE, BUCKET_NAME, TABLE_NAME, MAX_CONTENT_BYTES)
FUNCTION_ENVIRONMENT: dict[str, tuple[str, ...]] = {
    "api": (*_SERVICE, QUEUE_URL, *_EVERY_FUNCTION),
    "worker": (*_SERVICE, MAX_RECEIVE_COUNT, *_EVERY_FUNCTION),
    "hooks": (TARGET_FUNCTION_ARN, *_EVERY_FUNCTION),
}
LOCAL_ONLY = frozenset({DATA_DIR, POWERTOOLS_METRICS_DISABLED, SECURITY_ASSISTANT_API_URL})
# Set by the Lambda runtime (or boto3's own settings), not by us.
RUNTIME = frozenset({"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL"})
DEPLOYED = frozenset(name for names in FUNCTION_ENVIRONMENT.values() for name in names)
