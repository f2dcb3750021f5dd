"""An API client on a real workspace with one user (and token) per role, for API tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from esgledger.api.app import PREFIX
from esgledger.auth.tokens import issue_token
from esgledger.auth.users import add_user, grant
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.server import create_app
from tests.factories import entities_file
from tests.parallel import worker_name
from tests.pg_pool import DatabasePool, admin_connection

YEAR = 2025
PROBLEM_KEYS = {"type", "title", "status", "detail"}

# username → (role, granted entity or None)
USERS = {
    "ada": ("admin", None),
    "mia": ("esg_manager", None),
    "olga": ("data_owner", "HQ"),  # HQ and SZ1 below it
    "dora": ("data_owner", None),  # a data owner without any grant
    "rita": ("reviewer", None),
    "rex": ("reviewer", None),
    "aldo": ("auditor", None),
    "resi": ("respondent", None),
    "cora": ("compliance_officer", None),
    "sam": ("supplier_manager", None),
}


@dataclass
class Api:
    """A test client plus a bearer token per user; ``call(user, method, path, …)``."""

    db: Database
    client: TestClient
    tokens: dict[str, str]
    direct: httpx.AsyncClient | None = field(default=None, repr=False)

    def headers(self, user: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}

    def call(self, user: str | None, method: str, path: str, **kw) -> Response:  # type: ignore[no-untyped-def]
        """One request to the app, the whole answer read. Sent in the test client's event
        loop (its lifespan started) in one hand-off between threads, where the test client's
        own path streams the exchange through eight: about 1 ms CPU of a request's 3.5 (#20)."""
        headers = self.headers(user)
        if self.client.portal is None:  # the client is not running: its own path says why
            return self.client.request(method, PREFIX + path, headers=headers, **kw)
        if self.direct is None:
            transport = httpx.ASGITransport(app=self.client.app, raise_app_exceptions=False)
            self.direct = httpx.AsyncClient(transport=transport, base_url=str(self.client.base_url))
        send = partial(self.direct.request, method, PREFIX + path, headers=headers, **kw)
        return self.client.portal.call(send)

    def close(self) -> None:
        """Close the direct client, in the loop it ran in (before the test client stops)."""
        if self.direct is not None and self.client.portal is not None:
            self.client.portal.call(self.direct.aclose)
        self.direct = None

    def ok(self, user: str | None, method: str, path: str, status: int = 200, **kw):  # type: ignore[no-untyped-def]
        got = self.call(user, method, path, **kw)
        assert got.status_code == status, got.text
        return got.json() if got.headers["content-type"].startswith("application/json") else got


def problem(response: Response, status: int) -> dict:  # type: ignore[type-arg]
    """Assert a problem-details answer with ``status`` and a one-line detail."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body.keys() >= PROBLEM_KEYS and body["status"] == status, body
    assert "\n" not in body["detail"] and "Traceback" not in response.text
    return body


def setup_users(db: Database, tmp_path: Path) -> dict[str, str]:
    import_entities(db, entities_file(tmp_path), actor="setup")
    tokens = {}
    with db.write() as session:
        for name, (role, entity) in USERS.items():
            add_user(session, username=name, role=role, actor="setup")
            if entity:
                grant(session, name, entity, actor="setup")
            tokens[name], _ = issue_token(session, name, actor="setup")
    return tokens


@dataclass(frozen=True)
class UsersTemplate:
    """A migrated workspace with :data:`USERS` already added, and their tokens."""

    target: str  # SQLite file or PostgreSQL database name
    tokens: dict[str, str]


@pytest.fixture(scope="session")
def users_sqlite_template(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> UsersTemplate:
    """:func:`setup_users` run once per run on a copy of the migrated template (#20): it was
    ~0.06 CPU s of every API test; each test now copies the file."""
    folder = tmp_path_factory.mktemp("api-users")
    shutil.copy(sqlite_template, folder / "esg.db")
    db = Database(str(folder / "esg.db"))
    try:
        return UsersTemplate(str(folder / "esg.db"), setup_users(db, folder))
    finally:
        db.dispose()


@pytest.fixture(scope="session")
def users_pg_pool(
    pg_base_url: str, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[DatabasePool, dict[str, str]]]:
    """As :func:`users_sqlite_template` on PostgreSQL: a template database holding the users,
    copied ahead for each test by a pool of its own."""
    name = f"esg_api_template_{worker_name()}"
    with admin_connection(pg_base_url) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {pg_template}")
    db = Database(pg_base_url.rsplit("/", 1)[0] + f"/{name}")
    try:
        tokens = setup_users(db, tmp_path_factory.mktemp("api-users-pg"))
    finally:
        db.dispose()
    pool = DatabasePool(pg_base_url, name)
    try:
        yield pool, tokens
    finally:
        pool.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of the ``api`` fixture, a copy of a workspace that
    already holds :data:`USERS` (their tokens in ``request.node.api_tokens``)."""
    if "api" not in request.fixturenames:
        yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
        return
    if request.param == "sqlite":
        template = request.getfixturevalue("users_sqlite_template")
        shutil.copy(template.target, tmp_path / "esg.db")
        request.node.api_tokens = template.tokens
        db = Database(str(tmp_path / "esg.db"))
        try:
            yield db
        finally:
            db.dispose()
        return
    pool, tokens = request.getfixturevalue("users_pg_pool")
    request.node.api_tokens = tokens
    name = pool.take()
    db = Database(pool.url_of(name))
    try:
        yield db
    finally:
        db.dispose()
        pool.give_back(name)


@pytest.fixture
def api(db: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API on a workspace holding :data:`USERS`, each with a bearer token. A module
    outside ``tests/api`` that imports this fixture gets the suite's own empty ``db`` (this
    folder's copy of a filled workspace is not in its scope), so the users are added here."""
    tokens: dict[str, str] | None = getattr(request.node, "api_tokens", None)
    if tokens is None:
        tokens = setup_users(db, tmp_path)
    with TestClient(create_app(db.url), raise_server_exceptions=False) as client:
        made = Api(db, client, dict(tokens))
        try:
            yield made
        finally:
            made.close()
