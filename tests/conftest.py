"""Shared fixtures: a migrated workspace on real SQLite and on real PostgreSQL for each test."""

from __future__ import annotations

import functools
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher, profiles
from typer.testing import CliRunner

from esgledger.auth import passwords, recheck
from esgledger.cli.main import app
from esgledger.ledger import migrate
from esgledger.ledger.db import Database
from esgledger.ledger.workspace import init_workspace
from esgledger.settings import reset_settings
from tests.filled import FilledPostgres, FilledSqlite
from tests.parallel import (
    DEMO_READERS,
    DUPLICATE_IDS,
    FileOrGroupScheduling,
    demo_readers,
    duplicate_ids,
    worker_name,
)
from tests.pg import LocalPostgres
from tests.pg_pool import DatabasePool, admin_connection
from tests.template import migrated_sqlite


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The files that read the demo, kept for the check that they are one unit of work
    (:mod:`tests.parallel`)."""
    config.stash[DEMO_READERS] = demo_readers(items)
    config.stash[DUPLICATE_IDS] = duplicate_ids(items)


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> FileOrGroupScheduling | None:
    """With ``--dist loadgroup`` (scripts/test.sh): whole files, or whole groups, per worker."""
    return FileOrGroupScheduling(config, log) if config.getvalue("dist") == "loadgroup" else None


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id with argon2-cffi's ``CHEAPEST`` parameters, the profile its authors give for
    tests, instead of RFC 9106's 64 MiB: a hash or a check costs under a millisecond, not ~0.24
    CPU s; adding users and signing in were ~40 % of the CPU of the page tests
    (tests/web/test_workflow_pages.py: 19 of 49 s, #20). Every path still hashes and verifies
    real argon2id strings; tests/auth/conftest.py keeps the real parameters for the tests of
    hashing itself, and an ``esg`` in a process of its own (serve, the fault suite) hashes
    with them too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", cheap_hasher)
        passwords.dummy_hash.cache_clear()
        yield
    passwords.dummy_hash.cache_clear()


@pytest.fixture
def one_recheck_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that counts a warm request's statements must not straddle the boundary of a
    sign-in re-check window (ten seconds of the monotonic clock), or the kept sign-in is
    looked up again and the count is off by a token lookup: under load a test can take
    longer than a window. The window is stretched for that test; revocations are still
    seen at once through the sign-in stamp, which these tests also hold."""
    monkeypatch.setattr(recheck, "RECHECK_SECONDS", 1e9)


@pytest.fixture(scope="session", autouse=True)
def head_revision_read_once() -> Iterator[None]:
    """The schema head the installed migrations declare, read from them once per run: every
    ``esg`` command and every app opens its workspace with
    :func:`~esgledger.ledger.migrate.require_current`, which asks alembic for the head, and
    alembic loads (compiles, without a bytecode cache) all the migration files each time —
    ~0.03 CPU s an opening, 5.6 of 120 CPU s in tests/registers (#20). The migrations do not
    change during a run, so the answer is the one alembic gives; a workspace at another
    revision is still refused."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(migrate, "head_revision", functools.cache(migrate.head_revision))
        yield


def cheap_hasher() -> PasswordHasher:
    return CHEAP_HASHER


CHEAP_HASHER = PasswordHasher.from_parameters(profiles.CHEAPEST)
REAL_HASHER = passwords._hasher


@pytest.fixture(autouse=True)
def fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings are read once per process (:func:`esgledger.settings.get_settings`): each test
    starts from the environment as it is, and every ``monkeypatch.setenv``/``delenv`` of a
    test is seen by the next ``get_settings()`` (an env var set another way needs
    :func:`~esgledger.settings.reset_settings`)."""
    reset_settings()
    for name in ("setenv", "delenv"):
        real = getattr(pytest.MonkeyPatch, name)

        def then_reset(self: pytest.MonkeyPatch, *args: Any, _real: Any = real, **kw: Any) -> None:
            _real(self, *args, **kw)
            reset_settings()

        monkeypatch.setattr(pytest.MonkeyPatch, name, then_reset)
    yield
    reset_settings()


@dataclass(frozen=True)
class DemoBuild:
    """The full demo folder and what ``esg demo --json`` printed (users and passwords too)."""

    out: Path
    summary: dict[str, Any]

    @property
    def db_path(self) -> Path:
        return self.out / "esg.db"

    def password(self, username: str) -> str:
        return next(u["password"] for u in self.summary["users"] if u["username"] == username)


