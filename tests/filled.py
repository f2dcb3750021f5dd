"""Workspaces filled once per run and copied for each test (#20).

A folder's fixture that fills every test's workspace the same way (the API's users and
tokens, the workflow's entity tree and users) fills a copy of the migrated template once per
run instead: a SQLite file copied for each test, or a PostgreSQL template database with a
pool of copies made ahead. Each test still gets a workspace of its own, in the state the
fill leaves; what the fill returned (tokens, say) is kept with the template.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from esgledger.ledger.db import Database
from tests.parallel import worker_name
from tests.pg_pool import DatabasePool, admin_connection

Fill = Callable[[Database, Path], Any]  # fills an empty migrated workspace; its result is kept


class FilledSqlite:
    """Per run: a name → (filled SQLite file, what its fill returned)."""

    def __init__(self, template: Path, folders: pytest.TempPathFactory):
        self.template = template
        self.folders = folders
        self.kept: dict[str, tuple[Path, Any]] = {}

    def get(self, name: str, fill: Fill) -> tuple[Path, Any]:
        if name not in self.kept:
            folder = self.folders.mktemp(f"filled-{name}")
            shutil.copy(self.template, folder / "esg.db")
            db = Database(str(folder / "esg.db"))
            try:
                self.kept[name] = (folder / "esg.db", fill(db, folder))
            finally:
                db.dispose()
            # a fill through the CLI may leave its WAL unmerged: the copy takes the file alone
            with closing(sqlite3.connect(folder / "esg.db")) as conn:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                assert busy == 0, f"{name}: its WAL could not be merged into the copy"
        return self.kept[name]


class FilledPostgres:
    """Per run: a name → (pool of copies of a filled template database, what its fill
    returned); one template per xdist worker, should the workers share a server."""

    def __init__(self, base_url: str, template: str, folders: pytest.TempPathFactory):
        self.base_url = base_url
        self.template = template
        self.folders = folders
        self.kept: dict[str, tuple[DatabasePool, Any]] = {}

    def get(self, name: str, fill: Fill) -> tuple[DatabasePool, Any]:
        if name not in self.kept:
            filled = f"esg_{name}_template_{worker_name()}"
            with admin_connection(self.base_url) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {filled}")
                conn.execute(f"CREATE DATABASE {filled} TEMPLATE {self.template}")
            db = Database(self.base_url.rsplit("/", 1)[0] + f"/{filled}")
            try:
                made = fill(db, self.folders.mktemp(f"filled-{name}-pg"))
            finally:
                db.dispose()
            with admin_connection(self.base_url) as conn:  # a fill through the CLI leaves
                conn.execute(  # its commands' pools open; a template must have no session
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = %s AND pid <> pg_backend_pid()",
                    (filled,),
                )
            self.kept[name] = (DatabasePool(self.base_url, filled), made)
        return self.kept[name]

    def close(self) -> None:
        for pool, _ in self.kept.values():
            pool.close()


def filled_db(
    request: pytest.FixtureRequest, tmp_path: Path, name: str, fill: Fill
) -> Iterator[Database]:
    """A fresh copy of the workspace ``fill`` makes, on the ``db`` fixture's database
    (``request.param``); what the fill returned is ``request.node.filled[name]``."""
    if request.param == "sqlite":
        registry: FilledSqlite = request.getfixturevalue("filled_sqlite")
        path, made = registry.get(name, fill)
        shutil.copy(path, tmp_path / "esg.db")
        request.node.filled = {name: made}
        db = Database(str(tmp_path / "esg.db"))
        try:
            yield db
        finally:
            db.dispose()
        return
    pg: FilledPostgres = request.getfixturevalue("filled_pg")
    pool, made = pg.get(name, fill)
    request.node.filled = {name: made}
    copy = pool.take()
    db = Database(pool.url_of(copy))
    try:
        yield db
    finally:
        db.dispose()
        pool.give_back(copy)
