"""#18: an import checks its rows against the ledger's live rows of its date span a window of
rows at a time (``ledger_clashes.PART_ROWS``, 100 here), as it checks the activity store's
files, instead of loading every stored key of the span at once. A row already in the ledger
is still refused with its row and column, and nothing is written."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import func, select

from esgledger.demo.activity_data import ACTIVITY_HEADER
from esgledger.demo.files import write_csv
from esgledger.ledger import ledger_clashes
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord
from tests.conftest import Cli
from tests.ledger.test_store_import_keys import imported_parts


def live_rows(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(ActivityRecord)) or 0)


def test_the_ledger_keys_held_at_once_are_a_window(
    sqlite_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(sqlite_db)
    files = imported_parts(sqlite_db, tmp_path, 5)
    stored = live_rows(sqlite_db)
    assert stored > 300
    held: list[int] = []
    real: Callable[..., Iterator[pl.DataFrame]] = ledger_clashes.ledger_key_parts

    def counted(*args: Any, **kwargs: Any) -> Iterator[pl.DataFrame]:
        for frame in real(*args, **kwargs):
            held.append(frame.height)
            yield frame

    monkeypatch.setattr(ledger_clashes, "PART_ROWS", 100)
    monkeypatch.setattr(ledger_clashes, "ledger_key_parts", counted)
    # a fresh file with one row of the first imported part and one of the third
    first, third = (pl.read_csv(f, infer_schema=False).to_dicts() for f in (files[0], files[2]))
    new = pl.read_csv(files[4], infer_schema=False).to_dicts()
    mixed = [*new[:10], first[5], *new[10:20], third[-1], *new[20:]]
    path = write_csv(tmp_path / "mixed.csv", ACTIVITY_HEADER, mixed)
    result = cli("import", "activities", str(path), expect=2)
    assert "row 12, column 'entity': already imported (batch 2)" in result.output, result.output
    assert "row 23, column 'entity': already imported (batch 4)" in result.output, result.output
    assert result.output.count("already imported") == 2
    assert live_rows(sqlite_db) == stored  # nothing written
    assert sum(held) >= stored > max(held)  # every stored key compared, a window at a time
    assert max(held) <= 100
    held.clear()
    cli("import", "activities", str(files[4]))
    assert live_rows(sqlite_db) == stored + len(new)
    assert max(held) <= 100 < sum(held)
