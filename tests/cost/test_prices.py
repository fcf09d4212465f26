import json

import pytest

from stacks.cost.prices import PRICES_FILE, load, problems
from stacks.errors import ConfigError


def test_the_data_file_has_the_documented_shape():
    data = json.loads(PRICES_FILE.read_text())
    assert problems(data) == []
    assert data["region"] == "eu-west-2"
    assert data["date"] and "offer" in data["source"]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("date"), "date must be a str"),
        (lambda d: d.update(currency="EUR"), "currency must be USD"),
        (
            lambda d: d["prices"]["sqs.requests"].update(usd=-1),
            "prices.sqs.requests.usd is invalid",
        ),
        (
            lambda d: d["prices"]["sqs.requests"].pop("unit"),
            "prices.sqs.requests must have exactly",
        ),
        (lambda d: d.update(extra=1), "unknown field 'extra'"),
    ],
)
def test_shape_problems_are_named(mutate, message):
    data = json.loads(PRICES_FILE.read_text())
    mutate(data)
    assert any(message in p for p in problems(data)), problems(data)


def test_a_malformed_file_is_a_config_error(tmp_path):
    bad = tmp_path / "prices.json"
    bad.write_text('{"region": "eu-west-2"}')
    with pytest.raises(ConfigError, match="is malformed"):
        load(bad)
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read prices"):
        load(bad)
