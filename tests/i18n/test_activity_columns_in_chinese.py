"""#19: an activity file refused for its Scope 3 columns (``ingest/scope3_columns.py``) or for
an implausible row (``ingest/plausibility.py``) is worded in Chinese for an API client that
asks for it, each reason from the catalog; a client asking for English gets the CLI's lines
unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.conftest import Api, api, problem
from tests.factories import ACTIVITY_HEADER, write_csv
from tests.i18n.test_file_checks_in_chinese import ZH, _all_chinese, _post

__all__ = ["api"]  # the fixture, imported for pytest

SCOPE3 = [*ACTIVITY_HEADER, "naics", "price_year", "supplier_kgco2e", "direction"]
SCOPE3_ROWS = [
    ["SZ1", "2025-01-01", "2025-01-31", "spend.purchased_goods", "10", "RMB", "33431", "", "", ""],
    ["SZ1", "2025-02-01", "2025-02-28", "spend.purchased_goods", "10", "RMB", "", "1890", "", ""],
    ["SZ1", "2025-03-01", "2025-03-31", "spend.purchased_goods", "10", "RMB", "", "", "lots", ""],
    ["SZ1", "2025-04-01", "2025-04-30", "spend.purchased_goods", "10", "RMB", "", "", "-2", ""],
    ["SZ1", "2025-05-01", "2025-05-31", "freight.road", "10", "t*km", "", "", "", "sideways"],
]
SCOPE3_ENGLISH = ("is not a 6-digit", "is not a year", "is not a number", "is negative",
                  "is not one of")  # fmt: skip


def test_scope3_column_refusals_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "s3.csv", SCOPE3, SCOPE3_ROWS)
    zh = problem(_post(api, "mia", "/imports/activities", file, ZH), 422)
    assert {p["column"] for p in zh["problems"]} == {"naics", "price_year", "supplier_kgco2e",
                                                      "direction"}, zh  # fmt: skip
    _all_chinese(zh, SCOPE3_ENGLISH)
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "naics '33431' 不是 6 位 NAICS 代码" in reasons, reasons
    assert "direction 列的 'sideways' 不在可选值之内（upstream, downstream）" in reasons, reasons
    en = problem(_post(api, "mia", "/imports/activities", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert all(words in english for words in SCOPE3_ENGLISH), english
    assert "price_year '1890' is not a year 1990 … 2099 (the year whose prices" in english


def test_implausible_rows_are_worded_in_chinese(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bounds = write_csv(
        tmp_path / "bounds.csv",
        ["activity", "max_quantity", "unit", "max_days", "reason"],
        [["fuel.diesel", "1000", "t", "31", "no site burns more than 1000 t a month"]],
    )
    monkeypatch.setenv("ESG_ACTIVITY_BOUNDS", str(bounds))
    rows = [
        ["SZ1", "1899-01-01", "1899-01-31", "electricity.purchased", "1", "kWh"],  # year
        ["SZ1", "2025-02-01", "2025-02-28", "fuel.diesel", "2000000", "kg"],  # quantity
        ["SZ1", "2025-03-01", "2025-04-30", "fuel.diesel", "1", "t"],  # period
    ]
    file = write_csv(tmp_path / "p.csv", ACTIVITY_HEADER, rows)
    zh = problem(_post(api, "mia", "/imports/activities", file, ZH), 422)
    assert len(zh["problems"]) == 4, zh["problems"]
    _all_chinese(zh, ("is outside", "the period covers", "plausible maximum", "per row"))
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "年份 1899 超出 1900-2100" in reasons, reasons
    assert "每行最多 1000 t" in reasons and "最多可涵盖 31 天" in reasons, reasons
    en = problem(_post(api, "mia", "/imports/activities", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert "year 1899 is outside 1900-2100" in english
    assert (
        "quantity 2000000 kg is above the plausible maximum for fuel.diesel (1000 t per " in english
    )
    assert "the period covers 61 days; a row of fuel.diesel may cover at most 31 days" in english
