"""#19: numbers and dates per edition; 万 and 亿 only in Chinese prose, never in tables."""

from __future__ import annotations

import datetime as dt

import pytest

from esgledger.disclose.locale_format import long_date, prose_number, table_number
from esgledger.errors import InvalidInput


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tables_group_thousands_and_keep_the_printed_decimals(lang: str) -> None:
    assert table_number(66976.0, 2, lang) == "66,976.00"
    assert table_number(893_400_000, 0, lang) == "893,400,000"
    assert table_number(-1234.567, 1, lang) == "-1,234.6"


def test_chinese_prose_counts_in_wan_and_yi() -> None:
    assert prose_number(55_780, 0, "zh") == "5.58万"
    assert prose_number(893_400_000, 1, "zh") == "8.93亿"
    assert prose_number(100_000_000, 0, "zh") == "1亿"
    assert prose_number(9_999, 0, "zh") == "9,999"
    assert prose_number(-25_000, 0, "zh") == "-2.5万"


def test_english_prose_is_the_table_figure() -> None:
    assert prose_number(55_780, 0, "en") == "55,780"


def test_dates_in_words() -> None:
    day = dt.date(2025, 12, 31)
    assert long_date(day, "zh") == "2025年12月31日"
    assert long_date(day, "en") == "31 December 2025"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidInput):
        table_number(1.0, 0, "de")
