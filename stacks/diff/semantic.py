"""Compare two CloudFormation/SAM templates resource by resource.

The result says what a reviewer needs from a template diff: which resources are added,
removed or modified (with the property paths that changed, old -> new), and warnings for the
changes that matter most: CloudFormation replacing a resource (any change to a create-only
property of its provider schema, via `stacks.aws_facts`), deleting one that holds data, and
changes to who may do what (IAM), statement by statement, marking those that broaden.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stacks import aws_facts, iam_policy
from stacks.render import TOP_ORDER


class _Missing:
    def __repr__(self) -> str:
        return "(absent)"


MISSING: Any = _Missing()


_TABLES = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable")


# Resources that are permissions, and properties that carry permissions on other resources.
PERMISSION_TYPES = frozenset(
    {
        "AWS::Lambda::Permission",
        "AWS::S3::BucketPolicy",
        "AWS::SNS::TopicPolicy",
        "AWS::SQS::QueuePolicy",
        "AWS::KMS::Key",
    }
)
PERMISSION_PROPERTIES = (
    "AssumeRolePolicyDocument",
    "ManagedPolicyArns",
    "PermissionsBoundary",
    "Policies",
    "PolicyDocument",
    "Role",
)


# Most serious first: data lost, then who may do what.
WARNING_ORDER = ("replacement", "deletion", "iam")


@dataclass(frozen=True)
class Change:
    """One property path whose value differs; MISSING when absent on that side."""

    path: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Warning_:
    kind: str  # "replacement" | "deletion" | "iam"
    logical_id: str
    message: str


@dataclass(frozen=True)
class Entry:
    """One resource (or output, parameter...) that differs between the two templates."""

    section: str
    logical_id: str
    status: str  # "added" | "removed" | "modified"
    type: str | None = None
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class TemplateDiff:
    name: str  # environment, or a label for two files
    old_label: str
    new_label: str
    entries: tuple[Entry, ...] = ()
    warnings: tuple[Warning_, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def equal(self) -> bool:
        return not self.entries

    def count(self, status: str) -> int:
        return sum(1 for e in self.entries if e.status == status)


def compare(
    old: dict,
    new: dict,
    name: str = "",
    old_label: str = "old",
    new_label: str = "new",
    notes: tuple[str, ...] = (),
) -> TemplateDiff:
    entries = tuple(_entries(old, new))
    return TemplateDiff(
        name=name,
        old_label=old_label,
        new_label=new_label,
        entries=entries,
        warnings=tuple(
            sorted(
                _warnings(old.get("Resources") or {}, new.get("Resources") or {}, entries),
                key=lambda w: (WARNING_ORDER.index(w.kind), w.logical_id),
            )
        ),
        notes=notes,
    )


def _section_key(section: str) -> tuple[int, str]:
    # the order sections are rendered in; sections not listed come after, by name
    return (TOP_ORDER.index(section) if section in TOP_ORDER else len(TOP_ORDER), section)


def _entries(old: dict, new: dict) -> Iterator[Entry]:
    for section in sorted(set(old) | set(new), key=_section_key):
        a, b = old.get(section, MISSING), new.get(section, MISSING)
        if a == b:
            continue
        keyed = isinstance(a, dict | _Missing) and isinstance(b, dict | _Missing)
        if not keyed or section in ("Metadata", "Globals"):
            # A scalar section (Description, Transform...) or one read as a whole.
            yield Entry("Template", section, _status(a, b), None, tuple(diff_values(a, b)))
            continue
        a = {} if a is MISSING else a
        b = {} if b is MISSING else b
        for key in sorted(set(a) | set(b)):
            x, y = a.get(key, MISSING), b.get(key, MISSING)
            if x == y:
                continue
            type_ = _type(y) or _type(x) if section == "Resources" else None
            changes = () if MISSING in (x, y) else tuple(diff_values(x, y))
            yield Entry(section, key, _status(x, y), type_, changes)


def _status(old: Any, new: Any) -> str:
    if old is MISSING:
        return "added"
    if new is MISSING:
        return "removed"
    return "modified"


def _type(resource: Any) -> str | None:
    return resource.get("Type") if isinstance(resource, dict) else None


def diff_values(old: Any, new: Any, path: str = "") -> Iterator[Change]:
    """Leaf-level differences; lists of different length are reported as a whole."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict) and not _intrinsic(old, new):
        for key in sorted(set(old) | set(new)):
            yield from diff_values(
                old.get(key, MISSING), new.get(key, MISSING), f"{path}.{key}" if path else key
            )
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (x, y) in enumerate(zip(old, new, strict=True)):
            yield from diff_values(x, y, f"{path}[{i}]")
    else:
        yield Change(path, old, new)


def _intrinsic(old: dict, new: dict) -> bool:
    """`!Ref A` -> `!GetAtt B.Arn` reads better whole than as two half-changes."""

    def fn(d: dict) -> str | None:
        if len(d) == 1:
            (key,) = d
            if key == "Ref" or key.startswith("Fn::"):
                return key
        return None

    return fn(old) is not None and fn(old) != fn(new)


