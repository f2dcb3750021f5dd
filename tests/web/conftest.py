"""Pages on a real workspace: a TestClient per test, users with passwords, a logged-in helper."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from esgledger.auth.users import add_user, grant, set_password
from esgledger.ledger.db import Database
from esgledger.server import create_app

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's form carries (the first one on the page)."""
    found = CSRF.search(html)
    assert found, "page has no form with a CSRF token"
    return found.group(1)


def set_cookie(client: TestClient, name: str, value: str) -> None:
    """Put ``name=value`` in the client's jar as the server's own cookie would be: the jar
    keys cookies by the request host (``testserver.local`` for a host without a dot), and
    one set without a domain is never sent, so a replay test would prove nothing."""
    host = client.base_url.host
    client.cookies.delete(name)
    client.cookies.set(name, value, domain=host if "." in host else f"{host}.local")


def make_user(db: Database, username: str, role: str, grants: tuple[str, ...] = ()) -> str:
    """Add a user with :data:`PASSWORD` (and entity grants); returns the username."""
    with db.write() as session:
        add_user(session, username=username, role=role, actor="setup")
        set_password(session, username, PASSWORD, actor="setup")
        for entity in grants:
            grant(session, username, entity, actor="setup")
    return username


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token for later posts."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/").text)


@pytest.fixture
def web(db: Database) -> Iterator[TestClient]:
    """A browser-like client (cookies kept, redirects not followed) on the workspace."""
    with TestClient(
        create_app(db.url), raise_server_exceptions=False, follow_redirects=False
    ) as client:
        yield client
