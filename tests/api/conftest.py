"""An API client on a real workspace with one user (and token) per role, for API tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

    def headers(self, user: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"} if user else {}

    def call(self, user: str | None, method: str, path: str, **kw) -> Response:  # type: ignore[no-untyped-def]
        return self.client.request(method, PREFIX + path, headers=self.headers(user), **kw)

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


@pytest.fixture
def api(db: Database, tmp_path: Path) -> Iterator[Api]:
    tokens = setup_users(db, tmp_path)
    with TestClient(create_app(db.url), raise_server_exceptions=False) as client:
        yield Api(db, client, tokens)
