from cfnlint.rules import CloudFormationLintRule, RuleMatch

from stacks.lint.rules._refs import resources, target


class LogRetention(CloudFormationLintRule):
    """Logs expire."""

    id = "E9060"
    shortdesc = "Log groups have retention"
    description = (
        "Every AWS::Logs::LogGroup sets RetentionInDays, and every function logs to a log group "
        "of the template (LoggingConfig.LogGroup or /aws/lambda/<FunctionName>), not to one "
        "Lambda would create with retention 'never expire'."
    )
    tags = ["resources", "logs", "cost", "security-assistant"]

    def match(self, cfn):
        matches = []
        names = set()
        ids = set()
        for rid, _res, props in resources(cfn, "AWS::Logs::LogGroup"):
            ids.add(rid)
            if isinstance(props.get("LogGroupName"), str):
                names.add(props["LogGroupName"])
            if "RetentionInDays" not in props:
                matches.append(
                    RuleMatch(
                        ["Resources", rid, "Properties"],
                        f"log group {rid} keeps logs forever; set RetentionInDays (the "
                        "environment's log_retention_days)",
                    )
                )
        for rid, _res, props in resources(
            cfn, "AWS::Serverless::Function", "AWS::Lambda::Function"
        ):
            logging = props.get("LoggingConfig") or {}
            group = logging.get("LogGroup") if isinstance(logging, dict) else None
            if group is not None and (target(group) in ids or group in names):
                continue
            fname = props.get("FunctionName")
            if isinstance(fname, str) and f"/aws/lambda/{fname}" in names:
                continue
            matches.append(
                RuleMatch(
                    ["Resources", rid, "Properties"],
                    f"function {rid} logs to a log group this template does not declare, which "
                    "Lambda creates with no retention; add an AWS::Logs::LogGroup with "
                    "RetentionInDays and point LoggingConfig.LogGroup at it",
                )
            )
        return matches
