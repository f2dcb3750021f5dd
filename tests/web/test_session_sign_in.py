"""Issue #14: a browser session's sign-in is kept per sign-in stamp, as a token's is.

A page view looks up the session row (logout, expiry, idle) but not the user and grants
again while no account, grant or entity-tree event was written; whatever ends or changes
a sign-in (logout, a new password, disablement, a new role, a grant taken or given) counts
on the very next page, whichever process did it. Here another process is another app on
the same workspace, or the workspace opened by the test itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from esgledger.api.app import PREFIX
from esgledger.auth.permissions import Principal
from esgledger.auth.sessions import TOUCH_EVERY
from esgledger.auth.tokens import issue_token
from esgledger.auth.users import grant, revoke_grant, set_active, set_role
from esgledger.cli.main import app
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.workflow_models import WebSession
from esgledger.server import create_app
from esgledger.workflow.requests import issue_requests
from tests.conftest import Cli
from tests.factories import entities_file
from tests.web.conftest import PASSWORD, csrf_of, log_in, make_user

pytestmark = pytest.mark.usefixtures("one_recheck_window")

PAGE = "/account/password"  # a page that reads nothing but the sign-in
WHOAMI = 'data-testid="whoami">'
SIGN_IN_TABLES = ("FROM users", "FROM entity_grants", "FROM entities")


@pytest.fixture
def other(db: Database) -> Iterator[TestClient]:
    """A second app on the same workspace: another server process."""
    with TestClient(create_app(db.url), follow_redirects=False) as client:
        yield client


def _whoami(page: str) -> str:
    """The header's "user · role", without the tag marking the username as data."""
    shown = page.split(WHOAMI, 1)[1].split("</span> · ", 1)
    return shown[0].rsplit(">", 1)[-1] + " · " + shown[1].split("<", 1)[0]


def _warm(web: TestClient, path: str = PAGE) -> str:
    """Two views: the second is served from the kept sign-in."""
    assert web.get(path).status_code == 200
    page = web.get(path)
    assert page.status_code == 200
    return page.text


def _with_cookie_of(web: TestClient, other: TestClient) -> None:
    other.cookies.clear()
    for name, value in web.cookies.items():
        other.cookies.set(name, value, domain="testserver.local")


