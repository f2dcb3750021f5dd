"""An API client on a real workspace with one user (and token) per role, for API tests."""

from __future__ import annotations

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
from tests.filled import filled_db

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


def pytest_itemcollected(item: pytest.Item) -> None:
    """Each schemathesis test (one an API operation) its own id, ``…::test[GET /api/v1/me]``.
    schemathesis 4.32 passes ``originalname`` (the bare function's name) and pytest 9.2 builds
    the id from it alone, so the 87 tests shared one id and xdist ran only the first (#20;
    tests/test_parallel.py fails on shared ids). Set where pytest keeps it: it has no setter."""
    name, base = item.name, getattr(item, "originalname", item.name)
    if name != base and name.startswith(f"{base}[") and not item.nodeid.endswith("]"):
        assert item.parent is not None
        item._id = item.parent.id.child(base).with_params(name[len(base) + 1 : -1])


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


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of the ``api`` fixture, a copy of a workspace
    :func:`setup_users` filled once per run (it was ~0.06 CPU s of every API test, #20),
    its tokens in ``request.node.filled["api_users"]``."""
    if "api" not in request.fixturenames:
        yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
        return
    yield from filled_db(request, tmp_path, "api_users", setup_users)


@pytest.fixture
def api(db: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API on a workspace holding :data:`USERS`, each with a bearer token. A module
    outside ``tests/api`` that imports this fixture gets the suite's own empty ``db`` (this
    folder's copy of a filled workspace is not in its scope), so the users are added here."""
    tokens: dict[str, str] | None = getattr(request.node, "filled", {}).get("api_users")
    if tokens is None:
        tokens = setup_users(db, tmp_path)
    with TestClient(create_app(db.url), raise_server_exceptions=False) as client:
        made = Api(db, client, dict(tokens))
        try:
            yield made
        finally:
            made.close()
