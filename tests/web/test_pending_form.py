"""Issue #14 (lost work): a form posted after the idle timeout is not lost. The post is
answered with the login form carrying it (signed); signing in brings it back filled in, and
only sending it again, with the new session's CSRF token, writes anything."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.sessions import SessionPolicy
from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.workflow_models import WebSession
from esgledger.workflow.requests import get_request, issue_requests, request_dict
from tests.factories import entities_file
from tests.web.conftest import PASSWORD, csrf_of, log_in, make_user

PENDING = re.compile(r'name="pending" value="([^"]+)"')


@pytest.fixture
def request_id(db: Database, tmp_path: Path) -> int:
    """A draft request of olga's (data owner of HQ); mia is the manager, ann an auditor."""
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "mia", "esg_manager")
    make_user(db, "olga", "data_owner", ("HQ",))
    make_user(db, "ann", "auditor")
    with db.write() as s:
        (rid,) = issue_requests(
            s, principal(s, "mia"), year=2025, owner="olga", due=dt.date(2026, 3, 31),
            metrics=["packaging.plastics"], entities=["SZ1"], issued_on=dt.date(2026, 1, 5),
        )["ids"]  # fmt: skip
    return int(rid)


def _state(db: Database, rid: int) -> dict:
    with db.read() as s:
        return request_dict(s, get_request(s, rid))


def _idle_out(db: Database) -> None:
    """The browser went quiet for longer than the idle limit."""
    idle = SessionPolicy.from_settings().idle
    with db.write() as s:
        for row in s.scalars(select(WebSession).where(WebSession.ended_at.is_(None))):
            row.last_seen_at -= idle + dt.timedelta(seconds=1)


def _post_after_timeout(web: TestClient, db: Database, rid: int) -> str:
    csrf = log_in(web, "olga")
    page = web.get(f"/requests/{rid}").text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    _idle_out(db)
    typed = {"csrf_token": csrf, "version": version.group(1), "value": "4.5", "unit": "t",
             "note": "from the Q4 meter readings", "reason": ""}  # fmt: skip
    answer = web.post(
        f"/requests/{rid}/enter",
        data=typed,
        headers={"Referer": f"http://testserver/requests/{rid}"},
    )
    assert answer.status_code == 401, answer.text[:300]
    assert "your form is kept" in answer.text
    found = PENDING.search(answer.text)
    assert found, "the login form carries the typed form"
    return found.group(1)


def _log_in_with(web: TestClient, username: str, pending: str):  # type: ignore[no-untyped-def]
    token = csrf_of(web.get("/login").text)
    data = {"username": username, "password": PASSWORD, "csrf_token": token, "pending": pending}
    return web.post("/login", data=data)


def test_a_form_posted_after_the_timeout_comes_back_filled_in(
    db: Database, web: TestClient, request_id: int
) -> None:
    before = _state(db, request_id)
    pending = _post_after_timeout(web, db, request_id)
    assert _state(db, request_id) == before, "nothing is written without a session"
    back = _log_in_with(web, "olga", pending)
    assert back.status_code == 200 and "Send your form again" in back.text
    assert f'action="/requests/{request_id}/enter"' in back.text
    assert 'value="4.5"' in back.text and "from the Q4 meter readings" in back.text
    assert _state(db, request_id) == before, "signing in replays nothing"
    fresh = csrf_of(web.get("/").text)
    assert f'name="csrf_token" value="{fresh}"' in back.text  # the new session's token
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', back.text.split("resumed-form")[1]))
    sent = web.post(f"/requests/{request_id}/enter", data=form)
    assert sent.status_code == 303, sent.text[:300]
    after = _state(db, request_id)
    assert (after["value"], after["unit"], after["state"]) == (4.5, "t", "draft")


def test_the_kept_form_is_only_for_its_author_and_cannot_be_forged(
    db: Database, web: TestClient, request_id: int
) -> None:
    pending = _post_after_timeout(web, db, request_id)
    web.cookies.clear()
    other = _log_in_with(web, "ann", pending)  # someone else signs in on that browser
    assert other.status_code == 303 and "4.5" not in other.text
    web.cookies.clear()
    forged = _log_in_with(web, "olga", pending[:-3] + "AAA")
    assert forged.status_code == 303, "a tampered form is dropped, the sign-in still works"
    wrong = TestClient(web.app, follow_redirects=False)
    token = csrf_of(wrong.get("/login").text)
    refused = wrong.post("/login", data={"username": "olga", "password": "not it at all",
                                         "csrf_token": token, "pending": pending})  # fmt: skip
    assert refused.status_code == 401 and PENDING.search(refused.text), "a typo keeps the form"


def test_a_post_without_any_session_gets_the_login_form_not_a_405(
    db: Database, web: TestClient, request_id: int
) -> None:
    answer = web.post(f"/requests/{request_id}/enter", data={"value": "7", "unit": "t"})
    assert answer.status_code == 401 and PENDING.search(answer.text)
    assert _state(db, request_id)["value"] is None