@contextmanager
def statements(web: TestClient) -> Iterator[list[tuple[str, bool]]]:
    """The app's SQL inside the block, each with whether it ran on a write connection."""
    seen: list[tuple[str, bool]] = []
    engine = web.app.state.db.engine  # type: ignore[attr-defined]

    def record(conn, cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append((statement, bool(conn.get_execution_options().get("esg_write"))))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_second_page_view_does_not_look_the_user_up_again(
    db: Database, web: TestClient, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    make_user(db, "olga", "data_owner", ("HQ", "WH1"))
    log_in(web, "olga")
    _warm(web)
    with statements(web) as warm:
        assert web.get(PAGE).status_code == 200
    make_user(db, "ann", "auditor")  # moves the sign-in stamp: the next view looks up again
    with statements(web) as cold:
        assert web.get(PAGE).status_code == 200
    print("warm", warm, "cold", cold, sep="\n")
    assert any(any(t in s for t in SIGN_IN_TABLES) for s, _ in cold), "cold view reads user"
    assert not [s for s, _ in warm if any(t in s for t in SIGN_IN_TABLES)], warm
    assert not [s for s, writing in warm if writing], "a page view takes no write transaction"
    assert len(warm) < len(cold) and len(warm) <= 3, warm


def test_logout_in_another_process_ends_the_session_at_once(
    db: Database, web: TestClient, other: TestClient
) -> None:
    make_user(db, "mia", "esg_manager")
    csrf = log_in(web, "mia")
    _warm(web)
    _with_cookie_of(web, other)
    assert other.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert web.get(PAGE).status_code == 303


def test_a_new_password_in_another_process_ends_the_session_at_once(
    db: Database, web: TestClient, other: TestClient
) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    _warm(web)
    other_csrf = log_in(other, "mia")  # mia, signed in on another server too
    form = {"current": PASSWORD, "new": "a brand new passphrase 7", "csrf_token": other_csrf}
    changed = other.post("/account/password", data={**form, "again": form["new"]})
    assert changed.status_code == 303, changed.text
    assert web.get(PAGE).status_code == 303
    assert other.get(PAGE).status_code == 200, "the session that changed it goes on"


def test_disablement_ends_the_session_at_once(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    _warm(web)
    with db.write() as session:
        set_active(session, "mia", False, actor="admin")
    assert web.get(PAGE).status_code == 303
    with db.write() as session:  # enabling again brings no ended session back
        set_active(session, "mia", True, actor="admin")
    assert web.get(PAGE).status_code == 303
    with db.read() as session:
        assert session.scalars(select(WebSession.ended_at)).one() is not None


def test_a_new_role_counts_on_the_next_page(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    assert _whoami(_warm(web, "/requests/issue")) == "mia · esg manager"
    with db.write() as session:
        set_role(session, "mia", "auditor", actor="admin")
    assert web.get("/requests/issue").status_code == 403
    assert _whoami(_warm(web)) == "mia · auditor"
    with db.write() as session:
        set_role(session, "mia", "esg_manager", actor="admin")
    assert web.get("/requests/issue").status_code == 200


def test_a_grant_taken_or_given_counts_on_the_next_page(
    db: Database, web: TestClient, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    make_user(db, "olga", "data_owner", ("HQ",))
    with db.write() as session:
        issued = issue_requests(session, Principal("setup", "admin"), year=2025,
                                metrics=["packaging.plastics"], owner="olga",
                                due=dt.date(2099, 3, 31), entities=["SZ1"])  # fmt: skip
    page = f"/requests/{issued['ids'][0]}"  # SZ1 lies below HQ
    log_in(web, "olga")
    _warm(web, page)
    with db.write() as session:
        revoke_grant(session, "olga", "HQ", actor="admin")
    assert web.get(page).status_code == 403
    with db.write() as session:
        grant(session, "olga", "SZ1", actor="admin")
    assert web.get(page).status_code == 200


def test_a_page_view_keeps_an_active_session_alive(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    _warm(web)
    with db.write() as session:
        row = session.scalars(select(WebSession)).one()
        row.last_seen_at -= TOUCH_EVERY + dt.timedelta(seconds=1)
        before = row.last_seen_at
    assert web.get(PAGE).status_code == 200
    with db.read() as session:
        assert session.scalars(select(WebSession.last_seen_at)).one() > before
    csrf = csrf_of(web.get(PAGE).text)
    assert web.post("/logout", data={"csrf_token": csrf}).status_code == 303


def test_an_administrator_s_new_password_ends_sessions_not_tokens(
    db: Database, web: TestClient, cli: Cli
) -> None:
    """The documented decision (docs/getting-started.md): `esg user password` ends the
    user's browser sessions; their API tokens go on until revoked with `esg user revoke`."""
    make_user(db, "mia", "esg_manager")
    with db.write() as session:
        token, row = issue_token(session, "mia", actor="admin")
    bearer = {"Authorization": f"Bearer {token}"}
    log_in(web, "mia")
    _warm(web)
    assert web.get(f"{PREFIX}/me", headers=bearer).status_code == 200
    new = "a brand new passphrase 7"
    result = cli.runner.invoke(
        app, ["user", "password", "mia", "--db", db.url], input=f"{new}\n{new}\n"
    )
    assert result.exit_code == 0, result.output
    assert web.get(PAGE).status_code == 303, "the browser session ended"
    assert web.get(f"{PREFIX}/me", headers=bearer).json()["username"] == "mia"
    cli("user", "revoke", str(row.id))
    assert web.get(f"{PREFIX}/me", headers=bearer).status_code == 401
