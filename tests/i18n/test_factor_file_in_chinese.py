"""#19: a refused factor edition (``esg factors import``) names each row's catalog message, so
it can be worded in Chinese; no page or API route imports a factor edition yet, so the refusal
is read the way they word one (``reason_in``). English is unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog.messages import reason_in
from esgledger.errors import ImportRejected
from esgledger.ingest.factors import validate_factors
from esgledger.ingest.readers import read_table
from tests.factories import write_csv

CJK = re.compile(r"[\u4e00-\u9fff]")
HEADER = ["factor_id", "kind", "activity", "parameter", "region", "gas", "value", "value_min",
          "value_max", "unit"]  # fmt: skip
EF = ["emission_factor", "electricity.purchased", "ef", "CN", "CO2"]
ROWS = [
    ["f1", "bogus", "electricity.purchased", "ef", "CN", "CO2", "1", "", "", "t/kWh"],  # kind
    ["f2", "emission_factor", "electricity.purchased", "coef", "CN", "CO2", "1", "", "", "t/kWh"],
    ["f3", "emission_factor", "x.y", "ef", "CN", "CO2", "1", "", "", "t/kWh"],  # activity
    ["f4", "emission_factor", "electricity.purchased", "ef", "CN", "", "1", "", "", "t/kWh"],
    ["f5", *EF[:3], "MARS", "CO2", "1", "", "", "t/kWh"],  # region
    ["f6", *EF, "lots", "", "", "t/kWh"],  # value
    ["f7", *EF, "-1", "", "", "t/kWh"],  # negative
    ["f8", *EF, "1", "a", "", "t/kWh"],  # value_min
    ["f9", *EF, "5", "", "3", "t/kWh"],  # outside
    ["f9", *EF, "1", "", "", "t/kWh"],  # duplicate
    ["old", *EF, "1", "", "", "t/kWh"],  # taken
    ["f10", *EF, "1", "", "", "t/L"],  # does not give
    ["f11", "fuel_parameter", "fuel.diesel", "oxidation", "CN", "", "1", "", "", "kg"],
    ["f12", "energy_coefficient", "fuel.diesel", "coef", "CN", "", "1", "", "", "zz"],
]
ENGLISH = [
    "kind 'bogus' is not one of energy_coefficient, emission_factor",
    "parameter 'coef' does not belong to kind 'emission_factor'",
    "unknown activity type 'x.y'",
    "an emission factor needs its gas (CO2, CH4, N2O or CO2e)",
    "'MARS' is not a country, ISO 3166-2 subdivision, CN-GRID-* region or GLOBAL",
    "'lots' is not a number",
    "value is negative",
    "'a' is not a number",
    "value lies outside value_min…value_max",
    "duplicate factor_id, first on row 10",
    "factor_id 'old' already exists; ids are never reused",
    "unit 't/L' does not give t or tCO2e for electricity.purchased ef",
    "oxidation must be a fraction or %: unit 'kg' cannot be converted to 'dimensionless' "
    "(different dimensions)",
    "unknown unit 'zz'",
]


def test_factor_file_checks_are_worded_in_chinese(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", HEADER, ROWS)
    with pytest.raises(ImportRejected) as refused:
        validate_factors(read_table(path, kind="factors"), edition="e", taken_ids=("old",))
    problems = refused.value.problems
    english = [p.reason for p in problems]
    assert all(any(r.startswith(e) for r in english) for e in ENGLISH), english
    chinese = [reason_in(p, "zh") for p in problems]
    for text in chinese:
        assert CJK.search(text) and text not in english, text
        assert not any(w in text for w in (" is ", " or ", "needs", "does not", "lies")), text
    assert "单位 't/L' 不能得出 t 或 tCO2e（electricity.purchased 的 ef）" in chinese, chinese
    assert "factor_id 'old' 已存在；编号不会重复使用" in chinese, chinese
    assert (
        "oxidation（氧化率）须为分数或 %：单位 'kg' 无法换算为 'dimensionless'（量纲不同）"
        in chinese
    )
