"""The eu-west-2 unit prices `python -m stacks cost` multiplies usage by.

They live in `prices-eu-west-2.json` beside this module, each with the offer file, usage type
and unit it comes from, so `tools/refresh_prices.py` can re-read them from the AWS Price List
bulk files and a reviewer can check any one of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from stacks.errors import ConfigError

PRICES_FILE = Path(__file__).with_name("prices-eu-west-2.json")
PRICE_FIELDS = {"offer": str, "usagetype": str, "unit": str, "usd": float}
TOP_FIELDS = {"region": str, "currency": str, "source": str, "date": str, "prices": dict}


@dataclass(frozen=True)
class PriceList:
    region: str
    source: str
    date: str
    usd: dict[str, float]  # price key -> USD per unit

    def __getitem__(self, key: str) -> float:
        return self.usd[key]


def problems(data: object) -> list[str]:
    """What is wrong with the shape of a prices file ([] when nothing)."""
    if not isinstance(data, dict):
        return ["the file must hold a JSON object"]
    found = [
        f"{name} must be a {kind.__name__}"
        for name, kind in TOP_FIELDS.items()
        if not isinstance(data.get(name), kind)
    ]
    found += [f"unknown field {name!r}" for name in sorted(set(data) - set(TOP_FIELDS))]
    if data.get("currency") != "USD":
        found.append("currency must be USD")
    for key, entry in sorted((data.get("prices") or {}).items()):
        if not isinstance(entry, dict) or set(entry) != set(PRICE_FIELDS):
            found.append(f"prices.{key} must have exactly {', '.join(PRICE_FIELDS)}")
            continue
        for name, kind in PRICE_FIELDS.items():
            value = entry[name]
            ok = isinstance(value, (int, float)) and value >= 0 if kind is float else value
            if not ok or isinstance(value, bool):
                found.append(f"prices.{key}.{name} is invalid: {value!r}")
    return found


def load(path: Path = PRICES_FILE) -> PriceList:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read prices from {path.name}: {exc}") from None
    found = problems(data)
    if found:
        raise ConfigError(f"{path.name} is malformed:\n  - " + "\n  - ".join(found))
    return PriceList(
        region=data["region"],
        source=data["source"],
        date=data["date"],
        usd={k: float(v["usd"]) for k, v in data["prices"].items()},
    )
