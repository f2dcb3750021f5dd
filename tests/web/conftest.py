"""Pages on a real workspace: a TestClient per test, users with passwords, a logged-in helper."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from esgledger.auth.users import add_user, grant, set_password
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.server import create_app
from tests.conftest import Cli
from tests.factories import entities_file
from tests.filled import filled_db

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


# the small organisation of ``org`` (tests/web/test_workflow_pages.py): name, role, grants
PEOPLE = (("ada", "admin", ()), ("mia", "esg_manager", ()), ("olga", "data_owner", ("HQ",)),
          ("otto", "data_owner", ("WH1",)), ("rita", "reviewer", ()), ("rex", "reviewer", ()),
          ("aldo", "auditor", ()))  # fmt: skip


def fill_org(db: Database, folder: Path) -> bool:
    """The test entity tree and :data:`PEOPLE` with their grants (no passwords); True."""
    import_entities(db, entities_file(folder), actor="setup")
    with db.write() as session:
        for name, role, grants in PEOPLE:
            add_user(session, username=name, role=role, actor="setup")
            for entity in grants:
                grant(session, name, entity, actor="setup")
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of ``org`` (or ``dashboard_workspace``), a copy of
    the workspace :func:`fill_org` (:func:`fill_dashboard`) filled once per run (#20)."""
    if "dashboard_workspace" in request.fixturenames:
        yield from filled_db(request, tmp_path, "web_dashboard", fill_dashboard)
        return
    if "org" not in request.fixturenames:
        yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
        return
    yield from filled_db(request, tmp_path, "web_org", fill_org)


def fill_dashboard(db: Database, folder: Path) -> dict[str, Any]:
    """The group :func:`tests.web.test_dashboard_pages.build_workspace` imports, calculates
    and asks for data; its runs by year."""
    from tests.web.test_dashboard_pages import build_workspace  # it imports this module

    return build_workspace(Cli(db), folder)


@pytest.fixture
def dashboard_workspace(request: pytest.FixtureRequest, db: Database) -> dict[str, Any]:
    """What :func:`fill_dashboard` returned, for a test whose ``db`` is a copy of the
    workspace it filled once per run (two imports and two calculations a test before, #20)."""
    made: dict[str, Any] = request.node.filled["web_dashboard"]
    return made


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
    """Log in through the form; returns the session's CSRF token for later posts.

    The token is read from the own-password page, which every signed-in user may open and
    whose header carries the session's token as every page's does: the dashboard, read here
    before, computed its panels for each test's new app (0.02-0.8 CPU s a sign-in, #20)."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/account/password").text)


@pytest.fixture
def web(db: Database) -> Iterator[TestClient]:
    """A browser-like client (cookies kept, redirects not followed) on the workspace."""
    with TestClient(
        create_app(db.url), raise_server_exceptions=False, follow_redirects=False
    ) as client:
        yield client
