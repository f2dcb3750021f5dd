"""Issue #14: security headers on every answer. No page may be framed by another site (a
framed /review let one click approve a request), no authenticated page or API answer may be
kept in the browser's cache (Back after logout showed the audit log), no referrer leaks the
address of a page, and no answer is sniffed into another type."""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.web.conftest import log_in, make_user


def _framing_refused(headers: dict[str, str]) -> None:
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] in ("no-referrer", "same-origin")


def test_pages_cannot_be_framed_or_cached(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    login = web.get("/login")
    _framing_refused(login.headers)  # type: ignore[arg-type]
    log_in(web, "mia")
    for path in ("/review", "/audit", "/requests", "/nope"):
        answer = web.get(path)
        assert answer.status_code < 500, (path, answer.text[:200])
        _framing_refused(answer.headers)  # type: ignore[arg-type]
        assert "no-store" in answer.headers["cache-control"], path
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, policy


def test_api_answers_are_not_cached(db: Database, web: TestClient) -> None:
    for path in ("/api/v1/entities", "/api/v1/openapi.json"):
        answer = web.get(path)
        _framing_refused(answer.headers)  # type: ignore[arg-type]
        assert "no-store" in answer.headers["cache-control"], path
