"""Sign-in security on a real workspace: sessions, expiry, CSRF, the login rate limit."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from esgledger.auth.sessions import SessionPolicy, login, resume
from esgledger.auth.users import set_active, set_password
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.workflow_models import LoginFailure, WebSession
from tests.web.conftest import PASSWORD, csrf_of, log_in, make_user, set_cookie


def _post_login(web: TestClient, username: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    token = csrf_of(web.get("/login").text)
    data = {"username": username, "password": password, "csrf_token": token, **extra}
    return web.post("/login", data=data)


def _sessions(db: Database) -> list[WebSession]:
    with db.read() as session:
        return list(session.scalars(select(WebSession).order_by(WebSession.id)))


def test_pages_need_a_session_and_login_starts_one(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    first = web.get("/?year=2025")
    assert first.status_code == 303
    assert first.headers["location"] == "/login?next=%2F%3Fyear%3D2025"
    response = _post_login(web, "MIA ", PASSWORD, next="/?year=2025")
    assert response.status_code == 303 and response.headers["location"] == "/?year=2025"
    cookie = response.headers["set-cookie"]
    assert "esg_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    home = web.get("/")
    # the username is marked as data (not to be translated), the role is a catalog word
    assert home.status_code == 200 and '<span translate="no">mia</span> · esg manager' in home.text
    [row] = _sessions(db)
    assert row.ended_at is None and row.token_hash not in cookie  # only the hash is stored
    with db.read() as session:
        assert session.scalar(select(func.count()).where(AuditEvent.action == "user.login")) == 1


def test_wrong_password_and_unknown_user_get_the_same_answer(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    wrong = _post_login(web, "mia", "not the password")
    unknown = _post_login(web, "nobody", "whatever it is")
    assert wrong.status_code == unknown.status_code == 401
    assert (
        "wrong username or password" in wrong.text and "wrong username or password" in unknown.text
    )
    assert "esg_session" not in wrong.headers.get("set-cookie", "")
    assert _sessions(db) == []


def test_login_never_redirects_off_site(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        web.cookies.clear()
        response = _post_login(web, "mia", PASSWORD, next=target)
        assert response.headers["location"] == "/", target


def test_logout_ends_the_session_for_good(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    csrf = log_in(web, "mia")
    stolen = web.cookies.get("esg_session")
    assert web.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert web.get("/").status_code == 303
    set_cookie(web, "esg_session", stolen)  # the old cookie, replayed
    assert web.get("/").status_code == 303
    assert _sessions(db)[0].ended_at is not None


def test_forged_or_tampered_cookies_are_not_sessions(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    good = web.cookies.get("esg_session")
    assert good is not None
    token, _, signature = good.rpartition(".")
    web.cookies.clear()
    set_cookie(web, "esg_session", good)
    assert web.get("/").status_code == 200  # the jar really sends what the loop sets
    for forged in (token, f"{token}.{signature[::-1]}", f"x{good}", "anything"):
        web.cookies.clear()
        set_cookie(web, "esg_session", forged)
        assert web.get("/").status_code == 303, forged


def test_idle_and_absolute_expiry(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    policy = SessionPolicy.from_settings()
    with db.write() as session:  # the browser went quiet for longer than the idle limit
        row = session.scalars(select(WebSession)).one()
        row.last_seen_at -= policy.idle + dt.timedelta(seconds=1)
    response = web.get("/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert _sessions(db)[0].ended_at is not None

    log_in(web, "mia")
    with db.write() as session:  # active all along, but past the absolute lifetime
        row = session.scalars(select(WebSession).where(WebSession.ended_at.is_(None))).one()
        row.expires_at = row.last_seen_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        row.created_at -= policy.max_age
    assert web.get("/").status_code == 303


def test_activity_keeps_a_session_alive(db: Database) -> None:
    make_user(db, "mia", "esg_manager")
    policy = SessionPolicy.from_settings()
    start = dt.datetime(2026, 1, 5, 9, 0)
    with db.write() as session:
        signed = login(session, "mia", PASSWORD, client="test", policy=policy, now=start)
    step = policy.idle - dt.timedelta(minutes=1)
    now = start
    for _ in range(5):  # a request every (idle - 1) minutes: never idle
        now += step
        with db.write() as session:
            assert resume(session, signed.token, policy=policy, now=now).principal.username == "mia"
    assert now - start > policy.idle


def test_disabled_user_and_new_password_end_sessions(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    with db.write() as session:
        set_password(session, "mia", "a brand new passphrase", actor="admin")
    assert web.get("/").status_code == 303
    log_in(web, "mia", "a brand new passphrase")
    with db.write() as session:
        set_active(session, "mia", False, actor="admin")
    assert web.get("/").status_code == 303
    assert _post_login(web, "mia", "a brand new passphrase").status_code == 401


def test_forms_need_the_session_csrf_token(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    csrf = log_in(web, "mia")
    for data in ({}, {"csrf_token": ""}, {"csrf_token": csrf[:-1] + "x"}):
        response = web.post("/logout", data=data)
        assert response.status_code == 403, data
        assert "security token" in response.text
    assert web.get("/").status_code == 200  # the refused posts changed nothing
    other_site = web.post(
        "/logout", data={"csrf_token": csrf}, headers={"Origin": "https://evil.example"}
    )
    assert other_site.status_code == 403 and "another site" in other_site.text
    assert web.get("/").status_code == 200
    assert web.post("/logout", data={"csrf_token": csrf}).status_code == 303


def test_a_token_from_another_session_does_not_count(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    make_user(db, "ann", "auditor")
    ann = TestClient(web.app, follow_redirects=False)
    ann_csrf = log_in(ann, "ann")
    log_in(web, "mia")
    assert web.post("/logout", data={"csrf_token": ann_csrf}).status_code == 403


def test_login_form_needs_its_own_token(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    web.get("/login")
    response = web.post(
        "/login", data={"username": "mia", "password": PASSWORD, "csrf_token": "guess"}
    )
    assert response.status_code == 403
    fresh = TestClient(web.app, follow_redirects=False)  # no form cookie at all
    token = csrf_of(web.get("/login").text)
    response = fresh.post(
        "/login", data={"username": "mia", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 403 and _sessions(db) == []


def test_login_rate_limit_per_username(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    limit = SessionPolicy.from_settings().max_failures
    for _ in range(limit):
        assert _post_login(web, "mia", "guess").status_code == 401
    blocked = _post_login(web, "mia", PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "too many failed logins" in blocked.text
    assert int(blocked.headers["retry-after"]) > 0
    assert _sessions(db) == []
    with db.write() as session:  # the window passes
        for row in session.scalars(select(LoginFailure)):
            row.at -= SessionPolicy.from_settings().window
    assert _post_login(web, "mia", PASSWORD).status_code == 303
    with db.read() as session:  # a success forgets the user's failures
        assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_login_rate_limit_per_client_address(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    limit = SessionPolicy.from_settings().max_failures
    for i in range(limit):  # spraying many usernames from one address
        assert _post_login(web, f"user{i}", "guess").status_code == 401
    assert _post_login(web, "mia", PASSWORD).status_code == 429
