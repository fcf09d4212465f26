"""Who is calling: the principal API Gateway's IAM authorization puts in the request context.

A job belongs to the principal that submitted it. For a role that is the role, not one
session of it: CI jobs and Lambda functions get a new session name on every run, and must
still see the jobs their role submitted.

Which routes need a caller at all is the route table's ``public`` attribute (contract.py).
"""

from __future__ import annotations

import re
from typing import Any

# Local `serve` has no API Gateway in front: every request acts for this one principal.
LOCAL_PRINCIPAL = "local"

# arn:<partition>:sts::<account>:assumed-role/<role>/<session>
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
_ASSUMED_ROLE = re.compile(r"(arn:[\w-]+:sts::\d{12}:assumed-role/[\w+=,.@-]+)/[\w+=,.@-]+")


def principal(event: dict[str, Any]) -> str | None:
    """The caller of a REST proxy event: the IAM user or role (an assumed role without its
    session name), or None when API Gateway authenticated no one."""
    context = event.get("requestContext")
    identity = context.get("identity") if isinstance(context, dict) else None
    arn = identity.get("userArn") if isinstance(identity, dict) else None
    if not isinstance(arn, str) or not arn.strip():
        return None
    session = _ASSUMED_ROLE.fullmatch(arn)
    return session.group(1) if session else arn
