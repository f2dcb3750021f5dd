"""Issue #18: the store's coded read takes each file's entity from its registration.

An import writes one file per (year, entity), so a file's ``entity_id`` column holds one
value; decoding it to text and hashing every row into a code cost about 0.25 CPU s at 10⁷.
The coded read builds that column from the registered entity of each file, when the file's
own statistics vouch for it (one value, no NULL); any other file's column is decoded as
before. Either way the frame is the text read's, cast to codes: repeated, NULL and empty
values, two import batches interleaved in id order, a file written without statistics and
with plain (no dictionary) pages, and a file whose rows name another entity
than its registration.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import select

from esgledger.calc.columnar_read import ACTIVITY_SCHEMA
from esgledger.ledger import activity_store
from esgledger.ledger.db import Database
from esgledger.ledger.store_models import ActivityFile
from tests.conftest import Cli
from tests.factories import ENTITY_HEADER, write_csv

YEAR = 2024
ENTITIES = [
    ["S1", "站点一", "", "CN", "CN-GD", "site"],
    ["P_2.b-", "工厂二", "", "CN", "", "site"],
    ["S3", "Site 3", "", "DE", "", "site"],
]
HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "use", "volume_basis"]
TEXTS = ["entity_id", "activity", "unit", "attributes"]


def _rows(first_day: int) -> list[list[str]]:
    kinds = [
        ("electricity.purchased", "kWh", ""),
        ("fuel.diesel", "L", "stationary"),
        ("fuel.diesel", "kL", "mobile"),
        ("electricity.purchased", "MWh", ""),
    ]
    out = []
    for i in range(24):
        activity, unit, use = kinds[i % 4]
        entity = ENTITIES[(i * 7) % 3][0]
        day = f"2024-{1 + (first_day + i) % 12:02d}-{1 + i % 27:02d}"
        out.append([entity, day, day, activity, str(1 + i), unit, use, ""])
    return out


@pytest.fixture(params=[0, 10**9], ids=["from-registry", "decoded"])
def stored(
    cli: Cli,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Path:
    """The store of two batches; the entities taken from the registry from 0 rows on (as
    from 5·10⁶ in a run), or always decoded."""
    monkeypatch.setattr(activity_store, "REGISTRY_ENTITY_ROWS", request.param)
    root = tmp_path / "store"
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(root))  # needed on PostgreSQL
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, ENTITIES)))
    for n in range(2):  # two batches: each entity's rows in two files, ids interleaved
        path = write_csv(tmp_path / f"a{n}.csv", HEADER, _rows(n * 5))
        cli("import", "activities", str(path), "--store")
    return root


def _as_text(rows: pl.DataFrame) -> pl.DataFrame:
    return rows.with_columns(pl.col(TEXTS).cast(pl.Utf8))


def _same_read(db: Database) -> pl.DataFrame:
    columns = list(ACTIVITY_SCHEMA)
    with db.read() as session:
        text = activity_store.read_store(session, YEAR, columns=columns)
        coded = activity_store.read_store(session, YEAR, columns=columns, coded=True)
        some = activity_store.read_store(
            session, YEAR, columns=["id", "entity_id"], activities=["fuel.diesel"], coded=True
        )
    assert text.height == 48 and text["id"].is_sorted()
    assert all(coded.schema[name] == pl.Categorical for name in TEXTS)
    assert_frame_equal(_as_text(coded), text)
    wanted = text.filter(pl.col("activity") == "fuel.diesel").select("id", "entity_id")
    assert_frame_equal(some.with_columns(pl.col("entity_id").cast(pl.Utf8)), wanted)
    return text


def _rewrite(db: Database, root: Path, entity: str, write: object) -> None:
    """One registered file of ``entity`` written again by ``write(table, sink)``, its
    registration's SHA-256 mended so that the read accepts it."""
    with db.write() as session:
        file = session.scalars(
            select(ActivityFile).where(ActivityFile.entity_id == entity).limit(1)
        ).one()
        path = root / file.path
        table = pq.read_table(path)
        sink = io.BytesIO()
        write(table, sink)  # type: ignore[operator]
        path.write_bytes(sink.getvalue())
        file.sha256 = hashlib.sha256(sink.getvalue()).hexdigest()


def test_the_coded_read_is_the_text_read(stored: Path, db: Database) -> None:
    text = _same_read(db)
    assert set(text["entity_id"]) == {"S1", "P_2.b-", "S3"}
    assert text["attributes"].null_count() + (text["attributes"] == "").sum() > 0


def test_a_file_without_statistics_and_dictionary_pages_is_read_as_before(
    stored: Path, db: Database
) -> None:
    def plain(table: pa.Table, sink: io.BytesIO) -> None:
        pq.write_table(table, sink, use_dictionary=False, write_statistics=False)

    _rewrite(db, stored, "P_2.b-", plain)
    _same_read(db)


def test_a_file_whose_rows_name_another_entity_gives_its_rows(stored: Path, db: Database) -> None:
    """The registration says S3; the file's rows say S1 (as a damaged registry would): the
    read gives what the file holds, as the text read does, never the registered name."""

    def other(table: pa.Table, sink: io.BytesIO) -> None:
        column = table.schema.get_field_index("entity_id")
        moved = pa.array(["S1"] * table.num_rows, table.schema.field(column).type)
        pq.write_table(table.set_column(column, "entity_id", moved), sink)

    _rewrite(db, stored, "S3", other)
    text = _same_read(db)
    assert (text["entity_id"] == "S1").sum() > (text["entity_id"] == "S3").sum()
