"""Issue #13.7: text longer than its column holds is refused at import the same way on SQLite
and PostgreSQL — one short line naming row and column, nothing written."""

from __future__ import annotations

from pathlib import Path

from esgledger.errors import ImportRejected
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from tests.factories import ACTIVITY_HEADER, ENTITIES, ENTITY_HEADER, write_csv
from tests.ingest.test_rejections import refused

HUGE = "x" * 1_000_000  # beyond any cell a file may hold: the reader refuses it
LONG = "x" * 10_000  # a cell a file may hold, longer than any text column


def only_line(err: ImportRejected) -> str:
    lines = str(err).splitlines()
    assert len(lines) == 2, lines  # the problem, then "refused, 1 problem; nothing was imported"
    assert all(len(line) < 200 for line in lines), "a message never repeats the long value"
    return lines[0]


def test_issue13_7_a_million_character_entity_name_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv", ENTITY_HEADER, [*ENTITIES, ["BIG", HUGE, "GRP", "CN", "", "site"]]
    )
    err = refused(db, path, import_entities)
    assert (
        only_line(err) == "e.csv, row 7, column 'name': the cell is longer than 32,767 characters"
    )


def test_an_entity_name_longer_than_its_column_is_refused(db: Database, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "e.csv", ENTITY_HEADER, [*ENTITIES, ["BIG", LONG, "GRP", "CN", "", "site"]]
    )
    err = refused(db, path, import_entities)
    assert only_line(err) == (
        "e.csv, row 7, column 'name': 10,000 characters, longer than the 200 it may hold"
    )


def test_an_entity_name_of_exactly_the_limit_is_stored(db: Database, tmp_path: Path) -> None:
    name = "名" * 200  # characters, not bytes, on both databases
    path = write_csv(
        tmp_path / "e.csv", ENTITY_HEADER, [*ENTITIES, ["BIG", name, "GRP", "CN", "", "site"]]
    )
    assert import_entities(db, path, actor="test").added == len(ENTITIES) + 1


def test_a_long_entity_id_in_an_activity_file_is_refused_before_it_is_echoed(
    ws: Database, tmp_path: Path
) -> None:
    rows = [[LONG, "2024-01-01", "2024-01-31", "fuel.diesel", "1", "t"]]
    err = refused(ws, write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows))
    assert only_line(err) == (
        "a.csv, row 2, column 'entity': 10,000 characters, longer than the 64 it may hold"
    )


def test_attributes_longer_than_the_key_holds_are_refused(ws: Database, tmp_path: Path) -> None:
    rows = [
        ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "1", "t", "n" * 400, "m" * 100],
        ["SZ1", "2024-02-01", "2024-02-29", "fuel.diesel", "1", "t", "n" * 400, ""],
    ]
    path = write_csv(tmp_path / "a.csv", [*ACTIVITY_HEADER, "meter", "note"], rows)
    err = refused(ws, path)
    assert only_line(err) == (
        "a.csv, row 2, column 'attributes': 522 characters, longer than the 500 it may hold "
        "(all attribute columns together, as stored in the row's key)"
    )


def test_a_kpi_unit_longer_than_its_column_is_refused(ws: Database, tmp_path: Path) -> None:
    header = ["entity", "year", "metric", "value", "unit"]
    rows = [["GRP", "2024", "ghg.scope1", "10", "t" * 41]]
    err = refused(ws, write_csv(tmp_path / "k.csv", header, rows), import_kpis)
    assert only_line(err) == (
        "k.csv, row 2, column 'unit': 41 characters, longer than the 40 it may hold"
    )
