"""Expand a SAM template into plain CloudFormation, offline, with aws-sam-translator.

What CloudFormation will really create (Lambda versions and aliases, the CodeDeploy
application and deployment groups, IAM roles) exists only after the Serverless transform;
the rules that inspect those resources run on this expanded form. No AWS call is made.
"""

from __future__ import annotations

import functools
import json
from typing import Any

# Placeholders for what `sam package` would fill in; the translator needs s3:// locations.
_CODE_URI = "s3://security-assistant-sam-deployments/offline-expansion.zip"
_DEFINITION_URI = "s3://security-assistant-sam-deployments/offline-expansion.yaml"


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

    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
    from samtranslator.utils.py27hash_fix import (
        to_py27_compatible_template,
        undo_mark_unicode_str_in_template,
    )

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
    # What samtranslator.translator.transform.transform does, with a session for the region
    # made once: the translator takes the region and partition from a boto3 session, and would
    # make a new one for each template (about 10 ms). No managed-policy lookup: the templates
    # name policy ARNs directly.
    parameters: dict[str, Any] = {}
    to_py27_compatible_template(sam, parameters)
    translator = Translator(None, Parser(), boto_session=_session(region))
    translated = translator.translate(sam, parameters, get_managed_policy_map=dict)
    return json.dumps(undo_mark_unicode_str_in_template(translated))


@functools.cache
def _session(region: str) -> Any:
    import boto3

    return boto3.session.Session(region_name=region)
