"""Two memo caches that make linting many templates in one process cheaper.

Profiling `python -m stacks lint` showed two repeated costs in cfn-lint 1.58's JSON-schema
validation, paid again for every resource of every template:

* `cfnlint.jsonschema.validators.create` builds a new dataclass *class* each time a rule
  extends a validator (~0.7 ms each, ~500 times per run): cached by the validators,
  function filter settings and resolvers it is built from. The class is stateless; instances
  are still created per validation.
* `RefResolver.resolve_fragment` scans the whole resource schema breadth-first for an `$id`
  before walking a `#/definitions/...` pointer: cached per (schema object, fragment). The
  provider schemas are loaded once and never mutated.

Both caches only return what the original function returned for the same input; the test
`tests/lint/test_runner.py` checks that findings with and without them are identical. They
are installed only by `stacks.lint.runner.Linter`, never on import.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    import cfnlint.jsonschema.validators as validators
    from cfnlint.schema.resolver import _resolver

    original_create = validators.create
    classes: dict[Any, Any] = {}

    @wraps(original_create)
    def create(validators=None, function_filter=None, fn_resolvers=None):
        try:
            key = (
                tuple((validators or {}).items()),
                _filter_key(function_filter),
                tuple((fn_resolvers or {}).items()),
            )
            cls = classes.get(key)
        except TypeError:  # something unhashable: do not cache
            return original_create(validators, function_filter, fn_resolvers)
        if cls is None:
            cls = classes[key] = original_create(validators, function_filter, fn_resolvers)
        return cls

    original_fragment = _resolver.RefResolver.resolve_fragment
    fragments: dict[tuple[int, str], tuple[Any, Any]] = {}

    @wraps(original_fragment)
    def resolve_fragment(self, document, fragment):
        key = (id(document), fragment)
        hit = fragments.get(key)
        if hit is not None and hit[0] is document:  # same object, not a recycled id
            return hit[1]
        result = original_fragment(self, document, fragment)
        fragments[key] = (document, result)
        return result

    validators.create = create
    _resolver.RefResolver.resolve_fragment = resolve_fragment
    _installed = True


def _filter_key(function_filter: Any) -> Any:
    if function_filter is None:
        return None
    return (
        type(function_filter),
        tuple(
            sorted(
                (k, tuple(v) if isinstance(v, list) else v)
                for k, v in vars(function_filter).items()
            )
        ),
    )
