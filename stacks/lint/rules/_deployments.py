"""Gradual deployments: SAM DeploymentPreferences, or the aliases and CodeDeploy deployment
groups the SAM transform makes of them (the expanded form)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from stacks.lint.rules._refs import as_list, properties, target


@dataclass
class Preference:
    function_id: str
    path: list  # to the DeploymentPreference / the alias's UpdatePolicy
    alarms: list[tuple[str | None, list]]  # (alarm logical id, path)
    deployment_type: str | None
    hooks: dict[str, str | None]  # hook name -> function logical id
    enabled: bool = True


def preferences(cfn) -> list[Preference]:
    """Every function's deployment preference, from either form of a cfn-lint Template."""
    if cfn.has_serverless_transform():
        return list(_sam_preferences(cfn))
    return list(_expanded_preferences(cfn))


def _sam_preferences(cfn):
    for rid, res in cfn.get_resources("AWS::Serverless::Function").items():
        pref = properties(res).get("DeploymentPreference")
        if not isinstance(pref, dict):
            continue
        path = ["Resources", rid, "Properties", "DeploymentPreference"]
        alarms = [
            (target(a), [*path, "Alarms", i]) for i, a in enumerate(as_list(pref.get("Alarms")))
        ]
        hooks = pref.get("Hooks") if isinstance(pref.get("Hooks"), dict) else {}
        yield Preference(
            rid,
            path,
            alarms,
            _str(pref.get("Type")),
            {k: target(v) for k, v in hooks.items()},
            enabled=pref.get("Enabled") is not False,
        )


def _expanded_preferences(cfn):
    groups = cfn.get_resources("AWS::CodeDeploy::DeploymentGroup")
    for rid, res in cfn.get_resources("AWS::Lambda::Alias").items():
        update = (res.get("UpdatePolicy") or {}).get("CodeDeployLambdaAliasUpdate")
        if not isinstance(update, dict):
            continue
        group_id = target(update.get("DeploymentGroupName"))
        gprops = properties(groups.get(group_id or ""))
        gpath = ["Resources", group_id, "Properties", "AlarmConfiguration", "Alarms"]
        conf = gprops.get("AlarmConfiguration") or {}
        alarms = [
            (target(a.get("Name")) if isinstance(a, dict) else None, [*gpath, i])
            for i, a in enumerate(as_list(conf.get("Alarms")))
        ]
        hooks = {
            k: target(update.get(k))
            for k in ("BeforeAllowTrafficHook", "AfterAllowTrafficHook")
            if k in update
        }
        yield Preference(
            target(properties(res).get("FunctionName")) or rid,
            ["Resources", rid, "UpdatePolicy", "CodeDeployLambdaAliasUpdate"],
            alarms,
            _config_name(gprops.get("DeploymentConfigName")),
            hooks,
            conf.get("Enabled") is True,
        )


def function_name(cfn, logical_id: str | None) -> str | None:
    """The literal FunctionName of a function resource (None if generated or unknown)."""
    res = (cfn.get_resources() or {}).get(logical_id or "")
    return _str(properties(res).get("FunctionName"))


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _config_name(value: Any) -> str | None:
    """`Canary10Percent5Minutes` from CodeDeployDefault.LambdaCanary10Percent5Minutes (also
    as the translator writes it: a Sub with one variable)."""
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), list):
        text, variables = (value["Fn::Sub"] + [{}])[:2]
        if isinstance(text, str) and isinstance(variables, dict):
            value = re.sub(r"\$\{(\w+)\}", lambda m: str(variables.get(m.group(1), "")), text)
    if isinstance(value, str):
        return value.removeprefix("CodeDeployDefault.Lambda")
    return None
