"""Which resources a template value points at, through CloudFormation's intrinsic functions."""

from __future__ import annotations

import re
from typing import Any

_SUB_VARIABLE = re.compile(r"\$\{([^}!]+)\}")  # ${Name} or ${Name.Attr}; not ${!literal}


def referenced(value: Any) -> set[str]:
    """Logical ids (or parameters, pseudo parameters) named by Ref, Fn::GetAtt or Fn::Sub
    anywhere inside `value`."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, arg in value.items():
            if key == "Ref" and isinstance(arg, str):
                found.add(arg.split(".")[0])  # SAM's "Function.Alias" form
            elif key == "Fn::GetAtt":
                name = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(name, str):
                    found.add(name.split(".")[0])
            elif key == "Fn::Sub":
                text = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(text, str):
                    found |= {m.split(".")[0] for m in _SUB_VARIABLE.findall(text)}
                found |= referenced(arg[1] if isinstance(arg, list) and len(arg) > 1 else None)
            else:
                found |= referenced(arg)
    elif isinstance(value, list):
        for item in value:
            found |= referenced(item)
    return found
