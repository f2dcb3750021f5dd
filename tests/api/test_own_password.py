"""Issue #14 (passwords): ``POST /api/v1/me/password`` changes one's own password with the
rules of the CLI and the web page, and ends the other sessions and tokens as the page does."""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.tokens import issue_token
from esgledger.auth.users import authenticate, set_password
from esgledger.ledger.db import Database
from tests.api.conftest import Api, problem
from tests.web.conftest import PASSWORD, log_in

NEW = "kettle orbit saffron"


def _password_is(db: Database, password: str) -> bool:
    try:
        with db.write() as session:
            authenticate(session, "olga", password)
        return True
    except PermissionDenied:
        return False


def _change(api: Api, current: str, new: str):  # type: ignore[no-untyped-def]
    return api.call("olga", "POST", "/me/password", json={"current": current, "new": new})


def test_the_api_refuses_a_wrong_current_password_and_weak_new_ones(api: Api) -> None:
    with api.db.write() as session:
        set_password(session, "olga", PASSWORD, actor="setup")
    assert "current password is not right" in problem(_change(api, "guess", NEW), 422)["detail"]
    for weak, says in (
        ("password123", "most common"),
        ("olga-2024-spring", "must not contain the username"),
        ("short", "at least 10 characters"),
    ):
        assert says in problem(_change(api, PASSWORD, weak), 422)["detail"]
    problem(api.call(None, "POST", "/me/password", json={"current": PASSWORD, "new": NEW}), 401)
    assert _password_is(api.db, PASSWORD), "every refusal left the password as it was"


def test_the_api_change_ends_sessions_and_other_tokens_but_keeps_the_calling_one(
    api: Api,
) -> None:
    with api.db.write() as session:
        set_password(session, "olga", PASSWORD, actor="setup")
        other, _ = issue_token(session, "olga", actor="setup")
    browser = TestClient(api.client.app, follow_redirects=False)
    log_in(browser, "olga")
    assert browser.get("/requests").status_code == 200
    done = _change(api, PASSWORD, NEW)
    assert done.status_code == 200, done.text
    assert done.json() == {"changed": True, "revoked_other_tokens": True}
    assert _password_is(api.db, NEW) and not _password_is(api.db, PASSWORD)
    assert browser.get("/requests").status_code == 303  # signed out: to the login form
    assert api.call("olga", "GET", "/requests").status_code == 200  # the calling token stays
    revoked = api.client.get("/api/v1/requests", headers={"Authorization": f"Bearer {other}"})
    problem(revoked, 401)