def _touches(changes: tuple[Change, ...], prop: str) -> bool:
    p = f"Properties.{prop}"
    return any(
        c.path == p or c.path.startswith((p + ".", p + "[")) or c.path == "Properties"
        for c in changes
    )


def _key_attribute_types(resource: dict) -> dict[str, str]:
    props = resource.get("Properties") or {}
    keys = {k.get("AttributeName") for k in props.get("KeySchema") or [] if isinstance(k, dict)}
    return {
        d.get("AttributeName"): d.get("AttributeType")
        for d in props.get("AttributeDefinitions") or []
        if isinstance(d, dict) and d.get("AttributeName") in keys
    }


def _retained(resource: dict, policy: str) -> bool:
    """Whether CloudFormation keeps the resource on deletion or on replacement (`policy`)."""
    return resource.get(policy) in ("Retain", "RetainExceptOnCreate", "Snapshot")


def _is_permission(resource: dict) -> bool:
    type_ = _type(resource) or ""
    props = resource.get("Properties") or {}
    return (
        type_.startswith("AWS::IAM::")
        or type_ in PERMISSION_TYPES
        or any(p in props for p in PERMISSION_PROPERTIES)
    )


def _warnings(old: dict, new: dict, entries: tuple[Entry, ...]) -> Iterator[Warning_]:
    resources = [e for e in entries if e.section == "Resources"]
    added = [e for e in resources if e.status == "added"]
    for e in resources:
        a, b = old.get(e.logical_id, {}), new.get(e.logical_id, {})
        if e.status == "modified":
            yield from _replacements(e, a, b)
            if _is_permission(a) or _is_permission(b):
                yield from _permission_changes(e, a, b)
        elif _is_permission(a or b):
            yield Warning_(
                "iam",
                e.logical_id,
                f"`{e.logical_id}` ({e.type}): permissions {e.status}",
            )
        if e.status == "removed" and e.type and aws_facts.is_stateful(e.type):
            renamed = [x.logical_id for x in added if x.type == e.type]
            fate = (
                "is removed from the stack but kept (DeletionPolicy)"
                if _retained(a, "DeletionPolicy")
                else "is DELETED with its data"
            )
            hint = (
                f"; if it was renamed to {', '.join(f'`{r}`' for r in renamed)}, a logical-id "
                "rename is a delete + create, not a move"
                if renamed
                else ""
            )
            yield Warning_("deletion", e.logical_id, f"`{e.logical_id}` ({e.type}) {fate}{hint}")


# What the provider schemas leave out of createOnlyProperties although CloudFormation's
# reference says "Update requires: Replacement" (the handlers reject the update instead).
CREATE_ONLY_PATCHES = {
    "AWS::DynamoDB::Table": ("KeySchema", "LocalSecondaryIndexes"),
}


def replacing_properties(type_: str) -> tuple[str, ...]:
    """Properties whose change replaces a resource of `type_` (dotted paths when nested)."""
    return aws_facts.create_only_properties(type_) + CREATE_ONLY_PATCHES.get(type_, ())


def _replacements(e: Entry, a: dict, b: dict) -> Iterator[Warning_]:
    if _type(a) != _type(b):
        yield Warning_(
            "replacement",
            e.logical_id,
            f"`{e.logical_id}`: type {_type(a)} -> {_type(b)}: CloudFormation replaces it",
        )
        return
    try:
        replacing = replacing_properties(e.type)
    except aws_facts.UnknownType:  # a type the schemas do not know (a typo, a third party's)
        return
    reasons = [p for p in replacing if _touches(e.changes, p)]
    if e.type in _TABLES and _key_attribute_types(a) != _key_attribute_types(b):
        reasons.append("AttributeDefinitions (key attributes)")
    if not reasons:
        return
    stateful = aws_facts.is_stateful(e.type)
    name = aws_facts.name_property(e.type)
    if name and name in (b.get("Properties") or {}) and name not in reasons:
        # CloudFormation creates the new resource before deleting the old one.
        outcome = f"the update FAILS: a resource with a fixed {name} cannot be replaced"
    elif not stateful:
        outcome = "a new one is created, then the old one deleted (it holds no data)"
    elif _retained(a, "UpdateReplacePolicy"):
        outcome = "the old one and its data are kept apart (UpdateReplacePolicy)"
    else:
        outcome = "the old one is DELETED with its data"
    kind = "stateful" if stateful else "stateless"
    yield Warning_(
        "replacement",
        e.logical_id,
        f"`{e.logical_id}` ({e.type}, {kind}) will be REPLACED because {', '.join(reasons)} "
        f"changed: {outcome}",
    )


def _documents(props: dict) -> dict[str, dict]:
    """The policy documents of a resource's properties, by where they are."""
    docs = {k: props[k] for k in ("AssumeRolePolicyDocument", "PolicyDocument") if k in props}
    policies = props.get("Policies")
    for i, p in enumerate(policies if isinstance(policies, list) else []):
        if isinstance(p, dict) and isinstance(p.get("PolicyDocument"), dict):
            docs[f"Policies[{i}]"] = p["PolicyDocument"]
        elif isinstance(p, dict) and "Statement" in p:  # SAM: documents inline
            docs[f"Policies[{i}]"] = p
    return {k: d for k, d in docs.items() if isinstance(d, dict)}


