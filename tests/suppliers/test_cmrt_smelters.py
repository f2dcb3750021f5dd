"""CMRT rule class: the Smelter List rows (#16)."""

from __future__ import annotations

from pathlib import Path

from tests.suppliers.cmrt_files import Cmrt, checked, lines, smelter


def test_a_malformed_smelter_id_is_refused_by_row(tmp_path: Path) -> None:
    spec = Cmrt(smelters=[smelter("Tin", "CID1", "Alpha Tin"), smelter("Gold", "CID000002", "B")])
    assert lines(checked(tmp_path, spec).errors) == [
        "s.xlsx, row 4, column 'Smelter List!F': smelter identification 'CID1' is not CID and "
        "6 digits"
    ]


def test_a_smelter_not_listed_needs_name_and_country(tmp_path: Path) -> None:
    rows = [["", "Tin", "Smelter not listed", "", "", "", ""], smelter("Gold", "CID000002", "B")]
    assert lines(checked(tmp_path, Cmrt(smelters=rows)).errors) == [
        "s.xlsx, row 4, column 'Smelter List!D': smelter name is required for a smelter not listed",
        "s.xlsx, row 4, column 'Smelter List!E': smelter country is required for a smelter not "
        "listed",
    ]


def test_a_smelter_not_yet_identified_is_named_unknown(tmp_path: Path) -> None:
    rows = [
        ["", "Tin", "Smelter not yet identified", "Some smelter", "", "", ""],
        ["", "Tin", "SMELTER NOT YET IDENTIFIED", "unknown", "", "", ""],
        smelter("Gold", "CID000002", "B"),
    ]
    result = checked(tmp_path, Cmrt(smelters=rows))
    assert lines(result.errors) == [
        "s.xlsx, row 4, column 'Smelter List!D': a smelter not yet identified takes the name "
        "'Unknown'"
    ]


def test_a_metal_in_use_needs_a_smelter_row(tmp_path: Path) -> None:
    spec = Cmrt(smelters=[smelter("Tin", "CID000001", "Alpha Tin")])
    assert lines(checked(tmp_path, spec).errors) == [
        "s.xlsx, column 'Smelter List!metal': gold is declared in use but the Smelter List has "
        "no gold row"
    ]


def test_a_smelter_list_without_its_columns_is_refused(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "s.xlsx"
    checked(tmp_path)
    wb = load_workbook(path)
    wb["Smelter List"]["F3"] = "Facility"
    wb.save(path)
    from esgledger.ingest.cmrt_rules import check
    from esgledger.ingest.cmrt_workbook import read_workbook
    from tests.suppliers.cmrt_files import TODAY

    found = lines(check(read_workbook(path), TODAY).errors)
    assert found == [
        "s.xlsx, row 3, column 'Smelter List!header': no column 'smelter identification' in "
        "the header row"
    ]


def test_text_longer_than_the_ledger_holds_is_refused_by_cell(tmp_path: Path) -> None:
    rows = [smelter("Tin", "CID000001", "A" * 201, "B" * 101), smelter("Gold", "CID000002", "B")]
    assert lines(checked(tmp_path, Cmrt(smelters=rows)).errors) == [
        "s.xlsx, row 4, column 'Smelter List!D': smelter name is longer than 200 characters",
        "s.xlsx, row 4, column 'Smelter List!E': smelter country is longer than 100 characters",
    ]
