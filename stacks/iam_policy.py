"""A small IAM policy evaluator: does a set of statements allow an action on a resource?

Enough to prove what the generated roles may do, and to tell a broadened policy from a
narrowed one in `stacks diff`: Allow and Deny statements, `Action`/`Resource` with IAM's
`*` and `?` wildcards (actions case-insensitively), an explicit Deny winning. `NotAction`
and `NotResource` are honoured. Conditions are not evaluated (they depend on the request):
an Allow with a condition counts as allowing, a Deny with one as not denying, so results
answer "may this ever be allowed" (the tests check the conditions themselves).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any


@cache
def _pattern(glob: str, ignore_case: bool) -> re.Pattern:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob)
    return re.compile(f"^{body}$", re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _matches(globs: Any, value: str, ignore_case: bool) -> bool:
    return any(
        isinstance(g, str) and _pattern(g, ignore_case).match(value) for g in _as_list(globs)
    )


def applies(statement: dict, action: str, resource: str) -> bool:
    if "Action" in statement:
        hit = _matches(statement["Action"], action, True)
    else:
        hit = not _matches(statement.get("NotAction", []), action, True)
    if not hit:
        return False
    if "Resource" in statement:
        return _matches(statement["Resource"], resource, False)
    return not _matches(statement.get("NotResource", []), resource, False)


def allows(statements: Iterable[dict], action: str, resource: str) -> bool:
    statements = list(statements)
    denied = any(
        s.get("Effect") == "Deny" and "Condition" not in s and applies(s, action, resource)
        for s in statements
    )
    return not denied and any(
        s.get("Effect") == "Allow" and applies(s, action, resource) for s in statements
    )


def statements_of(document: dict) -> list[dict]:
    return _as_list((document or {}).get("Statement") or [])
