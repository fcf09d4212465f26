"""Names that fit: every name a template sets, and every name CloudFormation generates.

A name longer than its type allows fails the deploy; a generated name that CloudFormation
truncates (`security-assistant-stagin-PreTrafficHookFunctionRol-...`) no longer starts with
the stack name, so the execution role's `security-assistant-<env>-*` patterns miss it and the
create is denied. Checked when a template is built (`python -m stacks build`) and by the lint
rule E9042, from the limits in `stacks/aws_facts.json`.
"""

from __future__ import annotations

from stacks import aws_facts


def problems(template: dict, stack: str) -> list[tuple[str, str]]:
    """(logical id, what is wrong) for every name in `template` that does not fit."""
    names = aws_facts.committed()["names"]
    found = []
    for lid, resource in (template.get("Resources") or {}).items():
        if not isinstance(resource, dict):
            continue
        type_, props = resource.get("Type"), resource.get("Properties") or {}
        if type_ == "AWS::Serverless::Function" and "Role" not in props:
            # SAM generates the function's role as <id>Role; CloudFormation names it.
            found += _generated(stack, f"{lid}Role", "AWS::IAM::Role", names, lid)
        if type_ not in names:
            continue
        prop, limit = names[type_]["property"], names[type_]["limit"]
        name = props.get(prop)
        if name is None:
            found += _generated(stack, lid, type_, names, lid)
        elif isinstance(name, str) and len(name) > limit:
            found.append(
                (lid, f"{prop} {name!r} has {len(name)} characters; {type_} allows {limit}")
            )
    return found


def _generated(stack: str, lid: str, type_: str, names: dict, owner: str) -> list:
    limit = names[type_]["limit"]
    if aws_facts.generated_name_fits(stack, lid, limit):
        return []
    name = aws_facts.generated_name(stack, lid)
    return [
        (
            owner,
            f"CloudFormation names the unnamed {type_} {lid} `{stack}-{lid}-<random>` "
            f"({len(name)} characters with a {aws_facts.GENERATED_SUFFIX}-character random "
            f"part), over the {limit} allowed: it truncates the stack name and the execution "
            f"role's {stack}-* patterns no longer match; shorten the logical id to at most "
            f"{limit - len(stack) - 2 - aws_facts.GENERATED_SUFFIX} characters or set a name",
        )
    ]
