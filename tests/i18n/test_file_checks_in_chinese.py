"""#19: a refused file's row reasons in the reader's language — the KPI file checks (unit,
breakdown, decimals, qualifier, status, a missing column) and the supplier register import,
as the API answers a client that asks for Chinese (``Accept-Language``). The reasons are
worded from the catalog at the source, never by matching the English text; a client asking
for English gets the CLI's English lines unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from esgledger.api.app import PREFIX
from tests.api.conftest import Api, api, problem
from tests.factories import write_csv

__all__ = ["api"]  # the fixture, imported for pytest

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
CJK = re.compile(r"[\u4e00-\u9fff]")

KPI_HEADER = ["entity", "year", "metric", "value", "unit", "status", "qualifier", "decimals",
              "gender"]  # fmt: skip
KPI_ROWS = [
    ["HQ", "2025", "workforce.headcount", "10", "kWh", "", "", "", ""],  # unit does not fit
    ["HQ", "2025", "workforce.headcount", "10", "persns", "", "", "", ""],  # unknown unit
    ["HQ", "2025", "workforce.headcount", "10", "", "", "", "", ""],  # no unit
    ["HQ", "2025", "workforce.headcount", "10", "person", "", "", "", "other"],  # not a member
    ["HQ", "2025", "packaging.plastics", "10", "t", "", "", "", "female"],  # no such breakdown
    ["HQ", "2025", "packaging.cartons", "10", "t", "", "", "x", ""],  # decimals
    ["HQ", "2025", "packaging.paper", "10", "t", "", "roughly", "", ""],  # qualifier
    ["HQ", "2025", "packaging.glass", "", "t", "bogus", "", "", ""],  # status
]
KPI_ENGLISH = ("does not fit", "unknown unit", "unit is empty", "is not one of",
               "breakdown", "count of decimals", "qualifier", "status")  # fmt: skip


def _post(api: Api, user: str, path: str, file: Path, lang: dict[str, str]):  # type: ignore[no-untyped-def]
    with file.open("rb") as fh:
        return api.client.post(
            PREFIX + path, files={"file": (file.name, fh.read())}, headers=api.headers(user) | lang
        )


def _all_chinese(body: dict, english: tuple[str, ...]) -> None:  # type: ignore[type-arg]
    texts = [body["detail"], *(p["reason"] for p in body["problems"])]
    for text in texts:
        assert CJK.search(text), text
        assert not any(words in text for words in english), text


def test_kpi_file_checks_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "k.csv", KPI_HEADER, KPI_ROWS)
    zh = problem(_post(api, "mia", "/imports/kpis", file, ZH), 422)
    assert len(zh["problems"]) >= len(KPI_ROWS), zh["problems"]
    _all_chinese(zh, KPI_ENGLISH)
    reasons = " ".join(p["reason"] for p in zh["problems"])
    assert "未知的单位 'persns'" in reasons and "没有按 gender 的细分" in reasons
    assert zh["detail"].startswith("k.csv，第 2 行，列 'unit'：")
    en = problem(_post(api, "mia", "/imports/kpis", file, {}), 422)
    english = " ".join(p["reason"] for p in en["problems"])
    assert "unknown unit 'persns'" in english and "has no gender breakdown" in english
    assert en["detail"].startswith("k.csv, row 2, column 'unit': ")


def test_a_missing_column_is_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "k.csv", ["entity", "year", "metric", "value"], [["HQ", "2025",
                     "packaging.plastics", "1"]])  # fmt: skip
    zh = problem(_post(api, "mia", "/imports/kpis", file, ZH), 422)
    _all_chinese(zh, ("missing column", "the file needs"))
    assert "缺少列 'unit'" in zh["detail"]


SUPPLIER_HEADER = ["id", "name", "country", "spend", "spend_unit", "entity", "onboarded_on"]
SUPPLIER_ROWS = [
    ["S 1", "A", "CN", "", "", "", ""],  # id
    ["S2", "", "XX", "", "", "", ""],  # empty name, bad country
    ["S3", "C", "CN", "lots", "CNY", "", ""],  # not a number
    ["S4", "D", "CN", "-5", "ABC", "NOPE", "31/12/2024"],  # range, currency, entity, date
    ["S5", "E", "CN", "5", "", "", ""],  # spend without currency
    ["S5", "F", "CN", "", "", "", ""],  # duplicate
]
SUPPLIER_ENGLISH = ("is empty", "is not", "may only use", "must be between", "unknown",
                    "without its currency", "duplicate")  # fmt: skip


def test_supplier_register_rows_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    file = write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, SUPPLIER_ROWS)
    zh = problem(_post(api, "sam", "/supplier-imports/suppliers", file, ZH), 422)
    assert len(zh["problems"]) >= 8, zh["problems"]
    _all_chinese(zh, SUPPLIER_ENGLISH)
    assert zh.get("problems") and all(p["row"] for p in zh["problems"])
    en = problem(_post(api, "sam", "/supplier-imports/suppliers", file, {}), 422)
    assert "'XX' is not an ISO 3166-1 alpha-2 country code" in " ".join(
        p["reason"] for p in en["problems"]
    )


def test_agreement_dates_in_order_are_worded_in_chinese(api: Api, tmp_path: Path) -> None:
    suppliers = write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, [["S1", "A", "CN", "", "", "", ""]])
    assert _post(api, "sam", "/supplier-imports/suppliers", suppliers, ZH).status_code == 200
    header = ["supplier", "kind", "signed_on", "expires_on", "evidence"]
    rows = [["S1", "nda", "2025-01-01", "2024-01-01", ""], ["S9", "gift", "2025-01-01", "", "77"]]
    file = write_csv(tmp_path / "a.csv", header, rows)
    zh = problem(_post(api, "sam", "/supplier-imports/agreements", file, ZH), 422)
    assert len(zh["problems"]) >= 4, zh["problems"]
    _all_chinese(zh, ("is before", "unknown", "is not one of"))


def test_a_large_file_refused_for_its_units_names_each_row() -> None:
    """50,000 rows with a unit that does not fit: refused row by row (worded in Chinese), never
    a polars ShapeError from the unit check's constant predicate over a joined frame."""
    import polars as pl

    from esgledger.catalog.messages import reason_in
    from esgledger.errors import ImportRejected
    from esgledger.ingest.kpis import validate_kpis
    from esgledger.ingest.readers import Table

    n = 50_000
    frame = pl.DataFrame({"entity": ["HQ"] * n, "year": ["2025"] * n,
                          "metric": ["workforce.headcount"] * n,
                          "value": [str(i) for i in range(n)], "unit": ["kWh"] * n})  # fmt: skip
    try:
        validate_kpis(Table(frame, "big.csv", ""), known_entities={"HQ"})
    except ImportRejected as refused:
        units = [p for p in refused.problems if p.column == "unit"]
        assert refused.total >= n and units and units[0].row == 2
        assert reason_in(units[0], "zh").startswith(
            "单位 'kWh' 与指标 'workforce.headcount' 不匹配"
        )
    else:
        raise AssertionError("a file of bad units was accepted")
