import json
from dataclasses import replace

import pytest

from stacks import cli, config

# They expand templates: on the worker that has the SAM translator and its expansions.
pytestmark = pytest.mark.xdist_group("cfn")


def run(capsys, *args):
    code = cli.main(["cost", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exactly_the_documented_fields(capsys):
    code, out, _ = run(capsys, "--env", "staging", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert list(data) == [
        "env", "currency", "monthly_total", "budget", "prices", "usage", "lines"
    ]  # fmt: skip
    assert data["env"] == "staging" and data["currency"] == "USD" and data["budget"] == 5.0
    assert set(data["prices"]) == {"source", "date"}
    assert data["usage"]["jobs"] == config.get("staging").usage.jobs
    keys = {"resource", "type", "component", "quantity", "unit", "unit_price", "monthly"}
    assert all(set(line) == keys for line in data["lines"])
    assert data["monthly_total"] == pytest.approx(sum(line["monthly"] for line in data["lines"]))


def test_text_separates_fixed_usage_and_free(capsys):
    code, out, _ = run(capsys, "--env", "dev")
    assert code == 0
    assert out.startswith("=== dev: $") and "within the $1.00 budget" in out
    assert "fixed (billed whether used or not)" in out and "free: a resource policy" in out


def test_over_budget_exits_1_and_says_so(capsys, monkeypatch):
    tight = replace(config.get("staging"), monthly_budget_usd=0.5)
    monkeypatch.setitem(config.ENVIRONMENTS, "staging", tight)
    code, out, err = run(capsys, "--env", "staging", "--format", "markdown")
    assert code == 1
    assert "OVER the $0.50 budget" in out
    assert "staging: $" in err and "over its $0.50 budget" in err


def test_unknown_environment_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["cost", "--env", "qa"])
    assert exc.value.code == 2
    assert "invalid choice: 'qa'" in capsys.readouterr().err


def test_readme_cost_table_is_current(capsys):
    code, _, err = run(capsys, "--check")
    assert code == 0, err


def test_check_fails_when_the_readme_table_is_stale(capsys, monkeypatch, tmp_path):
    from stacks import readme

    stale = tmp_path / "README.md"
    stale.write_text("x\n<!-- cost-table -->\n| old |\n<!-- /cost-table -->\n")
    monkeypatch.setattr(readme, "README", stale)
    code, _, err = run(capsys, "--check")
    assert code == 1 and "cost-table is stale: run `python -m stacks cost --readme`" in err
    assert run(capsys, "--readme")[0] == 0
    assert "| staging | " in stale.read_text()
    assert run(capsys, "--check")[0] == 0


def test_an_unpriced_type_exits_2_with_a_message_not_a_traceback(capsys, monkeypatch):
    from stacks.cost import model

    monkeypatch.delitem(model.PRICERS, "AWS::S3::Bucket")
    code, out, err = run(capsys, "--env", "dev")
    assert code == 2 and out == ""
    assert "no price model for DataBucket (AWS::S3::Bucket)" in err
    assert "Traceback" not in err