USER_FILE, USER_TEXT = "notes.txt", "keep me"  # in the demo folder before `esg demo --force`


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DemoBuild:
    """The whole demo (``esg demo --json``), built once per run (~30 s): read it, never
    change it — a test that needs to write builds its own workspace or copies this one.

    Built with ``--force`` into a folder already holding a file of the user's
    (:data:`USER_FILE`), so that tests/demo/test_demo.py sees ``--force`` keep it without a
    second whole build."""
    out = tmp_path_factory.mktemp("demo") / "esg-demo"
    out.mkdir()
    (out / USER_FILE).write_text(USER_TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["demo", "--out", str(out), "--force", "--json"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return DemoBuild(out, json.loads(result.stdout))


@pytest.fixture(scope="session")
def demo_report(demo_build: DemoBuild) -> dict[str, Path]:
    """The report the demo published, rendered once per run by its last stage in both
    editions: format (``html``, ``zh.pdf`` …) → file. Report tests read it rather than render
    their own (#20); read it, never change it."""
    stage = next(s["report"] for s in demo_build.summary["stages"] if s["name"] == "report")
    files = {fmt: demo_build.out / relative for fmt, relative in stage.items()}
    assert files and all(path.is_file() for path in files.values()), stage
    return files


@pytest.fixture(scope="session")
def demo_pdf_pages(demo_report: dict[str, Path]) -> tuple[str, ...]:
    """The text of each page of the demo's English PDF, extracted once per run: pypdf takes
    ~7-9 CPU s to extract it, and four report modules each extracted it again (#20). Read it,
    as those tests read the PDF."""
    from pypdf import PdfReader  # only the report tests need it

    return tuple(page.extract_text() for page in PdfReader(demo_report["pdf"]).pages)


@pytest.fixture(scope="session")
def pg_base_url() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database (``…/postgres``)."""
    given = os.environ.get("ESG_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    server = LocalPostgres()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_base_url: str) -> str:
    """A migrated database to copy for each test (one per xdist worker, should the workers
    share a server given by ``ESG_TEST_POSTGRES_URL``)."""
    name = f"esg_template_{worker_name()}"
    with admin_connection(pg_base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    db, _ = init_workspace(pg_base_url.rsplit("/", 1)[0] + f"/{name}", actor="test")
    db.dispose()
    return name


@pytest.fixture(scope="session")
def sqlite_template() -> Path:
    """A migrated SQLite workspace to copy for each test (:mod:`tests.template`)."""
    return migrated_sqlite()


@pytest.fixture(scope="session")
def pg_pool(pg_base_url: str, pg_template: str) -> Iterator[DatabasePool]:
    pool = DatabasePool(pg_base_url, pg_template)
    try:
        yield pool
    finally:
        pool.close()


@pytest.fixture(scope="session")
def filled_sqlite(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> FilledSqlite:
    """SQLite workspaces a folder's fixture fills once per run (:mod:`tests.filled`)."""
    return FilledSqlite(sqlite_template, tmp_path_factory)


@pytest.fixture(scope="session")
def filled_pg(
    pg_base_url: str, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FilledPostgres]:
    """PostgreSQL workspaces a folder's fixture fills once per run (:mod:`tests.filled`)."""
    registry = FilledPostgres(pg_base_url, pg_template, tmp_path_factory)
    try:
        yield registry
    finally:
        registry.close()


@pytest.fixture
def pg_db(pg_pool: DatabasePool) -> Iterator[Database]:
    """A fresh copy of the migrated template, made ahead by the pool."""
    name = pg_pool.take()
    db = Database(pg_pool.url_of(name))
    try:
        yield db
    finally:
        db.dispose()
        pg_pool.give_back(name)


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "esg.db"
    shutil.copy(sqlite_template, path)
    db = Database(str(path))
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def empty_pg_url(pg_base_url: str) -> Iterator[str]:
    """An empty PostgreSQL database (no schema), e.g. to restore into."""
    name = "e_" + uuid.uuid4().hex[:16]
    with admin_connection(pg_base_url) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_base_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin_connection(pg_base_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest) -> Database:
    """A fresh, migrated workspace: each test using it runs on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


class Cli:
    """Runs ``esg`` in-process against one workspace; returns the result."""

    def __init__(self, db: Database):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, expect: int | None = 0):
        result = self.runner.invoke(app, [*args, "--db", self.db.url], catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, result.output
        return result


@pytest.fixture
def cli(db: Database) -> Cli:
    return Cli(db)
