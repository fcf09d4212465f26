"""Template Rules: CloudFormation refuses to deploy the stack anywhere but its home."""

from troposphere import Equals, Ref, Template

from stacks.config import EnvConfig


def home_account_and_region(t: Template, cfg: EnvConfig) -> None:
    t.add_rule(
        "DeployOnlyToHomeAccountAndRegion",
        {
            "Assertions": [
                {
                    "Assert": Equals(Ref("AWS::AccountId"), cfg.account_id),
                    "AssertDescription": (
                        f"security-assistant deploys only to account {cfg.account_id}"
                    ),
                },
                {
                    "Assert": Equals(Ref("AWS::Region"), cfg.region),
                    "AssertDescription": f"security-assistant deploys only to {cfg.region}",
                },
            ]
        },
    )
