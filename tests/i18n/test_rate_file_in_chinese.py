"""#19: a refused rate file (exchange rates and price indexes, ``esg factors import``) names
each row's catalog message, so it can be worded in Chinese; no page or API route imports a
factor edition yet, so the refusal is read the way they word one (``reason_in``). English is
unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.factors import validate_factors
from esgledger.ingest.readers import read_table
from tests.calc.scope3.test_rate_import import HEADER
from tests.factories import write_csv

CJK = re.compile(r"[\u4e00-\u9fff]")
ROWS = [
    ["exchange_rate", "CNY", "usd_per_unit", "GLOBAL", "2024", "0.14", "USD/CNY"],  # activity
    ["price_index", "EUR", "index", "GLOBAL", "2024", "105", "dimensionless"],  # not USD
    ["exchange_rate", "currency.CNY", "usd_per_unit", "GLOBAL", "FY24", "0.14", "USD/CNY"],
    ["exchange_rate", "currency.EUR", "usd_per_unit", "GLOBAL", "2024", "0", "USD/CNY"],
    ["price_index", "USD", "index", "GLOBAL", "2024", "105", "kg"],  # unit
]
ENGLISH = {
    "exchange rate activity 'CNY' must be currency.<ISO code>",
    "a price index deflates US dollars: activity must be USD",
    "variant 'FY24' must be the rate's year (YYYY)",
    "a rate of 0 converts nothing",
    "unit 'USD/CNY' must be USD/EUR for an exchange rate",
    "unit 'kg' must be dimensionless for a price index",
}


def test_rate_file_checks_are_worded_in_chinese(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rates.csv", HEADER, ROWS)
    with pytest.raises(ImportRejected) as refused:
        validate_factors(read_table(path, kind="factors"), edition="e", taken_ids=())
    problems = [p for p in refused.value.problems if p.reason in ENGLISH]
    assert {p.reason for p in problems} == ENGLISH, refused.value.problems
    chinese = [reason_in(p, "zh") for p in problems]
    for text in chinese:
        assert CJK.search(text) and text not in ENGLISH, text
        assert not any(e in text for e in ("must be", "converts", "deflates")), text
    assert "单位 'kg' 必须为 dimensionless（价格指数）" in chinese, chinese
    assert "汇率的 activity 'CNY' 必须为 currency.<ISO 代码>" in chinese, chinese
