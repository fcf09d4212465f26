"""The project's rules as one cfn-lint plugin module, for `.cfnlintrc`'s `append_rules`.

cfn-lint imports a plugin file by its path, in whatever Python runs it: ours, an editor's,
or the SAM CLI's own (`sam validate --lint` reads `.cfnlintrc` too), where this repository
is not installed. So this file puts the repository (and `lambdas/`) on `sys.path` first, then
exposes every rule class of `stacks/lint/rules/`; cfn-lint instantiates each rule class it
finds here.
"""

import importlib
import pkgutil
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[3]
# The repository (stacks) and the Lambda package (security_assistant: the route table), after
# everything else: an installed copy still wins.
for _path in (str(_ROOT), str(_ROOT / "lambdas")):
    if _path not in sys.path:
        sys.path.append(_path)

from cfnlint.rules import CloudFormationLintRule  # noqa: E402

import stacks.lint.rules as _rules  # noqa: E402


def _rule_classes() -> dict[str, type]:
    found = {}
    for module in pkgutil.iter_modules(_rules.__path__):
        if module.name.startswith("_"):
            continue
        name = f"{_rules.__name__}.{module.name}"
        for attr, value in vars(importlib.import_module(name)).items():
            # Only the rule classes defined there (not the bases they import) with an id.
            is_rule = isinstance(value, type) and issubclass(value, CloudFormationLintRule)
            if is_rule and value.__module__ == name and value.id:
                found[attr] = value
    return found


# Module-level names are what cfn-lint scans: one per rule class, nothing else of that kind.
globals().update(_rule_classes())
