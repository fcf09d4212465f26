import re
import shutil
import subprocess
from pathlib import Path

import pytest

from stacks import cli, config
from stacks.diagram import of_env
from stacks.diagram.graph import GROUPS, mermaid
from stacks.templates import TARGETS

ROOT = Path(__file__).resolve().parents[2]
MERMAID = ROOT / "tools" / "mermaid"


@pytest.fixture(scope="module")
def drawn() -> dict[str, str]:
    return {env: of_env(env) for env in config.ENVIRONMENTS}


def edges(diagram: str) -> set[tuple[str, str, str]]:
    return {
        (a, label or "", b)
        for a, label, b in re.findall(r"^  (\w+) -->(?:\|([^|]*)\|)? (\w+)$", diagram, re.M)
    }


@pytest.mark.parametrize("env", list(config.ENVIRONMENTS))
def test_every_resource_is_a_node_in_its_group(drawn, env):
    resources = TARGETS[env].make()["Resources"]
    for rid in resources:
        assert re.search(rf'^    {rid}\["{rid}<br/>', drawn[env], re.M), rid
    groups = re.findall(r'^  subgraph (\w+)\["', drawn[env], re.M)
    assert groups == [g for g in GROUPS if g in groups]  # in the documented order


def test_edges_follow_the_flow_of_the_service(drawn):
    found = edges(drawn["staging"])
    assert {
        ("Api", "event", "ApiFunction"),
        ("ApiFunction", "", "JobsTable"),
        ("ApiFunction", "", "DataBucket"),
        ("ApiFunction", "", "JobsQueue"),
        ("JobsQueue", "event", "WorkerFunction"),
        ("JobsQueue", "DLQ", "JobsDeadLetterQueue"),
        ("JobsDeadLetterQueue", "metric", "DeadLetterQueueAlarm"),
        ("DeadLetterArrivalsAlarm", "rolls back", "WorkerFunctionDeployment"),
        ("ApiFunctionErrorRateAlarm", "rolls back", "ApiFunctionDeployment"),
        ("PreTrafficHook", "PreTraffic", "ApiFunctionDeployment"),
        ("WorkerHook", "PreTraffic", "WorkerFunctionDeployment"),
        ("ApiFunctionDeployment", "shifts alias", "ApiFunction"),
        ("MonthlyBudget", "notifies", "AlarmTopic"),
    } <= found


def test_edges_come_from_the_template_not_from_a_drawing():
    template = {
        "Resources": {
            "Queue": {"Type": "AWS::SQS::Queue", "Properties": {}},
            "Reader": {
                "Type": "AWS::Serverless::Function",
                "Properties": {
                    "Events": {"Q": {"Properties": {"Queue": {"Fn::GetAtt": ["Queue", "Arn"]}}}}
                },
            },
            "Lonely": {"Type": "AWS::SNS::Topic", "Properties": {}},
        }
    }
    diagram = mermaid(template)
    assert edges(diagram) == {("Queue", "event", "Reader")}
    assert '    Lonely["Lonely<br/><small>SNS::Topic</small>"]' in diagram


def test_changes_are_marked_and_removed_resources_drawn():
    new = {"Resources": {"A": {"Type": "AWS::SQS::Queue"}, "B": {"Type": "AWS::SNS::Topic"}}}
    removed = {"C": {"Type": "AWS::S3::Bucket"}}
    diagram = mermaid(new, {"A": "added", "B": "modified", "C": "removed"}, removed)
    assert "  class A added\n" in diagram and "  class B modified\n" in diagram
    assert "  class C removed\n" in diagram and '    C["C<br/>' in diagram
    assert diagram.count("classDef") == 3


def test_readme_diagrams_are_current(capsys):
    assert cli.main(["diagram", "--check"]) == 0, capsys.readouterr().err


def test_svg_without_mmdc_exits_2_naming_what_to_install(capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert cli.main(["diagram", "--env", "dev", "--format", "svg"]) == 2
    assert "npm install --global @mermaid-js/mermaid-cli" in capsys.readouterr().err


def _parser_or_skip():
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: Mermaid's parser runs in Node")
    if not (MERMAID / "node_modules" / "mermaid").is_dir():
        pytest.skip("Mermaid's parser is not installed: npm ci --prefix tools/mermaid")
    return node


def _parse(node: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [node, str(MERMAID / "parse.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow  # Node loading Mermaid and jsdom: about 3 s of CPU (CI's slow job runs it)
def test_mermaids_own_parser_accepts_every_diagram(drawn, tmp_path):
    node = _parser_or_skip()
    marked = mermaid(
        TARGETS["staging"].make(),
        {"Api": "modified", "JobsQueue": "added", "Gone": "removed"},
        {"Gone": {"Type": "AWS::S3::Bucket"}},
    )
    files = []
    for name, text in [*drawn.items(), ("marked", marked)]:
        files.append(tmp_path / f"{name}.mmd")
        files[-1].write_text(text)
    bad = tmp_path / "bad.mmd"
    bad.write_text("flowchart LR\n  A -->\n  end --> ((\n")
    # One Node start (Mermaid and jsdom take seconds to load) for the good files and the bad.
    done = _parse(node, *files, bad)
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(": ok (")[0] for line in lines if ": ok (flowchart" in line] == list(
        map(str, files)
    ), done.stdout
    assert any(line.startswith(f"{bad}: Parse error") for line in lines), done.stdout
