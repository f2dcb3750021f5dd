"""#18: a store import writes each (year, entity)'s file from that entity's rows alone.

The write partitioned the whole import at once (``partition_by``): a second full copy of
the rows, which took a 10⁷-row import's peak from about 3.0 to 4.5 GB in the write alone.
Each file is now gathered from its rows' numbers in turn; the files are byte for byte those
the partitioned write made (same rows, order, schema and SHA-256), and the memory the write
adds no longer holds every row twice."""

from __future__ import annotations

import gc
import hashlib
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select

from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.ingest.readers import Table
from esgledger.ledger import activity_store
from esgledger.ledger.batches import open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.store_models import ActivityFile

ENTITIES = [str(e["id"]) for e in entity_rows()]


def import_rows(count: int) -> pl.DataFrame:
    """Typed rows as an import hands them to the write: entities interleaved (not sorted,
    not grouped) over two years, so each file gathers rows from all over the import; each
    row has its attributes (a note of about 100 characters), as instrument rows do."""
    n = pl.int_range(0, count, eager=True, dtype=pl.Int64)
    month = n % 24
    return pl.DataFrame(
        {
            "entity_id": pl.Series(ENTITIES).gather(n * 7 % len(ENTITIES)),
            "m": month,
            "activity": pl.Series(["electricity.purchased", "fuel.diesel", "fuel.gas"]).gather(
                n % 3
            ),
            "quantity": n.cast(pl.Float64) * 1.25,
            "unit": pl.Series(["MWh", "L", "m3"]).gather(n % 3),
            "n": n,
        }
    ).select(
        "entity_id",
        pl.date(2024 + pl.col("m") // 12, pl.col("m") % 12 + 1, 1).alias("start"),
        pl.date(2024 + pl.col("m") // 12, pl.col("m") % 12 + 1, 28).alias("end"),
        "activity",
        "quantity",
        "unit",
        pl.format('{{"note": "{} {}"}}', pl.col("n"), pl.lit("x" * 80)).alias("attributes"),
    )


def write(db: Database, rows: pl.DataFrame, written: list[Path]) -> list[ActivityFile]:
    table = Table(rows, "parts.csv", "0" * 64)
    with db.write() as s:
        batch = open_batch(s, kind="activities", table=table, rows=rows.height, actor="test")
        return activity_store.write_files(s, rows, batch.id, written)


@pytest.fixture
def store(sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    entities = write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())
    import_entities(sqlite_db, entities, actor="setup")
    return tmp_path / "store"


def partitioned_files(rows: pl.DataFrame, first: int) -> list[tuple[int, str, bytes]]:
    """The files as the write made them before: the whole import partitioned at once."""
    framed = rows.select(
        pl.int_range(first, first + rows.height, dtype=pl.Int64).alias("id"),
        *(pl.col(c).cast(t) for c, t in activity_store.STORE_SCHEMA.items() if c != "id"),
    ).with_columns(pl.col("start").dt.year().alias("_year"))
    parts = sorted(
        framed.partition_by("_year", "entity_id", as_dict=True).items(),
        key=lambda item: (int(item[0][0]), str(item[0][1])),  # type: ignore[call-overload]
    )
    return [
        (int(year), str(entity), activity_store._parquet_bytes(part.drop("_year")))  # type: ignore[call-overload]
        for (year, entity), part in parts
    ]


def test_the_files_are_byte_for_byte_those_of_the_partitioned_write(
    sqlite_db: Database, store: Path
) -> None:
    rows = import_rows(1000)
    written: list[Path] = []
    files = write(sqlite_db, rows, written)
    first = min(f.first_id for f in files)
    wanted = partitioned_files(rows, first)
    assert len(wanted) == 2 * len(ENTITIES)  # every entity, both years
    assert [(f.year, f.entity_id) for f in files] == [(y, e) for y, e, _ in wanted]
    for file, (_, _, data) in zip(files, wanted, strict=True):
        on_disk = (store / file.path).read_bytes()
        assert on_disk == data, file.path
        assert file.sha256 == hashlib.sha256(data).hexdigest()
    with sqlite_db.read() as s:
        registered = list(s.scalars(select(ActivityFile).order_by(ActivityFile.first_id)))
    assert sum(f.rows for f in registered) == 1000
    back = pl.concat([pl.read_parquet(store / f.path) for f in registered]).sort("id")
    assert back["id"].to_list() == list(range(first, first + 1000))  # ids in file order
    assert back.drop("id").equals(rows)  # every row once, as given


def rows_held(exclude: pl.DataFrame) -> int:
    """The rows of every data frame alive in this process but ``exclude`` (the caller's)."""
    return sum(
        o.height for o in gc.get_objects() if isinstance(o, pl.DataFrame) and o is not exclude
    )


def test_the_write_holds_one_files_rows_at_a_time_beside_the_import(
    sqlite_db: Database, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = import_rows(2000)
    held: list[int] = []
    calls = [0]
    real = activity_store._parquet_bytes

    def counted(frame: pl.DataFrame) -> bytes:
        if calls[0] < 3 or calls[0] % 20 == 0:  # a scan of every object costs ~0.1 s
            held.append(rows_held(rows))
        calls[0] += 1
        return real(frame)

    gc.collect()
    alive = rows_held(rows)  # frames an earlier test in this worker left (caches)
    monkeypatch.setattr(activity_store, "_parquet_bytes", counted)
    files = write(sqlite_db, rows, [])
    assert calls[0] == len(files) == 2 * len(ENTITIES)
    assert len(held) == 7
    largest = max(f.rows for f in files)
    assert largest < 60  # 2,000 rows over 86 files
    # the import with its ids (2,000 rows), the file's rows and the same without the year;
    # before, every file's rows besides (another 2,000)
    assert max(held) - alive <= rows.height + 2 * largest, (max(held), alive, largest)
