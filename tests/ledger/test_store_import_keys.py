"""Issue #18: an import to the activity store checks its rows against the year's stored files
a part at a time, so its memory does not grow with the rows the year already holds (5.5 GB
into an empty year, 8.6 GB with 2·10⁷ stored rows, before). A row already stored is still
refused with its row and column, and nothing is written on refusal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import func, select

from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.ledger import activities, activity_store
from esgledger.ledger.db import Database
from esgledger.ledger.store_models import ActivityFile
from tests.conftest import Cli

YEAR = 2024


def parts(tmp_path: Path, count: int) -> list[Path]:
    """The demo year's rows in ``count`` files of disjoint rows, every file holding rows of
    every entity over the whole year (so every stored row could clash with every file)."""
    rows = activity_rows(YEAR)
    return [
        write_csv(tmp_path / f"part{i}.csv", ACTIVITY_HEADER, rows[i::count]) for i in range(count)
    ]


def imported_parts(db: Database, tmp_path: Path, count: int, *flags: str) -> list[Path]:
    """The entities imported, then all but the last of ``count`` parts (``flags``: "--store"
    into the activity store); every part's path returned, the last one not imported."""
    cli = Cli(db)
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())))
    files = parts(tmp_path, count)
    for part in files[:-1]:
        cli("import", "activities", str(part), *flags)
    return files


def stored_files(db: Database) -> list[ActivityFile]:
    with db.read() as session:
        return list(session.scalars(select(ActivityFile)))


def test_the_stored_keys_held_at_once_do_not_grow_with_the_year(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(sqlite_db)
    files = imported_parts(sqlite_db, tmp_path, 5, "--store")
    stored_rows = sum(f.rows for f in stored_files(sqlite_db))
    new_rows = len(pl.read_csv(files[4], infer_schema=False))
    assert stored_rows > 3 * new_rows > 300
    held: list[int] = []

    def counted(frames: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
        for frame in frames:
            held.append(frame.height)
            yield frame

    def recorded(real: Callable[..., Any], what: str) -> Callable[..., Any]:
        """``real`` with the stored keys it is given or returns counted."""

        def call(*args: Any, **kwargs: Any) -> Any:
            if what == "given" and isinstance(kwargs.get("existing_keys"), pl.DataFrame):
                held.append(kwargs["existing_keys"].height)
            result = real(*args, **kwargs)
            return counted(result) if what == "yielded" else result

        return call

    monkeypatch.setattr(
        activities, "validate_activities", recorded(activities.validate_activities, "given")
    )
    monkeypatch.setattr(activity_store, "key_parts", recorded(activity_store.key_parts, "yielded"))
    out = json.loads(cli("import", "activities", str(files[4]), "--store", "--json").stdout)
    assert out["rows"] == new_rows
    largest = max(f.rows for f in stored_files(sqlite_db))
    # the stored rows were compared (at the check and again at the write), a part at a time:
    # at most the file's rows, or one stored file when it is larger
    assert sum(held) >= stored_rows
    assert max(held) <= max(new_rows, largest) < stored_rows


def test_a_row_stored_in_any_part_is_refused_with_its_row_and_nothing_written(
    sqlite_db: Database, tmp_path: Path
) -> None:
    cli = Cli(sqlite_db)
    files = imported_parts(sqlite_db, tmp_path, 4, "--store")
    before = len(stored_files(sqlite_db))
    first, third = (pl.read_csv(f, infer_schema=False).to_dicts() for f in (files[0], files[2]))
    new = pl.read_csv(files[3], infer_schema=False).to_dicts()
    # a fresh file with one row of the first stored part and one of the third, far apart
    mixed = [*new[:10], first[5], *new[10:20], third[-1], *new[20:]]
    path = write_csv(tmp_path / "mixed.csv", ACTIVITY_HEADER, mixed)
    result = cli("import", "activities", str(path), "--store", expect=2)
    assert "row 12, column 'entity': already imported (batch 2)" in result.output, result.output
    assert "row 23, column 'entity': already imported (batch 4)" in result.output, result.output
    assert result.output.count("already imported") == 2
    assert len(stored_files(sqlite_db)) == before
    root = Path(f"{sqlite_db.sqlite_path}.store")
    assert len(list(root.rglob("*.parquet"))) == before
    with sqlite_db.read() as session:
        assert session.scalar(select(func.count()).select_from(ActivityFile)) == before
