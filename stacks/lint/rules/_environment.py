"""Which environment's policy (stacks/config.py) a rule applies.

cfn-lint's own rule configuration says: every rule that depends on the environment declares an
`env` setting, set per rule with `cfn-lint --configure-rule E9040:env=prod`, `configure_rules`
in `.cfnlintrc` or the template's `Metadata: cfn-lint: config:`, and by `python -m stacks lint
--env` through the same mechanism. Unset, the template's `Metadata.SecurityAssistant.
Environment` (written by `stacks build`) says. cfn-lint calls `configure` on every run, so
nothing carries over from one template to the next.
"""

from __future__ import annotations

from typing import Any

from cfnlint.rules import RuleMatch

from stacks import config


def template_environment(template: Any) -> str | None:
    """The environment named in the template's Metadata.SecurityAssistant.Environment."""
    meta = template.get("Metadata") if isinstance(template, dict) else None
    sa = meta.get("SecurityAssistant") if isinstance(meta, dict) else None
    name = sa.get("Environment") if isinstance(sa, dict) else None
    return name if isinstance(name, str) else None


class EnvironmentRule:
    """Mixin for a CloudFormationLintRule whose check depends on the environment.

    Subclasses implement `match_environment(cfn, env)` instead of `match`; `env` is None for
    a template of no known environment (e.g. the account-level bootstrap template). Not a
    CloudFormationLintRule itself, so cfn-lint does not load it as a rule (as cfn-lint's own
    rule mixins do).
    """

    id: str
    config: dict[str, Any]

    def __init__(self) -> None:
        super().__init__()
        # CloudFormationLintRule.__init__ resets config_definition; set it after.
        self.config_definition = {"env": {"default": "", "type": "string"}}
        self.config.setdefault("env", "")

    def match(self, cfn):
        configured = self.config.get("env") or ""
        if configured and configured not in config.ENVIRONMENTS:
            return [
                RuleMatch(
                    [],
                    "the rule's env setting (--configure-rule / configure_rules) is "
                    f"{configured!r}, not an environment of stacks/config.py; choose from "
                    + ", ".join(config.ENVIRONMENTS),
                )
            ]
        name = configured or template_environment(cfn.template)
        return self.match_environment(cfn, config.ENVIRONMENTS.get(name or ""))

    def match_environment(self, cfn, env: config.EnvConfig | None) -> list:
        raise NotImplementedError
