"""Issue #18: a year's activity-store files decoded in one Polars call.

Decoding the 1,000 files of a 10⁶-row year one ``read_parquet`` at a time cost three times
the CPU of one call over them all. ``activity_store.read_files`` checks every file against
its registered SHA-256 first and gives the same rows, in the files' order, as reading each
file alone; a damaged file anywhere in the list stops the read and is named.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.errors import IntegrityFailure
from esgledger.ledger import activity_store
from esgledger.ledger.db import Database
from tests.conftest import Cli

YEAR = 2024


def stored_year(db: Database, tmp_path: Path) -> Cli:
    cli = Cli(db)
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())))
    rows = activity_rows(YEAR)
    for n, part in enumerate((rows[: len(rows) // 2], rows[len(rows) // 2 :])):
        path = write_csv(tmp_path / f"a{n}.csv", ACTIVITY_HEADER, part)
        cli("import", "activities", str(path), "--store")
    return cli


def one_by_one(root: Path, files: list[activity_store.ActivityFile]) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(io.BytesIO((root / f.path).read_bytes())) for f in files])


def test_files_read_together_are_the_files_read_one_by_one(
    sqlite_db: Database, tmp_path: Path
) -> None:
    stored_year(sqlite_db, tmp_path)
    with sqlite_db.read() as session:
        files = activity_store.year_files(session, YEAR)
        root = activity_store.required_root(session)
        assert len(files) > 10 and len({f.batch_id for f in files}) == 2
        together = activity_store.read_files(root, files)
        assert together.equals(one_by_one(root, files))
        assert together.height == sum(f.rows for f in files) > 1000
        assert list(together.schema.items()) == list(activity_store.STORE_SCHEMA.items())
        columns = ["entity_id", "activity", "attributes"]
        assert activity_store.read_files(root, files, columns).equals(together.select(columns))
        assert activity_store.read_files(root, files[3:4]).equals(one_by_one(root, files[3:4]))
        empty = activity_store.read_files(root, [])
        assert empty.height == 0 and empty.schema == pl.Schema(activity_store.STORE_SCHEMA)
        # read_store: the year's rows in id order, as before
        assert activity_store.read_store(session, YEAR).equals(together.sort("id"))


@pytest.mark.parametrize("position", [0, 7, -1])
def test_a_damaged_file_anywhere_in_the_list_stops_the_read(
    sqlite_db: Database, tmp_path: Path, position: int
) -> None:
    stored_year(sqlite_db, tmp_path)
    with sqlite_db.read() as session:
        files = activity_store.year_files(session, YEAR)
        root = activity_store.required_root(session)
        victim = root / files[position].path
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 1
        victim.write_bytes(bytes(data))
        with pytest.raises(IntegrityFailure, match=f"activity store file {victim} "):
            activity_store.read_files(root, files)
