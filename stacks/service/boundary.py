"""The permissions boundary every role of an environment's stack carries.

The bootstrap template creates the boundary (`security-assistant-<env>-boundary`) and lets
the execution role create roles only with it attached, so a template cannot make a role that
reaches beyond the service's own resources. SAM puts it on the roles it generates for the
functions (Globals); the CodeDeploy role is ours, because SAM's generated one cannot carry it.
"""

from troposphere import GetAtt, Template, iam
from troposphere.serverless import FunctionGlobals, Globals

from stacks.config import ACCOUNT_ID, EnvConfig

CODEDEPLOY_POLICY = "arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda"


def boundary_name(cfg: EnvConfig) -> str:
    return cfg.resource_name("boundary")


def boundary_arn(cfg: EnvConfig) -> str:
    """Fixed and derivable: the service template names it without a cross-stack import."""
    return f"arn:aws:iam::{ACCOUNT_ID}:policy/{boundary_name(cfg)}"


def function_roles(t: Template, cfg: EnvConfig) -> None:
    t.set_globals(Globals(Function=FunctionGlobals(PermissionsBoundary=boundary_arn(cfg))))


def codedeploy_role(t: Template, cfg: EnvConfig) -> GetAtt:
    """CodeDeploy's role for traffic shifting (DeploymentPreference.Role), boundary included."""
    role = t.add_resource(
        iam.Role(
            "CodeDeployRole",
            RoleName=cfg.resource_name("codedeploy"),
            Description="CodeDeploy shifting traffic between function versions",
            AssumeRolePolicyDocument={
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "codedeploy.amazonaws.com"},
                        "Action": "sts:AssumeRole",
                    }
                ],
            },
            ManagedPolicyArns=[CODEDEPLOY_POLICY],
            PermissionsBoundary=boundary_arn(cfg),
        )
    )
    return GetAtt(role, "Arn")
