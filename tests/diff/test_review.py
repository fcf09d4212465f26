"""The end of `python -m stacks diff`: cost before/after per environment, and diagrams."""

from pathlib import Path

import pytest

from stacks import cli, config
from stacks.diff.review import CostChange, cost_change, text

# They expand templates: on the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_doubled(tmp_path) -> tuple[Path, Path]:
    old = ROOT / "infrastructure" / "staging" / "template.yaml"
    body = old.read_text()
    start = body.index("  WorkerFunction:\n")
    memory = f"      MemorySize: {config.get('staging').worker_memory_mb}\n"
    at = body.index(memory, start)
    new = tmp_path / "new.yaml"
    doubled = f"      MemorySize: {2 * config.get('staging').worker_memory_mb}\n"
    new.write_text(body[:at] + doubled + body[at + len(memory) :])
    return old, new


def test_text_diff_ends_with_the_cost_change_per_resource(worker_doubled, capsys):
    assert cli.main(["diff", *map(str, worker_doubled)]) == 1
    out = capsys.readouterr().out
    tail = out[out.index("=== monthly cost") :]
    assert "    staging: $" in tail and "budget $5.00" in tail
    (moved,) = [line for line in tail.splitlines() if line.startswith("      ")]
    assert moved.startswith("      WorkerFunction: $0.14 -> $0.28 (+$0.14)")


def test_markdown_diff_has_the_cost_table_and_the_marked_diagram(worker_doubled, capsys):
    assert cli.main(["diff", *map(str, worker_doubled), "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert "### Monthly cost" in out
    assert "| staging | <code>WorkerFunction</code> | $0.14 | $0.28 | +$0.14 |" in out
    assert "```mermaid\nflowchart LR\n" in out and "  class WorkerFunction modified\n" in out


def test_unchanged_templates_show_the_same_cost_and_no_diagram(capsys):
    same = str(ROOT / "infrastructure" / "dev" / "template.yaml")
    assert cli.main(["diff", same, same, "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| dev | $0.04 | $0.04 | +$0.00 | $1.00 |" in out and "mermaid" not in out


def test_an_unpriceable_side_is_a_note_not_a_failure():
    old = {"Resources": {"Nat": {"Type": "AWS::EC2::NatGateway", "Properties": {}}}}
    change = cost_change("dev", old, old)
    assert change.note.startswith("no estimate: no price model for Nat (AWS::EC2::NatGateway)")
    assert "dev: no estimate" in text([change])


def test_a_new_environment_has_no_before():
    change = CostChange("prod", 10.0, None, 6.0)
    assert "prod: - -> $6.00 (+$6.00), budget $10.00" in text([change])
