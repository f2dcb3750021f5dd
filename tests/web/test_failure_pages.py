"""Pages tell a busy database, a full disk, damaged data and a bug apart, as the API does;
every answer, a 500 included, carries the security headers (issue #13 follow-up, #14).

Each failure is provoked for real: another connection holds the write lock, the fault hook
fails the commit as a full disk (``:enospc``) or a bug (``:bug``) would, and a published
report's bytes are changed in the ledger.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from esgledger.ledger.db import Database
from esgledger.server import create_app
from tests.api.conftest import PROBLEM_KEYS
from tests.api.test_failure_kinds import REQUEST, _published, setup_users, tamper, write_lock_held
from tests.web.conftest import PASSWORD, csrf_of, log_in, make_user

HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options")


def _secured(answer: Response) -> None:
    for header in HEADERS:
        assert header in answer.headers, (header, dict(answer.headers))
    assert answer.headers["x-frame-options"] == "DENY"
    assert "no-store" in answer.headers["cache-control"]


def _html_error(answer: Response, status: int) -> str:
    assert answer.status_code == status, answer.text[:500]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Traceback" not in answer.text
    _secured(answer)
    return answer.text


def _login_post(web: TestClient, username: str, fault: str, mp: pytest.MonkeyPatch) -> Response:
    """Sign in with ``ESG_FAULT_POINT=fault`` set for the form's post (not its page)."""
    page = web.get("/login")
    form = {"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    mp.setenv("ESG_FAULT_POINT", fault)
    return web.post("/login", data=form)


@pytest.fixture
def busy_web(db: Database, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "0.5")
    with TestClient(
        create_app(db.url), raise_server_exceptions=False, follow_redirects=False
    ) as client:
        yield client


def test_a_busy_database_is_a_503_page_with_retry_after(db: Database, busy_web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    page = busy_web.get("/login")
    form = {"username": "mia", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    with write_lock_held(db):
        answer = busy_web.post("/login", data=form)
    text = _html_error(answer, 503)
    assert "Database busy" in text and "ESG_LOCK_WAIT_SECONDS" in text
    assert int(answer.headers["retry-after"]) >= 1


def test_a_full_disk_is_a_507_page(
    db: Database, web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db, "mia", "esg_manager")
    text = _html_error(_login_post(web, "mia", "db.commit:enospc", monkeypatch), 507)
    assert "Storage unavailable" in text and "disk is full" in text


def test_a_damaged_report_file_is_an_integrity_page(
    db: Database, web: TestClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    make_user(db, "aldo", "auditor")
    report_id = _published(db, tmp_path)
    log_in(web, "aldo")
    assert web.get(f"/reports/{report_id}/file").status_code == 200
    tamper(db, report_id)
    with caplog.at_level(logging.ERROR, logger="esgledger.http_shared.errors"):
        text = _html_error(web.get(f"/reports/{report_id}/file"), 500)
    assert any(
        r.getMessage().startswith(f"integrity failure on /reports/{report_id}/file: published")
        for r in caplog.records
    )
    assert "Data integrity failure" in text and "does not match its SHA-256" in text
    assert _html_error(web.get("/reports/999999/file"), 404)


def test_a_bug_on_a_page_is_an_html_500_with_the_security_headers(
    db: Database, web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db, "mia", "esg_manager")
    text = _html_error(_login_post(web, "mia", "db.commit:bug", monkeypatch), 500)
    assert "unexpected server error" in text and "fault injected" not in text


def test_a_bug_in_the_api_is_a_problem_500_with_the_security_headers(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = setup_users(db, tmp_path)
    with TestClient(create_app(db.url), raise_server_exceptions=False) as client:
        monkeypatch.setenv("ESG_FAULT_POINT", "db.commit:bug")
        answer = client.post(
            "/api/v1/requests", json=REQUEST, headers={"Authorization": f"Bearer {tokens['mia']}"}
        )
    assert answer.status_code == 500, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body.keys() >= PROBLEM_KEYS and body["status"] == 500
    assert "fault injected" not in answer.text and "Traceback" not in answer.text
    _secured(answer)
