"""#18: an activity file is validated a slice of rows at a time (10⁶ by default): a 10⁷-row
store import peaked at 5.5 GB validating the file whole. Row numbers stay the file's,
duplicates are found across slices (naming both rows), a certificate id is claimed once
across slices, and a refusal in any slice writes nothing: no store file, no registry row,
no batch. Here slices of 3 rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import func, select

from esgledger.errors import ImportRejected
from esgledger.ingest import activities as ingest
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.models import ImportBatch
from esgledger.ledger.store_models import ActivityFile
from tests.factories import write_csv

HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "certificate_ids"]
ENTITIES = ["E1", "E2", "E3"]


def row(i: int, **change: str) -> list[str]:
    """Row ``i`` of the file (its own month and entity, so no two rows share a key)."""
    base = {
        "entity": ENTITIES[i % 3],
        "start": f"2024-{i % 12 + 1:02d}-01",
        "end": f"2024-{i % 12 + 1:02d}-28",
        "activity": "electricity.purchased",
        "quantity": str(100 + i),
        "unit": "kWh",
        "certificate_ids": "",
    }
    return list({**base, **change}.values())


@pytest.fixture
def db(sqlite_db: Database, tmp_path: Path) -> Database:
    entities = write_csv(
        tmp_path / "e.csv",
        ["id", "name", "parent", "country", "subdivision", "kind"],
        [["G", "Group", "", "CN", "CN-GD", "group"]]
        + [[e, e, "G", "CN", "CN-GD", "site"] for e in ENTITIES],
    )
    import_entities(sqlite_db, entities, actor="test")
    return sqlite_db


def nothing_written(db: Database, tmp_path: Path) -> None:
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(ActivityFile)) == 0
        batches = session.scalar(
            select(func.count()).select_from(ImportBatch).where(ImportBatch.kind == "activities")
        )
        assert batches == 0
    store = tmp_path / "esg.db.store"
    assert not store.exists() or not any(p.is_file() for p in store.rglob("*"))


def refused(db: Database, path: Path) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ImportRejected) as exc:
        import_activities(db, path, actor="test", store=True, slice_rows=3)
    return [(p.row, p.column, p.reason) for p in exc.value.problems]


def test_a_duplicate_across_slices_is_refused_naming_both_rows(
    db: Database, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(10)]
    rows[8] = row(1, quantity="999")  # file row 10 has row 3's key (another slice)
    path = write_csv(tmp_path / "a.csv", HEADER, rows)
    assert refused(db, path) == [(10, "entity", "duplicate of row 3")]
    nothing_written(db, tmp_path)


def test_a_bad_cell_in_the_last_slice_is_refused_with_its_row_and_column(
    db: Database, tmp_path: Path
) -> None:
    rows = [row(i) for i in range(10)]
    rows[9] = row(9, quantity="lots")  # row 11: the last slice holds it alone
    path = write_csv(tmp_path / "a.csv", HEADER, rows)
    [(line, column, _)] = refused(db, path)
    assert (line, column) == (11, "quantity")
    nothing_written(db, tmp_path)


def test_a_certificate_id_is_claimed_once_across_slices(db: Database, tmp_path: Path) -> None:
    cert = {"activity": "certificate.renewable_electricity", "certificate_ids": "GEC-7"}
    rows = [row(i) for i in range(10)]
    rows[1], rows[7] = row(1, **cert), row(7, **cert)  # rows 3 and 9
    path = write_csv(tmp_path / "a.csv", HEADER, rows)
    [(line, column, reason)] = refused(db, path)
    assert (line, column) == (9, "certificate_ids") and "row 3" in reason
    nothing_written(db, tmp_path)


def test_rows_validated_at_once_are_a_slice_and_the_import_is_whole(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held: list[int] = []
    real: Callable[..., Any] = ingest.checked_cells

    def counted(frame: pl.DataFrame, *args: Any, **kwargs: Any) -> Any:
        held.append(frame.height)
        return real(frame, *args, **kwargs)

    monkeypatch.setattr(ingest, "checked_cells", counted)
    path = write_csv(tmp_path / "a.csv", HEADER, [row(i) for i in range(11)])
    out = import_activities(db, path, actor="test", store=True, slice_rows=3)
    assert held == [3, 3, 3, 2]
    assert out["rows"] == 11
    with db.read() as session:
        stored = session.scalar(select(func.sum(ActivityFile.rows)))
    assert stored == 11


def test_the_refusal_of_many_bad_rows_is_the_whole_files(db: Database, tmp_path: Path) -> None:
    """Each slice keeps its first problems only; the refusal shown (its first 50 lines and
    the count of the rest) is what checking the file whole shows."""
    rows = [
        row(i, quantity="-1" if i % 3 else "x", unit="kWh" if i % 5 else "") for i in range(200)
    ]
    rows += [row(1)] * 3  # duplicates of row 3 at the end
    path = write_csv(tmp_path / "a.csv", HEADER, rows)
    said = []
    for size in (7, 1_000_000):
        with pytest.raises(ImportRejected) as exc:
            import_activities(db, path, actor="test", store=True, slice_rows=size)
        said.append((str(exc.value), exc.value.total))
    assert said[0] == said[1]
    assert said[0][1] > 200
    nothing_written(db, tmp_path)
