"""Expand a SAM template into plain CloudFormation, offline, with aws-sam-translator.

What CloudFormation will really create (Lambda versions and aliases, the CodeDeploy
application and deployment groups, IAM roles) exists only after the Serverless transform;
the rules that inspect those resources run on this expanded form. No AWS call is made.
"""

from __future__ import annotations

import functools
import json
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
    """The CloudFormation template that the SAM transform makes of `template` (a copy of its
    own for each caller)."""
    # default=str: a YAML date (an unquoted 2010-09-09) is the string CloudFormation reads.
    # sort_keys: a generated template and the committed file read back (which orders its keys
    # differently) are the same template, expanded once.
    return json.loads(_expanded(json.dumps(template, default=str, sort_keys=True), region))


# A process expands the same template more than once: `stacks diff` prices both sides, which
# are equal for every unchanged environment, and `stacks cost` and the tests price the
# committed templates again. The translator takes about 0.1 s a template; a JSON round trip
# about 3 ms. 64 entries (a few MB): the test worker that lints excerpts and snippets keeps
# the committed templates' expansions too.
@functools.lru_cache(maxsize=64)
def _expanded(template_json: str, region: str) -> str:
    import logging

    from samtranslator.translator.transform import transform

    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # its feature-toggle chatter

    sam = json.loads(template_json)
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
        return json.dumps(transform(sam, {}, _NoManagedPolicies()))
    finally:
        if previous is None:
            os.environ.pop("AWS_DEFAULT_REGION", None)
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous
