from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._alarms import alarm
from stacks.lint.rules._refs import resources, target


class AliasDeploymentGroup(CloudFormationLintRule):
    """Every alias shifts traffic through CodeDeploy with alarm rollback (expanded form)."""

    id = "E9021"
    shortdesc = "Aliases deploy through a deployment group that rolls back on alarms"
    description = (
        "On the expanded form, every AWS::Lambda::Alias has UpdatePolicy."
        "CodeDeployLambdaAliasUpdate naming a CodeDeploy deployment group whose "
        "AlarmConfiguration is enabled, whose AutoRollbackConfiguration rolls back on alarms "
        "and whose alarms include the function's own error-rate alarm."
    )
    tags = ["resources", "lambda", "codedeploy", "deployment", "security-assistant"]

    def match(self, cfn):
        if cfn.has_serverless_transform():
            return []
        matches = []
        all_resources = cfn.get_resources()
        for rid, res, props in resources(cfn, "AWS::Lambda::Alias"):
            function_id = target(props.get("FunctionName"))
            update = (res.get("UpdatePolicy") or {}).get("CodeDeployLambdaAliasUpdate")
            group_id = target((update or {}).get("DeploymentGroupName"))
            group = all_resources.get(group_id) if group_id else None
            group_type = group.get("Type") if isinstance(group, dict) else None
            if group_type != "AWS::CodeDeploy::DeploymentGroup":
                matches.append(
                    RuleMatch(
                        ["Resources", rid] + (["UpdatePolicy"] if update else []),
                        f"alias {rid} has no UpdatePolicy.CodeDeployLambdaAliasUpdate with a "
                        "deployment group: new versions would take all traffic at once with no "
                        "rollback; give the function a DeploymentPreference",
                    )
                )
                continue
            gprops = group.get("Properties") or {}
            gpath = ["Resources", group_id, "Properties"]
            conf = gprops.get("AlarmConfiguration") or {}
            if conf.get("Enabled") is not True:
                matches.append(
                    RuleMatch(
                        gpath,
                        f"deployment group {group_id} of alias {rid} has alarms disabled; set "
                        "AlarmConfiguration.Enabled: true",
                    )
                )
            rollback = gprops.get("AutoRollbackConfiguration") or {}
            if rollback.get("Enabled") is not True or "DEPLOYMENT_STOP_ON_ALARM" not in (
                rollback.get("Events") or []
            ):
                matches.append(
                    RuleMatch(
                        gpath,
                        f"deployment group {group_id} does not roll back on alarms; enable "
                        "AutoRollbackConfiguration with the DEPLOYMENT_STOP_ON_ALARM event",
                    )
                )
            own = False
            for entry in conf.get("Alarms") or []:
                al = alarm(cfn, target((entry or {}).get("Name")) or "")
                if al is not None and function_id and al.error_rate_problem(function_id) is None:
                    own = True
            if not own:
                matches.append(
                    RuleMatch(
                        gpath + (["AlarmConfiguration"] if conf else []),
                        f"deployment group {group_id} has no alarm on {function_id}'s own error "
                        "rate; add it to the function's DeploymentPreference.Alarms",
                    )
                )
        return matches
