"""Every rejection reason: the whole file is refused, the database is unchanged (its state
before and after equal, :mod:`tests.ingest.unchanged`), and the message names the row, the
column and the reason, one line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.errors import ImportRejected
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from tests.factories import ACTIVITY_HEADER, monthly_rows, write_csv, write_xlsx
from tests.ingest.unchanged import state

GOOD = ["SZ1", "2024-01-01", "2024-01-31", "electricity.purchased", "1200.5", "MWh"]


def refused(db: Database, path: Path, importer=import_activities) -> ImportRejected:
    before = state(db)
    with pytest.raises(ImportRejected) as err:
        importer(db, path, actor="test")
    assert state(db) == before, "a refused file must change nothing"
    return err.value


def activity_file(tmp_path: Path, bad_row: list[str], header=ACTIVITY_HEADER) -> Path:
    return write_csv(tmp_path / "act.csv", header, [GOOD, bad_row])


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (
            ["SZ1", "2024-01-01", "2024-01-31", "electricity.purchased", "5", "kWhz"],
            "unit",
            "unknown unit 'kWhz'",
        ),
        (
            ["XX9", "2024-01-01", "2024-01-31", "fuel.diesel", "5", "t"],
            "entity",
            "unknown entity 'XX9'",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "fuel.unobtainium", "5", "t"],
            "activity",
            "unknown activity type 'fuel.unobtainium'",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "5", "kWh/t"],
            "unit",
            "does not measure diesel",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "electricity.purchased", "5", "t"],
            "unit",
            "does not measure purchased electricity",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "-3", "t"],
            "quantity",
            "quantity is negative",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "lots", "t"],
            "quantity",
            "'lots' is not a number",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "nan", "t"],
            "quantity",
            "'nan' is not a number",
        ),
        (
            ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "", "t"],
            "quantity",
            "is not a number",
        ),
        (
            ["SZ1", "2024-02-01", "2024-01-31", "fuel.diesel", "5", "t"],
            "end",
            "end is before start",
        ),
        (["SZ1", "2024-13-01", "2024-01-31", "fuel.diesel", "5", "t"], "start", "is not a date"),
        (["SZ1", "2024-01-01", "31/01/2024", "fuel.diesel", "5", "t"], "end", "is not a date"),
        (GOOD, "entity", "duplicate of row 2"),
    ],
    ids=[
        "unknown-unit",
        "unknown-entity",
        "unknown-activity",
        "wrong-dimension",
        "wrong-dimension-2",
        "negative",
        "non-numeric",
        "nan",
        "empty-quantity",
        "end-before-start",
        "bad-date",
        "bad-date-format",
        "duplicate-in-file",
    ],
)
def test_bad_activity_row_refuses_file(
    ws: Database, tmp_path: Path, bad_row, column, reason
) -> None:
    err = refused(ws, activity_file(tmp_path, bad_row))
    message = str(err)
    assert f"act.csv, row 3, column '{column}': " in message
    assert reason in message
    assert (
        message.splitlines()[-1]
        == f"act.csv: refused, {err.total} problem{'s' if err.total > 1 else ''}; nothing was imported"
    )


def test_row_already_stored_is_a_duplicate(ws: Database, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, [GOOD])
    result = import_activities(ws, first, actor="test")
    second = write_csv(tmp_path / "b.csv", ACTIVITY_HEADER, [GOOD])
    err = refused(ws, second)
    assert f"b.csv, row 2, column 'entity': already imported (batch {result['batch_id']})" in str(
        err
    )


def test_attribute_distinguishes_rows(ws: Database, tmp_path: Path) -> None:
    header = [*ACTIVITY_HEADER, "use"]
    rows = [
        ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "5", "t", "mobile"],
        ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "2", "t", "stationary"],
    ]
    assert (
        import_activities(ws, write_csv(tmp_path / "a.csv", header, rows), actor="t")["rows"] == 2
    )
    bad = [["SZ1", "2024-02-01", "2024-02-28", "fuel.diesel", "5", "t", "flying"]]
    err = refused(ws, write_csv(tmp_path / "b.csv", header, bad))
    assert "column 'use': use 'flying' is not one of stationary, mobile" in str(err)


@pytest.mark.parametrize("missing", ACTIVITY_HEADER)
def test_missing_column(ws: Database, tmp_path: Path, missing: str) -> None:
    header = [c for c in ACTIVITY_HEADER if c != missing]
    row = [v for c, v in zip(ACTIVITY_HEADER, GOOD, strict=True) if c != missing]
    err = refused(ws, write_csv(tmp_path / "act.csv", header, [row]))
    assert f"act.csv: missing column '{missing}'" in str(err)


def test_empty_file(ws: Database, tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    path.write_text("")
    assert "act.csv: the file is empty" in str(refused(ws, path))


def test_header_only(ws: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "act.csv", ACTIVITY_HEADER, [])
    assert "no data rows" in str(refused(ws, path))


def test_non_utf8_file(ws: Database, tmp_path: Path) -> None:
    path = tmp_path / "act.csv"
    text = (
        ",".join(ACTIVITY_HEADER)
        + "\n"
        + ",".join(GOOD)
        + "\nSZ1,2024-02-01,2024-02-28,fuel.diesel,5,t\n"
    )
    path.write_bytes(text.replace("fuel.diesel", "fuel.diésel").encode("latin-1"))
    assert "not UTF-8 (bad byte at line 3)" in str(refused(ws, path))


def test_unsupported_extension(ws: Database, tmp_path: Path) -> None:
    path = tmp_path / "act.json"
    path.write_text("{}")
    assert "unsupported file type '.json'" in str(refused(ws, path))


def test_missing_file(ws: Database, tmp_path: Path) -> None:
    assert "file not found" in str(refused(ws, tmp_path / "nope.csv"))


def test_xlsx_wrong_sheet(ws: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "act.xlsx",
        {"Summary": (["a"], [["x"]]), "Data": (ACTIVITY_HEADER, [GOOD])},
    )
    err = refused(ws, path)
    assert "no sheet named 'activities' and several sheets (Summary, Data)" in str(err)
    before = state(ws)
    with pytest.raises(ImportRejected, match="no sheet 'Missing'; the workbook has Summary, Data"):
        import_activities(ws, path, actor="t", sheet="Missing")
    assert state(ws) == before
    assert import_activities(ws, path, actor="t", sheet="Data")["rows"] == 1


def test_xlsx_sheet_named_after_the_data_is_used(ws: Database, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "act.xlsx",
        {"Notes": (["a"], [["x"]]), "activities": (ACTIVITY_HEADER, [GOOD])},
    )
    assert import_activities(ws, path, actor="t")["rows"] == 1


def test_one_bad_row_among_ten_thousand(ws: Database, tmp_path: Path) -> None:
    rows: list[list[object]] = []
    sites = ["SZ1", "WH1", "VN1", "HQ", "GRP"]
    for i in range(10_000):
        year, month = 2000 + i // 60 % 30, i % 12 + 1
        rows.append(
            [
                sites[i % 5],
                f"{year}-{month:02d}-01",
                f"{year}-{month:02d}-28",
                "electricity.purchased",
                100 + i,
                "kWh",
                str(i),
            ]
        )
    rows[6789][4] = "12,34x"
    path = write_csv(tmp_path / "big.csv", [*ACTIVITY_HEADER, "meter"], rows)
    err = refused(ws, path)
    assert err.total == 1
    assert (
        str(err).splitlines()[0] == "big.csv, row 6791, column 'quantity': '12,34x' is not a number"
    )


def test_many_problems_show_fifty_then_a_count(ws: Database, tmp_path: Path) -> None:
    rows = [
        ["SZ1", f"2024-01-{d:02d}", f"2024-01-{d:02d}", "fuel.diesel", "-1", "t"]
        for d in range(1, 29)
    ]
    rows += [
        ["SZ1", f"2023-01-{d:02d}", f"2023-01-{d:02d}", "fuel.diesel", "x", "t"]
        for d in range(1, 29)
    ]
    err = refused(ws, write_csv(tmp_path / "act.csv", ACTIVITY_HEADER, rows))
    lines = str(err).splitlines()
    assert err.total == 56
    assert len(lines) == 52
    assert lines[50] == "act.csv: … and 6 more problems"


# --- entities -------------------------------------------------------------------------

ENTITY_HEADER = ["id", "name", "parent", "country", "subdivision"]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["B", "Bad", "A", "XX", ""], "country", "'XX' is not an ISO 3166-1 alpha-2 country code"),
        (
            ["B", "Bad", "A", "CN", "CN-ZZ"],
            "subdivision",
            "'CN-ZZ' is not an ISO 3166-2 subdivision code",
        ),
        (
            ["B", "Bad", "A", "CN", "DE-BY"],
            "subdivision",
            "subdivision 'DE-BY' is not in country 'CN'",
        ),
        (["B", "Bad", "NOPE", "CN", ""], "parent", "unknown parent 'NOPE'"),
        (["B", "Bad", "B", "CN", ""], "parent", "an entity cannot be its own parent"),
        (["A", "Again", "", "CN", ""], "id", "duplicate id, first on row 2"),
        (["", "No id", "A", "CN", ""], "id", "id is empty"),
        (["B c", "Space", "A", "CN", ""], "id", "may only use letters"),
        (["B", "", "A", "CN", ""], "name", "name is empty"),
    ],
)
def test_bad_entity_row(db: Database, tmp_path: Path, row, column, reason) -> None:
    path = write_csv(tmp_path / "ent.csv", ENTITY_HEADER, [["A", "Group", "", "CN", "CN-GD"], row])
    err = refused(db, path, import_entities)
    assert f"ent.csv, row 3, column '{column}': " in str(err)
    assert reason in str(err)


def test_entity_cycle_refused(db: Database, tmp_path: Path) -> None:
    rows = [["A", "A", "C", "CN", ""], ["B", "B", "A", "CN", ""], ["C", "C", "B", "CN", ""]]
    err = refused(db, write_csv(tmp_path / "ent.csv", ENTITY_HEADER, rows), import_entities)
    assert "the parent chain loops back to this entity" in str(err)


# --- KPI values -----------------------------------------------------------------------

KPI_HEADER = ["entity", "year", "metric", "value", "unit", "gender"]
KPI_GOOD = ["GRP", "2024", "economy.revenue", "1000", "RMB million", ""]


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            ["GRP", "2024", "no.such_metric", "1", "t", ""],
            "metric",
            "unknown metric 'no.such_metric'",
        ),
        (
            ["GRP", "2024", "workforce.headcount", "10", "kWh", ""],
            "unit",
            "does not fit metric 'workforce.headcount'",
        ),
        (
            ["GRP", "2024", "workforce.headcount", "10", "persns", ""],
            "unit",
            "unknown unit 'persns'",
        ),
        (
            ["GRP", "20x4", "workforce.headcount", "10", "person", ""],
            "year",
            "'20x4' is not a year",
        ),
        (
            ["NOPE", "2024", "workforce.headcount", "10", "person", ""],
            "entity",
            "unknown entity 'NOPE'",
        ),
        (["GRP", "2024", "workforce.headcount", "-1", "person", ""], "value", "value is negative"),
        (
            ["GRP", "2024", "workforce.headcount", "many", "person", ""],
            "value",
            "'many' is not a number",
        ),
        (
            ["GRP", "2024", "workforce.headcount", "10", "person", "other"],
            "gender",
            "'other' is not one of male, female, unknown",
        ),
        (
            ["GRP", "2024", "economy.revenue", "10", "RMB million", "female"],
            "gender",
            "has no gender breakdown",
        ),
        (KPI_GOOD, "metric", "duplicate of row 2"),
    ],
)
def test_bad_kpi_row(ws: Database, tmp_path: Path, row, column, reason) -> None:
    path = write_csv(tmp_path / "kpi.csv", KPI_HEADER, [KPI_GOOD, row])
    err = refused(ws, path, import_kpis)
    assert f"kpi.csv, row 3, column '{column}': " in str(err)
    assert reason in str(err)


def test_changed_value_needs_a_restatement_reason(ws: Database, tmp_path: Path) -> None:
    import_kpis(ws, write_csv(tmp_path / "a.csv", KPI_HEADER, [KPI_GOOD]), actor="t")
    changed = ["GRP", "2024", "economy.revenue", "1100", "RMB million", ""]
    err = refused(ws, write_csv(tmp_path / "b.csv", KPI_HEADER, [changed]), import_kpis)
    assert (
        "b.csv, row 2, column 'value': already recorded as 1000.0 RMB million; give a restatement_reason"
        in str(err)
    )


def test_monthly_rows_helper_is_importable(ws: Database, tmp_path: Path) -> None:
    rows = monthly_rows("SZ1", "fuel.diesel", "t", 2024, 3.0)
    assert (
        import_activities(ws, write_csv(tmp_path / "m.csv", ACTIVITY_HEADER, rows), actor="t")[
            "rows"
        ]
        == 12
    )
