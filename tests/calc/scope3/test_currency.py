"""Issue #15: spend in another currency and year becomes the factor's 2022 dollars only
through cited rates (records of an edition in the factor library), checked by hand."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from esgledger.calc.library import FactorLibrary, FactorRecord
from esgledger.calc.options import RunOptions
from esgledger.calc.scope3 import compute_scope3
from esgledger.calc.scope3.currency import currency_of, to_factor_dollars

CEMENT = 3.924  # EPA v1.3 NAICS 327310 SEF+MEF, kg CO2e / 2022 USD
# Test-only edition: rates chosen for easy hand arithmetic, not published figures.
RATE_2024, INDEX_2022, INDEX_2024 = 0.14, 100.0, 105.0


def _rate(kind: str, activity: str, parameter: str, year: int, value: float) -> FactorRecord:
    return FactorRecord(
        factor_id=f"test-rates:{activity}:{year}",
        edition="test-rates",
        series="user.test_rates",
        data_year=year,
        published=dt.date(2025, 1, 31),
        kind=kind,
        activity=activity,
        parameter=parameter,
        gas="",
        region="GLOBAL",
        variant=str(year),
        value=value,
        unit="USD/CNY" if kind == "exchange_rate" else "dimensionless",
        status="unverified",
        user=True,
    )


@pytest.fixture
def library() -> FactorLibrary:
    shipped = FactorLibrary.load()
    return FactorLibrary(
        [
            *shipped.records,
            _rate("exchange_rate", "currency.CNY", "usd_per_unit", 2024, RATE_2024),
            _rate("price_index", "USD", "index", 2022, INDEX_2022),
            _rate("price_index", "USD", "index", 2024, INDEX_2024),
        ]
    )


def test_currency_units_name_their_iso_code() -> None:
    assert (currency_of("RMB"), currency_of("USD"), currency_of("t")) == ("CNY", "USD", None)


def test_conversion_uses_the_cited_rate_and_both_indexes(library: FactorLibrary) -> None:
    conversion = to_factor_dollars(library, "RMB", 2024, 2022)
    assert not isinstance(conversion, str)
    assert conversion.multiplier == pytest.approx(RATE_2024 * INDEX_2022 / INDEX_2024, rel=1e-15)
    assert conversion.factor_ids == (
        "test-rates:currency.CNY:2024",
        "test-rates:USD:2024",
        "test-rates:USD:2022",
    )
    missing = to_factor_dollars(library, "RMB", 2023, 2022)
    assert missing == (
        "no cited CNY→USD exchange rate for 2023 in the factor library; "
        "spend-based factors are per US dollar"
    )


def test_a_spend_line_in_rmb_of_2024_by_hand(library: FactorLibrary) -> None:
    activities = pl.DataFrame(
        {
            "id": [1],
            "entity_id": ["SZ"],
            "start": [dt.date(2024, 1, 1)],
            "activity": ["spend.purchased_goods"],
            "quantity": [1_000_000.0],
            "unit": ["RMB"],
            "attributes": [json.dumps({"naics": "327310"})],
        }
    )
    entities = pl.DataFrame(
        {"entity_id": ["SZ"], "country": ["CN"], "subdivision": ["CN-GD"], "share": [0.6]}
    )
    out = compute_scope3(activities, entities, library, RunOptions(year=2024))
    usd_2022 = 1_000_000 * RATE_2024 * INDEX_2022 / INDEX_2024
    expected = usd_2022 * CEMENT / 1000 * 0.6  # kg → t, boundary share 60 %
    assert out.by_category["cat1"]["tco2e"] == pytest.approx(expected, rel=1e-12)
    [line] = out.lines
    assert "geographic_proxy" in line["flags"]  # US factors for a Chinese purchase
    assert "test-rates:currency.CNY:2024" in line["factor_ids"]
    assert out.unresolved.height == 0 and not out.incomplete
