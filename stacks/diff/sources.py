"""Where the two sides of a diff come from: a file, a git revision, the code, a deployed stack.

Every loader returns a `Side` (a label and the template as a plain dict with long-form
intrinsics) or raises `SourceError` with a message for the user (exit code 2).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stacks import safe_yaml
from stacks.config import PROJECT, REGION
from stacks.templates import ROOT, TARGETS, Target


class SourceError(Exception):
    """A side of the diff cannot be loaded: missing file, not a template, bad ref..."""


@dataclass(frozen=True)
class Side:
    label: str
    template: dict[str, Any]
    note: str | None = None


# --- parsing ---------------------------------------------------------------------------


class _Loader(safe_yaml.LOADER):
    """YAML (or JSON) with CloudFormation's short-form tags read as their long forms."""


def _construct_tag(loader: _Loader, suffix: str, node: yaml.Node):
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "Ref":
        return {"Ref": value}
    if suffix == "Condition":
        return {"Condition": value}
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {f"Fn::{suffix}": value}


_Loader.add_multi_constructor("!", _construct_tag)


def parse(text: str, label: str) -> dict[str, Any]:
    try:
        safe_yaml.check_text(text, label)  # size, nesting, alias expansion: before loading
    except safe_yaml.UnsafeInputError as exc:
        raise SourceError(str(exc)) from None
    try:
        doc = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise SourceError(f"{label}: not YAML or JSON: {exc}") from None
    return check_template(doc, label)


def check_template(doc: Any, label: str) -> dict[str, Any]:
    if not isinstance(doc, dict) or not isinstance(doc.get("Resources"), dict):
        raise SourceError(f"{label}: not a CloudFormation template (no Resources mapping)")
    return doc


def empty(label: str, note: str) -> Side:
    return Side(label, {"Resources": {}}, note)


# --- sources ---------------------------------------------------------------------------


def target(env: str) -> Target:
    try:
        return TARGETS[env]
    except KeyError:
        raise SourceError(
            f"unknown environment {env!r}; choose from {', '.join(TARGETS)}"
        ) from None


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _read(path: str | Path, label: str) -> str:
    try:
        return safe_yaml.read_text(path, label)
    except safe_yaml.UnsafeInputError as exc:
        raise SourceError(str(exc)) from None


def file(path: str | Path) -> Side:
    text = _read(path, str(path))
    return Side(str(path), parse(text, str(path)))


def committed(env: str) -> Side:
    t = target(env)
    if not t.path.exists():
        return empty(f"{_rel(t.path)} (committed)", "not committed yet")
    text = _read(t.path, _rel(t.path))
    return Side(f"{_rel(t.path)} (committed)", parse(text, _rel(t.path)))


def generated(env: str) -> Side:
    t = target(env)
    # Through the same YAML as the committed file, so both sides read alike.
    return Side(f"`{t.command}` (generated)", parse(t.render(), f"generated {env}"))


def _git(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    except FileNotFoundError:
        raise SourceError("git is not installed") from None


def at_revision(ref: str, env: str) -> Side:
    t = target(env)
    if (
        ref.startswith("-")
        or _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode
    ):
        raise SourceError(f"{ref!r} is not a git revision of this repository")
    rel = _rel(t.path)
    label = f"{rel} at {ref}"
    shown = _git("show", f"{ref}:{rel}")
    if shown.returncode:
        # A template that is new in this change: everything in it is added.
        return empty(label, f"absent at {ref}")
    return Side(label, parse(shown.stdout, label))


def stack_name(env: str) -> str:
    target(env)
    return f"{PROJECT}-{env}"


def deployed(env: str, client: Any = None) -> Side:
    """The stack's template as submitted (`Original`: before the SAM transform)."""
    name = stack_name(env)
    label = f"stack {name} (deployed)"
    if client is None:
        import boto3  # lazy: only --deployed talks to AWS

        client = boto3.client("cloudformation", region_name=REGION)
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        body = client.get_template(StackName=name, TemplateStage="Original")["TemplateBody"]
    except ClientError as exc:
        error = exc.response.get("Error", {})
        if "does not exist" in error.get("Message", ""):
            raise SourceError(f"stack {name} does not exist in {REGION}") from None
        raise SourceError(f"cannot read stack {name}: {error.get('Message', exc)}") from None
    except BotoCoreError as exc:  # no credentials, no network...
        raise SourceError(f"cannot read stack {name}: {exc}") from None
    # botocore hands JSON bodies back already decoded, YAML bodies as text.
    template = check_template(body, label) if isinstance(body, dict) else parse(body, label)
    return Side(label, template)


ARTIFACT_PROPERTIES = ("CodeUri", "ContentUri", "DefinitionUri", "Code", "TemplateURL")


def ignore_artifact_locations(deployed_template: dict, local: dict) -> dict:
    """`local` with the deployed artifact locations where it names local paths.

    `sam deploy` uploads code and replaces `CodeUri: ../../lambdas` with an S3 location; that
    is packaging, not a change. (Code changes are not visible in a template diff either way.)
    """
    deployed_resources = deployed_template.get("Resources") or {}
    resources = {}
    for name, resource in (local.get("Resources") or {}).items():
        props = dict(resource.get("Properties") or {})
        remote = (deployed_resources.get(name) or {}).get("Properties") or {}
        for key in ARTIFACT_PROPERTIES:
            if (
                isinstance(props.get(key), str)
                and not props[key].startswith("s3://")
                and key in remote
            ):
                props[key] = remote[key]
        resources[name] = (
            {**resource, "Properties": props} if "Properties" in resource else resource
        )
    return {**local, "Resources": resources}
