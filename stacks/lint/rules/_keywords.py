"""Base of the project's keyword rules: a check on one resource's properties, as a JSON schema.

cfn-lint validates every resource's properties against its provider schema and, at each
`Resources/<type>/Properties`, hands them to the rules whose `keywords` name that place
(through E1101). A keyword rule sees the properties as cfn-lint resolves them: each branch of
an `Fn::If` separately, `Ref: AWS::NoValue` removed. A rule that compares resources with each
other stays a template rule (`match(cfn)`).
"""

from __future__ import annotations

from typing import Any

from cfnlint.jsonschema import ValidationError
from cfnlint.rules.jsonschema.CfnLintJsonSchema import CfnLintJsonSchema


class PropertiesSchemaRule(CfnLintJsonSchema):
    """Subclasses set `resource_types`, `schema_` (a JSON schema of the Properties object),
    `problem` (with {} for the logical id) and `fix`: the message says both."""

    resource_types: tuple[str, ...] = ()
    schema_: dict[str, Any] = {}
    problem: str = "{}"
    fix: str = ""

    def __init__(self) -> None:
        super().__init__(keywords=[f"Resources/{t}/Properties" for t in self.resource_types])
        self._schema = self.schema_
        self._use_schema_arg = False

    def _iter_errors(self, validator, instance):
        path = validator.context.path.path  # Resources, <logical id>, Properties
        where = path[1] if len(path) > 1 else "resource"
        for err in super()._iter_errors(validator, instance):
            err.message = f"{self.problem.format(where)}; {self.fix}"
            yield err

    def message(self, instance: Any, err: ValidationError) -> str:
        return self.shortdesc
