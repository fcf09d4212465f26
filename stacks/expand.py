"""Expand a SAM template into plain CloudFormation, offline, with aws-sam-translator.

What CloudFormation will really create (Lambda versions and aliases, the CodeDeploy
application and deployment groups, IAM roles) exists only after the Serverless transform;
the rules that inspect those resources run on this expanded form. No AWS call is made.
"""

from __future__ import annotations

import copy
import os
from typing import Any

# Placeholders for what `sam package` would fill in; the translator needs s3:// locations.
_CODE_URI = "s3://security-assistant-sam-deployments/offline-expansion.zip"
_DEFINITION_URI = "s3://security-assistant-sam-deployments/offline-expansion.yaml"


class _NoManagedPolicies:
    """The translator's policy loader asks IAM for managed policy ARNs; we name ARNs directly."""

    def load(self) -> dict[str, str]:
        return {}


def expand(template: dict[str, Any], region: str = "eu-west-2") -> dict[str, Any]:
    """The CloudFormation template that the SAM transform makes of `template`."""
    import logging

    from samtranslator.translator.transform import transform

    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # its feature-toggle chatter

    sam = copy.deepcopy(template)
    for resource in sam.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        if resource.get("Type") in ("AWS::Serverless::Function", "AWS::Serverless::LayerVersion"):
            for key in ("CodeUri", "ContentUri"):
                if isinstance(props.get(key), str) and not props[key].startswith("s3://"):
                    props[key] = _CODE_URI
        is_api = resource.get("Type") in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
        if is_api and isinstance(props.get("DefinitionUri"), str):
            props["DefinitionUri"] = _DEFINITION_URI
    # The translator reads the partition and region from boto3's default session.
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = region
    try:
        return transform(sam, {}, _NoManagedPolicies())
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