def _plain(statement: dict) -> dict:
    """A statement with intrinsics shown as text, so the evaluator can compare them."""

    def text(v):
        return [text(x) for x in v] if isinstance(v, list) else v if isinstance(v, str) else show(v)

    return {k: (text(v) if k != "Condition" else v) for k, v in statement.items()}


def _grants(statement: dict) -> list[tuple[str, str]]:
    actions = statement.get("Action", statement.get("NotAction", []))
    targets = statement.get("Resource", statement.get("NotResource"))
    if targets is None:  # a trust policy: who may assume the role
        targets = show(statement.get("Principal", MISSING))
    return [(a, r) for a in _listed(actions) for r in _listed(targets)]


def _listed(value) -> list[str]:
    return [
        v if isinstance(v, str) else show(v)
        for v in (value if isinstance(value, list) else [value])
    ]


def _label(statement: dict, index: int) -> str:
    return f"`{statement['Sid']}`" if statement.get("Sid") else f"#{index}"


def _permission_changes(e: Entry, a: dict, b: dict) -> Iterator[Warning_]:
    """One warning per policy statement added, removed or changed, marking broadened ones."""
    old_docs = _documents(a.get("Properties") or {})
    new_docs = _documents(b.get("Properties") or {})
    other = [
        c.path
        for c in e.changes
        if _touches((c,), "Role")
        or _touches((c,), "ManagedPolicyArns")
        or _touches((c,), "PermissionsBoundary")
    ]
    if other:
        yield Warning_(
            "iam",
            e.logical_id,
            f"`{e.logical_id}` ({e.type}): permissions change at "
            + ", ".join(f"`{p}`" for p in other),
        )
    for where in sorted(set(old_docs) | set(new_docs)):
        old = [_plain(s) for s in iam_policy.statements_of(old_docs.get(where, {}))]
        new = [_plain(s) for s in iam_policy.statements_of(new_docs.get(where, {}))]
        if old == new:
            continue
        keyed_old = {s.get("Sid") or i: s for i, s in enumerate(old)}
        keyed_new = {s.get("Sid") or i: s for i, s in enumerate(new)}
        for key in [k for k in keyed_new if keyed_new[k] != keyed_old.get(k)] + [
            k for k in keyed_old if k not in keyed_new
        ]:
            before, after = keyed_old.get(key), keyed_new.get(key)
            index = key if isinstance(key, int) else 0
            label = _label(after or before, index)
            head = f"`{e.logical_id}` ({e.type}) {where} statement {label}"
            if after is None:
                effect = before.get("Effect")
                verdict = "BROADENED: a Deny is gone" if effect == "Deny" else "narrowed"
                yield Warning_("iam", e.logical_id, f"{head} removed ({verdict})")
                continue
            what = "added" if before is None else "changed"
            yield Warning_("iam", e.logical_id, f"{head} {what}: {_verdict(after, old)}")


def _targeted(statement: dict) -> dict:
    """A trust policy's statement with its Principal in the place of a Resource."""
    if "Resource" in statement or "NotResource" in statement:
        return statement
    return {**statement, "Resource": show(statement.get("Principal", MISSING))}


def _verdict(statement: dict, old: list[dict]) -> str:
    if statement.get("Effect") == "Deny":
        return "a Deny (narrows)"
    before = [_targeted(s) for s in old]
    wider = [
        f"{action} on {target}"
        for action, target in _grants(statement)
        if not iam_policy.allows(before, action, target)
    ]
    if not wider:
        return "allows nothing new"
    shown = ", ".join(wider[:5]) + (f" and {len(wider) - 5} more" if len(wider) > 5 else "")
    return f"BROADENED: now allows {shown}"


def show(value: Any, limit: int = 160) -> str:
    """A value in one line: short-form intrinsics, compact JSON, cut at `limit` characters."""
    if value is MISSING:
        return "(absent)"
    if isinstance(value, dict) and len(value) == 1:
        ((key, inner),) = value.items()
        if key == "Ref" and isinstance(inner, str):
            return f"!Ref {inner}"
        if (
            key == "Fn::GetAtt"
            and isinstance(inner, list)
            and all(isinstance(v, str) for v in inner)
        ):
            return f"!GetAtt {'.'.join(inner)}"
        if key.startswith("Fn::") and isinstance(inner, str):
            return f"!{key[4:]} {inner}"
    if isinstance(value, str):
        text = value[: limit + 1]
    else:
        # Only as much JSON as is shown: a huge value costs no more than a small one.
        text = ""
        for chunk in _ENCODER.iterencode(value):
            text += chunk
            if len(text) > limit:
                break
    return text if len(text) <= limit else text[: limit - 1] + "…"


# sort_keys for a stable order; the pure-Python iterencode (not one-shot) is lazy.
_ENCODER = json.JSONEncoder(sort_keys=True, default=str)
