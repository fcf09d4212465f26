"""Deleting a stack does what the README says."""

from __future__ import annotations

import pytest

from stacks import config
from stacks.templates import TARGETS


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_prod_keeps_its_log_groups_and_staging_deletes_them(env):
    template = TARGETS[env].make()
    groups = [r for r in template["Resources"].values() if r["Type"] == "AWS::Logs::LogGroup"]
    assert groups
    for group in groups:
        if config.get(env).retain_stateful:
            assert group["DeletionPolicy"] == "RetainExceptOnCreate"
            assert group["UpdateReplacePolicy"] == "Retain"
        else:
            assert "DeletionPolicy" not in group


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_the_deploy_role_may_delete_only_its_own_stack(env):
    template = TARGETS["bootstrap"].make()
    (role,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
        and r["Properties"]["RoleName"] == f"security-assistant-{env}-deploy"
    ]
    statements = [s for p in role["Policies"] for s in p["PolicyDocument"]["Statement"]]
    (delete,) = [s for s in statements if "cloudformation:DeleteStack" in s["Action"]]
    assert delete["Resource"] == [
        f"arn:aws:cloudformation:eu-west-2:445567098699:stack/security-assistant-{env}/*"
    ]
