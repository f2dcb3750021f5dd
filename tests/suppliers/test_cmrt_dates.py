"""CMRT rule class: dates as DD-MMM-YYYY, the effective date not in the future (#16)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, company, lines

EFFECTIVE = "Effective Date (*):"


def test_the_effective_date_is_read_as_dd_mmm_yyyy_in_any_case(tmp_path: Path) -> None:
    result = checked(tmp_path, Cmrt(fields=company(**{EFFECTIVE: "05-JUN-2026"})))
    assert result.errors == [] and result.effective_on == dt.date(2026, 6, 5)


def test_a_date_cell_is_accepted(tmp_path: Path) -> None:
    result = checked(tmp_path, Cmrt(fields=company(**{EFFECTIVE: dt.datetime(2026, 2, 1)})))
    assert result.errors == [] and result.effective_on == dt.date(2026, 2, 1)


def test_another_date_format_is_refused(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(fields=company(**{EFFECTIVE: "2026/01/15"}))).errors)
    assert found == [
        "s.xlsx, row 20, column 'Declaration!D': effective date '2026/01/15' is not a date as "
        "DD-MMM-YYYY (e.g. 15-Jan-2026)"
    ]


def test_an_impossible_date_is_refused(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(fields=company(**{EFFECTIVE: "31-Feb-2026"}))).errors)
    assert "effective date '31-Feb-2026' is not a date" in found[0]


def test_a_future_effective_date_is_refused(tmp_path: Path) -> None:
    found = lines(checked(tmp_path, Cmrt(fields=company(**{EFFECTIVE: "01-Jul-2026"}))).errors)
    assert found == [
        "s.xlsx, row 20, column 'Declaration!D': effective date 2026-07-01 is in the future"
    ]
