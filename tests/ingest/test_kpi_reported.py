"""Issue #11 finding 2: published totals, intensities and derived figures can be entered,
each with the decimals it was printed with."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.errors import ImportRejected
from esgledger.ingest.decimals import format_decimals, printed_decimals
from esgledger.ledger.db import Database
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import KpiValue
from tests.factories import write_csv, write_xlsx

HEADER = ["entity", "year", "metric", "value", "unit"]


def stored(db: Database) -> dict[str, tuple[float | None, int | None]]:
    with db.read() as session:
        return {v.metric_id: (v.value, v.decimals) for v in session.scalars(select(KpiValue))}


@pytest.mark.parametrize(
    ("text", "decimals"),
    [
        ("12,983.6", 1),
        ("105643.30", 2),
        ("1200", 0),
        ("0.30000000000000004", 1),  # a workbook's binary noise is not printed precision
        ("12983.5600000001", 2),
        ("1e5", None),
        ("n/a", None),
    ],
)
def test_printed_decimals(text: str, decimals: int | None) -> None:
    assert printed_decimals(text) == decimals


def test_derived_totals_and_intensities_are_accepted_with_their_decimals(
    ws: Database, tmp_path: Path
) -> None:
    rows = [
        ["GRP", 2023, "energy.total", "15,032.40", "tce"],
        ["GRP", 2023, "energy.intensity", "1.3", "tce/(RMB million)"],
        ["GRP", 2023, "water.consumption", "8800", "t"],
        ["GRP", 2023, "water.withdrawal.total", "10,000.1", "t"],
    ]
    result = import_kpis(ws, write_csv(tmp_path / "k.csv", HEADER, rows), actor="test")
    assert result["added"] == 4
    assert stored(ws) == {
        "energy.total": (15032.4, 2),
        "energy.intensity": (1.3, 1),
        "water.consumption": (8800.0, 0),
        "water.withdrawal.total": (10000.1, 1),
    }


def test_a_decimals_column_states_the_printed_precision(ws: Database, tmp_path: Path) -> None:
    """An XLSX cell loses its trailing zeros: the decimals column says what was printed."""
    path = write_xlsx(
        tmp_path / "k.xlsx",
        {
            "kpis": (
                [*HEADER, "decimals"],
                [
                    ["GRP", 2024, "energy.total", 15032.4, "tce", 2],
                    ["GRP", 2024, "energy.intensity", 1.25, "tce/(RMB million)", ""],
                ],
            )
        },
    )
    import_kpis(ws, path, actor="test")
    assert stored(ws) == {"energy.total": (15032.4, 2), "energy.intensity": (1.25, 2)}


def test_a_workbook_s_number_format_gives_the_printed_decimals(
    ws: Database, tmp_path: Path
) -> None:
    """15,032.40 typed in a cell formatted #,##0.00 arrives as 15032.4: the format says 2."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "kpis"
    sheet.append(HEADER)
    rows = [
        ("energy.total", 15032.4, "tce", "#,##0.00"),
        ("energy.intensity", 1.3, "tce/(RMB million)", "0.0000"),
        ("water.consumption", 8800, "t", "#,##0"),
        ("water.withdrawal.total", 0.1 + 0.2, "t", "General"),  # noise: read from the value
    ]
    for metric, value, unit, number_format in rows:
        sheet.append(["GRP", 2024, metric, value, unit])
        sheet.cell(row=sheet.max_row, column=4).number_format = number_format
    book.save(tmp_path / "k.xlsx")
    import_kpis(ws, tmp_path / "k.xlsx", actor="test")
    decimals = {metric: d for metric, (_, d) in stored(ws).items()}
    assert decimals == {
        "energy.total": 2,
        "energy.intensity": 4,
        "water.consumption": 0,
        "water.withdrawal.total": 1,
    }


@pytest.mark.parametrize(
    ("number_format", "decimals"),
    [("0.00", 2), ("#,##0.0_);(#,##0.0)", 1), ("0", 0), ("General", None), ("0.0%", None)],
)
def test_format_decimals(number_format: str, decimals: int | None) -> None:
    assert format_decimals(number_format) == decimals


def test_a_bad_decimals_cell_is_refused_naming_row_and_column(ws: Database, tmp_path: Path) -> None:
    rows = [["GRP", 2024, "energy.total", "1.5", "tce", "2.5"]]
    path = write_csv(tmp_path / "k.csv", [*HEADER, "decimals"], rows)
    with pytest.raises(ImportRejected) as err:
        import_kpis(ws, path, actor="test")
    assert "k.csv, row 2, column 'decimals': '2.5' is not a count of decimals, 0 to 9" in str(
        err.value
    )
    assert stored(ws) == {}
