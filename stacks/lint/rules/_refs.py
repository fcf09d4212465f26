"""Reading values of a decoded template: what a reference points at, lists, properties.

(Files named "_*" are skipped by cfn-lint's rule loader; the rules import them.)
"""

from __future__ import annotations

import re
from typing import Any


def properties(resource: Any) -> dict:
    """A resource's Properties, or {} when it has none (or not a mapping)."""
    props = resource.get("Properties") if isinstance(resource, dict) else None
    return props if isinstance(props, dict) else {}


def target(value: Any) -> str | None:
    """The logical id a Ref / GetAtt / single-variable Sub points at (else None)."""
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref" and isinstance(arg, str):
            return arg.split(".")[0]
        if fn == "Fn::GetAtt":
            if isinstance(arg, list) and arg and isinstance(arg[0], str):
                return arg[0]
            if isinstance(arg, str):
                return arg.split(".")[0]
        if fn == "Fn::Sub":
            text = arg[0] if isinstance(arg, list) and arg else arg
            if isinstance(text, str):
                found = re.findall(r"\$\{([A-Za-z0-9]+)[.}]", text)
                if len(set(found)) == 1:
                    return found[0]
    return None


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def resources(cfn, *types: str):
    """(logical id, resource, properties) of every resource of one of `types` (all if none)
    of a cfn-lint Template, as its `get_resources` finds them."""
    for rid, res in cfn.get_resources(list(types)).items():
        yield rid, res, properties(res)
