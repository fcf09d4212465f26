from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._deployments import function_name, preferences


class HookNames(CloudFormationLintRule):
    """Traffic hooks are named CodeDeployHook_*."""

    id = "E9023"
    shortdesc = "CodeDeploy hook functions are named CodeDeployHook_*"
    description = (
        "The CodeDeploy service role (AWSCodeDeployRoleForLambda) may invoke only functions "
        "whose name starts with CodeDeployHook_; every PreTraffic/PostTraffic hook must."
    )
    tags = ["resources", "lambda", "codedeploy", "security-assistant"]

    def match(self, cfn):
        matches = []
        seen = set()
        for pref in preferences(cfn):
            for hook_id in pref.hooks.values():
                if not hook_id or hook_id in seen:
                    continue
                seen.add(hook_id)
                name = function_name(cfn, hook_id)
                if not (name or "").startswith("CodeDeployHook_"):
                    path = ["Resources", hook_id, "Properties"]
                    if name:
                        path.append("FunctionName")
                    matches.append(
                        RuleMatch(
                            path,
                            f"hook function {hook_id} is named {name or '(generated name)'}; "
                            "CodeDeploy can invoke it only if FunctionName starts with "
                            "CodeDeployHook_ (e.g. CodeDeployHook_security-assistant-<env>-"
                            "pre-traffic)",
                        )
                    )
        return matches
