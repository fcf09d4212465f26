"""Refresh stacks/cost/prices-eu-west-2.json from the AWS Price List bulk offer files.

The offer files are public (no credentials):
https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<offer>/current/<region>/index.json
(a global service such as AWSBudgets: .../<offer>/current/index.json). Each holds `products`
(sku -> productFamily, attributes such as usagetype) and `terms.OnDemand` (sku -> offer term
-> priceDimensions, each with beginRange, endRange, unit and pricePerUnit.USD); see
https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html

For every price in the data file this script finds the product of its offer whose usagetype
matches and takes the first tier that is not free (the estimate ignores free tiers, which the
whole account shares), or 0 when every tier is free. It rewrites the file only when something
changed, with today's date, and prints what moved.

    python tools/refresh_prices.py                       # download (needs internet)
    python tools/refresh_prices.py --offers DIR          # read DIR/<offer>.json instead
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRICES = ROOT / "stacks" / "cost" / "prices-eu-west-2.json"
BASE = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws"
GLOBAL_OFFERS = {"AWSBudgets"}  # priced once for every region


class OfferError(Exception):
    pass


def offer_url(offer: str, region: str) -> str:
    if offer in GLOBAL_OFFERS:
        return f"{BASE}/{offer}/current/index.json"
    return f"{BASE}/{offer}/current/{region}/index.json"


def price_of(offer: dict, usagetype: str, unit: str) -> float:
    """USD per unit of the first non-free on-demand tier of the product with `usagetype`."""
    skus = [
        sku
        for sku, product in (offer.get("products") or {}).items()
        if (product.get("attributes") or {}).get("usagetype") == usagetype
    ]
    if not skus:
        raise OfferError(f"no product with usagetype {usagetype!r} in {offer.get('offerCode')}")
    tiers = []
    on_demand = (offer.get("terms") or {}).get("OnDemand") or {}
    for sku in skus:
        for term in (on_demand.get(sku) or {}).values():
            for dim in (term.get("priceDimensions") or {}).values():
                if dim.get("unit") != unit:
                    continue
                usd = float((dim.get("pricePerUnit") or {}).get("USD", "nan"))
                tiers.append((float(dim.get("beginRange", "0")), usd))
    if not tiers:
        raise OfferError(f"{usagetype!r} has no on-demand price in unit {unit!r}")
    paid = [usd for _, usd in sorted(tiers) if usd > 0]
    return paid[0] if paid else 0.0


def refresh(data: dict, offers: dict[str, dict], today: str) -> tuple[dict, list[str]]:
    """A copy of the prices data with every price read from `offers` (offer code -> file)."""
    new = json.loads(json.dumps(data))
    moved = []
    for key, entry in sorted(new["prices"].items()):
        offer = offers.get(entry["offer"])
        if offer is None:
            raise OfferError(f"{key}: offer file {entry['offer']} was not read")
        usd = price_of(offer, entry["usagetype"], entry["unit"])
        if usd != entry["usd"]:
            moved.append(f"{key}: {entry['usd']} -> {usd} USD per {entry['unit']}")
            entry["usd"] = usd
    new["date"] = today
    new["source"] = (
        f"AWS Price List bulk offer files ({BASE}/<offer>/current/{data['region']}/index.json), "
        "on-demand, first paid tier; refresh with tools/refresh_prices.py"
    )
    return new, moved


def _download(offer: str, region: str) -> dict:
    with urllib.request.urlopen(offer_url(offer, region), timeout=120) as response:  # noqa: S310
        return json.load(response)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--offers", type=Path, help="directory of <offer>.json files (no download)")
    p.add_argument("--prices", type=Path, default=PRICES, help="the data file to refresh")
    args = p.parse_args(argv)
    data = json.loads(args.prices.read_text())
    names = sorted({e["offer"] for e in data["prices"].values()})
    try:
        if args.offers:
            offers = {n: json.loads((args.offers / f"{n}.json").read_text()) for n in names}
        else:
            offers = {n: _download(n, data["region"]) for n in names}
        new, moved = refresh(data, offers, datetime.date.today().isoformat())
    except (OSError, ValueError, KeyError, OfferError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.prices.write_text(json.dumps(new, indent=2) + "\n")
    print("\n".join(moved) or "no price changed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
