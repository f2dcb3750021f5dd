"""#19: a refused product-model file (``esg import products``) names each row's catalog
message, so it can be worded in Chinese; no page or API route imports product models yet, so
the refusal is read the way they word one (``reason_in``). The sales rows of an activity file
(``product.sold``: product and country) are refused over the API in the client's language.
English is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.products import validate_products
from esgledger.ingest.readers import read_table
from tests.api.conftest import Api, api, problem
from tests.calc.scope3.test_products import PRODUCT_HEADER, SALES_HEADER
from tests.factories import write_csv
from tests.i18n.test_file_checks_in_chinese import ZH, _all_chinese, _post

__all__ = ["api"]  # the fixture, imported for pytest

CJK = re.compile(r"[\u4e00-\u9fff]")
ACTIVITIES = SALES_HEADER[:6]  # without product and country
USE = ["P1", "Cam", "5", "3", "7", "use", "on", "5", "100", "", ""]
ROWS = [
    ["", "", "5", "3", "7", "", "", "", "", "", ""],  # product, name, part, item empty
    ["P2", "Cam", "5", "3", "7", "both", "on", "", "", "", ""],  # part
    ["P3", "Cam", "x", "-1", "7", "use", "on", "5", "100", "", ""],  # number, more than 0
    ["P4", "Cam", "9", "3", "7", "use", "on", "5", "100", "", ""],  # lifetimes in order
    ["P5", "Cam", "5", "3", "7", "use", "on", "lots", "-2", "", ""],  # number, negative
    ["P6", "Cam", "5", "3", "7", "use", "on", "5", "9000", "", ""],  # hours in a year
    ["P7", "Cam", "5", "3", "7", "material", "wood", "", "", "1", "burning"],  # no use row too
    USE,
    USE,  # duplicate
    ["P1", "Camera", "5", "3", "7", "use", "off", "1", "100", "", ""],  # name differs
]
ENGLISH = [
    "product is empty",
    "name is empty",
    "part is empty",
    "item is empty",
    "part 'both' is not use or material",
    "'x' is not a number",
    "lifetime_low_years must be more than 0",
    "lifetimes must be low <= lifetime_years <= high",
    "'lots' is not a number",
    "hours_per_year is negative",
    "hours_per_year is more than a year has (8784)",
    "material 'wood' is not one of plastic, metal, paper, electronics",
    "treatment 'burning' is not one of landfill, incineration_with_energy_recovery",
    "duplicate of row 9",
    "the product's name and lifetimes differ between its rows",
    "the product has no use row (power by mode)",
]


def test_product_file_checks_are_worded_in_chinese(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "p.csv", PRODUCT_HEADER, ROWS)
    with pytest.raises(ImportRejected) as refused:
        validate_products(read_table(path, kind="products"))
    problems = refused.value.problems
    english = [p.reason for p in problems]
    assert all(any(r.startswith(e) for r in english) for e in ENGLISH), english
    chinese = [reason_in(p, "zh") for p in problems]
    for text in chinese:
        assert CJK.search(text) and text not in english, text
        assert not any(e in text for e in ("is empty", "is not", "must be", "differ")), text
    assert "材料 'wood' 不在可选值之内（plastic, metal, paper, electronics）" in chinese, chinese
    assert "hours_per_year 超过一年的小时数（8784）" in chinese, chinese


def test_sales_rows_are_worded_in_chinese_over_the_api(api: Api, tmp_path: Path) -> None:
    sale = ["SZ1", "2025-01-01", "2025-12-31", "product.sold", "10", "piece"]
    file = write_csv(tmp_path / "s.csv", SALES_HEADER, [[*sale, "", "XX"]])
    zh = problem(_post(api, "mia", "/imports/activities", file, ZH), 422)
    _all_chinese(zh, ("is empty", "is not an ISO"))
    reasons = [p["reason"] for p in zh["problems"]]
    assert "product 为空" in reasons and "国家 'XX' 不是 ISO 3166-1 两位字母代码" in reasons
    en = problem(_post(api, "mia", "/imports/activities", file, {}), 422)
    english = [p["reason"] for p in en["problems"]]
    assert english == ["country 'XX' is not an ISO 3166-1 alpha-2 code", "product is empty"]
    bare = write_csv(tmp_path / "b.csv", ACTIVITIES, [sale])
    zh = problem(_post(api, "mia", "/imports/activities", bare, ZH), 422)
    assert [p["reason"] for p in zh["problems"]] == ["product.sold 行需要 'product' 列"], zh
    en = problem(_post(api, "mia", "/imports/activities", bare, {}), 422)
    assert [p["reason"] for p in en["problems"]] == ["product.sold rows need a 'product' column"]
