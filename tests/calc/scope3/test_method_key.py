"""#15: rows are grouped by the attributes the Scope 3 methods read, cut out of each row's
stored JSON text (a purchase-order number does not make a group per line); a method
attribute's name inside another attribute's value, or inside another key, is not read as
that attribute, and one factor per site region serves every site in it."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest

from esgledger.calc.library import FactorLibrary
from esgledger.calc.options import RunOptions
from esgledger.calc.scope3 import compute_scope3

CEMENT = 3.924  # EPA v1.3 NAICS 327310, SEF+MEF, kg CO2e per 2022 USD (see test_methods)


def _rows(attributes: list[dict[str, str]], entities: list[str] | None = None) -> pl.DataFrame:
    n = len(attributes)
    return pl.DataFrame(
        {
            "id": list(range(1, n + 1)),
            "entity_id": entities or ["SZ"] * n,
            "start": [dt.date(2022, 1, 1)] * n,
            "activity": ["spend.purchased_goods"] * n,
            "quantity": [1000.0] * n,
            "unit": ["USD"] * n,
            "attributes": [
                json.dumps(a, sort_keys=True, separators=(",", ":")) for a in attributes
            ],
        }
    )


SITES = pl.DataFrame(
    {
        "entity_id": ["SZ", "DG"],
        "country": ["CN", "CN"],
        "subdivision": ["CN-GD", "CN-GD"],
        "share": [1.0, 1.0],
    }
)


def test_lines_group_by_method_attributes_only() -> None:
    rows = _rows([{"naics": "327310", "po_line": f"PO-{i}"} for i in range(5)])
    out = compute_scope3(rows, SITES, FactorLibrary.load(), RunOptions(year=2022))
    [line] = out.lines
    assert (line["rows"], line["row_ids"]) == (5, [1, 2, 3, 4, 5])
    assert out.by_category["cat1"]["tco2e"] == pytest.approx(5 * CEMENT, rel=1e-12)


def test_a_method_attribute_named_inside_a_value_or_a_key_is_not_read() -> None:
    rows = _rows(
        [
            {"note": '"naics":"327310"', "po_line": "1"},  # in a value: no NAICS code
            {'x"naics': "327310"},  # in a key: no NAICS code
            {"naics": "327310", "supplier": 'a\\", "naics":"111111'},
        ]
    ).vstack(
        _rows([{"naics": "327310"}]).with_columns(
            pl.lit(4, pl.Int64).alias("id"), pl.lit('{ "naics" : "327310" }').alias("attributes")
        )
    )  # another writer's spacing reads the same
    out = compute_scope3(rows, SITES, FactorLibrary.load(), RunOptions(year=2022))
    [line] = out.lines
    assert line["row_ids"] == [3, 4]  # the cement lines, at the cement factor
    assert line["tco2e"] == pytest.approx(2 * CEMENT, rel=1e-12)
    assert sorted(out.unresolved["activity_id"].to_list()) == [1, 2]
    assert all("need a 'naics' column" in r for r in out.unresolved["reason"].to_list())


def test_sites_of_one_region_get_the_same_factor_and_rule() -> None:
    rows = _rows([{"naics": "327310"}] * 2, entities=["SZ", "DG"])
    out = compute_scope3(rows, SITES, FactorLibrary.load(), RunOptions(year=2022))
    first, second = out.lines
    assert (first["entity_id"], second["entity_id"]) == ("SZ", "DG")
    assert first["factor_ids"] == second["factor_ids"] and first["rule"] == second["rule"]
    assert first["tco2e"] == second["tco2e"] == pytest.approx(CEMENT, rel=1e-12)
