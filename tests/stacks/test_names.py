"""Names that fit: checked at build time, from the limits in stacks/aws_facts.json."""

from __future__ import annotations

import pytest
from troposphere import Template, sqs

from stacks import config, names
from stacks.cli import main
from stacks.service import service_template


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_every_name_of_the_generated_templates_fits(env):
    cfg = config.get(env)
    assert names.problems(service_template(cfg).to_dict(), cfg.stack_name) == []


def test_a_sam_function_whose_generated_role_name_would_be_truncated():
    cfg = config.get("staging")
    template = service_template(cfg).to_dict()
    template["Resources"]["PreTrafficHookFunction"] = template["Resources"].pop("PreTrafficHook")
    [(lid, problem)] = names.problems(template, cfg.stack_name)
    assert lid == "PreTrafficHookFunction"
    assert "PreTrafficHookFunctionRole" in problem and "64" in problem
    assert "at most 23 characters" in problem


def test_a_set_name_over_its_types_limit():
    template = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q" * 81}},
            "Fine": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "q" * 80}},
        }
    }
    [(lid, problem)] = names.problems(template, "security-assistant-prod")
    assert lid == "Queue" and "81 characters" in problem and "80" in problem


def test_build_refuses_a_template_with_a_name_that_does_not_fit(monkeypatch, capsys):
    def too_long(cfg):
        t = Template()
        t.add_resource(sqs.Queue("JobsQueue", QueueName=cfg.resource_name("q" * 80)))
        return t

    monkeypatch.setattr("stacks.service.service_template", too_long)
    assert main(["build", "--env", "staging", "--out", "-"]) == 2
    err = capsys.readouterr().err
    assert "JobsQueue" in err and "AWS::SQS::Queue allows 80" in err
    assert "Traceback" not in err
