"""A workspace holding the test entity tree (``ws``) for the import tests, copied for each
test from one filled once per run (#20: the entity import was ~0.03 CPU s of each of some
500 tests)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from tests.factories import entities_file
from tests.filled import filled_db


def fill_entities(db: Database, folder: Path) -> bool:
    """The test entity tree (:func:`tests.factories.entities_file`); True once done."""
    import_entities(db, entities_file(folder), actor="test")
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of ``ws``, a copy of the workspace
    :func:`fill_entities` filled once per run."""
    if "ws" not in request.fixturenames:
        yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
        return
    yield from filled_db(request, tmp_path, "entities", fill_entities)


@pytest.fixture
def ws(db: Database) -> Database:
    """The workspace with the test entity tree imported."""
    return db
