"""Issue #14 (passwords): a user changes their own password in the web app: current
password, the new one twice, the same rules as the CLI; their other sessions end."""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.users import authenticate
from esgledger.ledger.db import Database
from tests.web.conftest import PASSWORD, log_in, make_user

NEW = "kettle orbit saffron"


def _change(web: TestClient, csrf: str, current: str, new: str, again: str | None = None):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf, "current": current, "new": new, "again": again or new}
    return web.post("/account/password", data=data)


def _password_is(db: Database, password: str) -> bool:
    try:
        with db.write() as session:
            authenticate(session, "olga", password)
        return True
    except PermissionDenied:
        return False


def test_password_change_refuses_wrong_current_typos_and_weak_passwords(
    db: Database, web: TestClient
) -> None:
    assert web.get("/account/password").status_code == 303  # anonymous: the login form
    make_user(db, "olga", "data_owner")
    csrf = log_in(web, "olga")
    page = web.get("/account/password")
    assert page.status_code == 200 and 'name="again"' in page.text
    assert 'href="/account/password"' in web.get("/").text  # reachable from every page
    for answer, status, says in (
        (_change(web, csrf, "not my password", NEW), 403, "current password is not right"),
        (_change(web, csrf, PASSWORD, NEW, NEW + "!"), 422, "two new passwords differ"),
        (_change(web, csrf, PASSWORD, "password123"), 422, "most common"),
        (_change(web, csrf, PASSWORD, "olga-2024-spring"), 422, "must not contain the username"),
        (_change(web, csrf, PASSWORD, "zzzzzzzzzzzz"), 422, "different characters"),
        (_change(web, csrf, PASSWORD, "short"), 422, "at least 10 characters"),
        (_change(web, "", PASSWORD, NEW), 403, "security token"),
    ):
        assert answer.status_code == status and says in answer.text, (status, answer.text[:200])
    assert _password_is(db, PASSWORD), "every refusal left the password as it was"


def test_password_change_ends_the_other_sessions_and_keeps_this_one(
    db: Database, web: TestClient
) -> None:
    make_user(db, "olga", "data_owner")
    laptop = TestClient(web.app, follow_redirects=False)
    log_in(laptop, "olga")
    csrf = log_in(web, "olga")
    done = _change(web, csrf, PASSWORD, NEW)
    assert done.status_code == 303 and done.headers["location"] == "/account/password?changed=1"
    assert "Password changed" in web.get(done.headers["location"]).text  # still signed in
    assert laptop.get("/").status_code == 303, "the other browser is signed out"
    assert _password_is(db, NEW) and not _password_is(db, PASSWORD)
    log_in(laptop, "olga", NEW)


def test_guessing_the_current_password_is_throttled_like_a_login(
    db: Database, web: TestClient
) -> None:
    make_user(db, "olga", "data_owner")
    csrf = log_in(web, "olga")
    for _ in range(5):  # ESG_LOGIN_MAX_FAILURES
        assert _change(web, csrf, "a wrong guess", NEW).status_code == 403
    throttled = _change(web, csrf, PASSWORD, NEW)  # even the right one waits now
    assert throttled.status_code == 429 and "too many failed logins" in throttled.text
    assert throttled.headers["retry-after"].isdigit()
    assert _password_is(db, PASSWORD)
