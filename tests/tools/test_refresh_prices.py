"""tools/refresh_prices.py reads the AWS Price List offer-file format (fixture shaped like it)."""

import importlib.util
import json
from pathlib import Path

import pytest

from stacks.cost.prices import PRICES_FILE, problems

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "AWSLambda-eu-west-2.json"


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location(
        "refresh_prices", ROOT / "tools/refresh_prices.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reads_the_first_paid_tier_of_a_usage_type(tool):
    offer = json.loads(FIXTURE.read_text())
    assert tool.price_of(offer, "EUW2-Request-ARM", "Requests") == 0.0000002
    # two tiers: the first (from 0) applies at this project's volume
    assert tool.price_of(offer, "EUW2-Lambda-GB-Second-ARM", "Lambda-GB-Second") == 0.0000133334


def test_free_tiers_are_skipped_and_all_free_is_zero(tool):
    offer = json.loads(FIXTURE.read_text())
    dims = offer["terms"]["OnDemand"]["SKUREQARM00000001"]["SKUREQARM00000001.JRTCKXETXF"]
    (dim,) = dims["priceDimensions"].values()
    free = dict(dim, endRange="1000000", pricePerUnit={"USD": "0.0000000000"})
    dims["priceDimensions"] = {"free": free, "paid": dict(dim, beginRange="1000000")}
    assert tool.price_of(offer, "EUW2-Request-ARM", "Requests") == 0.0000002
    dims["priceDimensions"] = {"free": free}
    assert tool.price_of(offer, "EUW2-Request-ARM", "Requests") == 0.0


def test_an_unknown_usage_type_or_unit_is_an_error(tool):
    offer = json.loads(FIXTURE.read_text())
    with pytest.raises(tool.OfferError, match="no product with usagetype 'EUW2-Nope'"):
        tool.price_of(offer, "EUW2-Nope", "Requests")
    with pytest.raises(tool.OfferError, match="no on-demand price in unit 'GB-Mo'"):
        tool.price_of(offer, "EUW2-Request-ARM", "GB-Mo")


def test_refresh_rewrites_prices_and_date_and_keeps_the_shape(tool, tmp_path):
    data = json.loads(PRICES_FILE.read_text())
    lambda_only = {k: v for k, v in data["prices"].items() if v["offer"] == "AWSLambda"}
    lambda_only = {k: v for k, v in lambda_only.items() if v["usagetype"].endswith("-ARM")}
    data["prices"] = lambda_only
    data["prices"]["lambda.requests_arm64"]["usd"] = 0.5  # stale
    new, moved = tool.refresh(data, {"AWSLambda": json.loads(FIXTURE.read_text())}, "2030-01-02")
    assert new["prices"]["lambda.requests_arm64"]["usd"] == 0.0000002
    assert moved == ["lambda.requests_arm64: 0.5 -> 2e-07 USD per Requests"]
    assert new["date"] == "2030-01-02" and "Price List bulk offer files" in new["source"]
    assert problems(new) == []


def test_main_reads_offer_files_from_a_directory(tool, tmp_path, capsys):
    data = json.loads(PRICES_FILE.read_text())
    data["prices"] = {"lambda.requests_arm64": data["prices"]["lambda.requests_arm64"]}
    prices = tmp_path / "prices.json"
    prices.write_text(json.dumps(data))
    offers = tmp_path / "offers"
    offers.mkdir()
    (offers / "AWSLambda.json").write_text(FIXTURE.read_text())
    assert tool.main(["--offers", str(offers), "--prices", str(prices)]) == 0
    assert json.loads(prices.read_text())["prices"]["lambda.requests_arm64"]["usd"] == 0.0000002
    (offers / "AWSLambda.json").unlink()
    assert tool.main(["--offers", str(offers), "--prices", str(prices)]) == 2
    assert "AWSLambda.json" in capsys.readouterr().err


def test_offer_urls_follow_the_bulk_api_layout(tool):
    assert tool.offer_url("AWSLambda", "eu-west-2") == (
        "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/eu-west-2/index.json"
    )
    assert tool.offer_url("AWSBudgets", "eu-west-2").endswith("/AWSBudgets/current/index.json")
