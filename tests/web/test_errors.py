"""Errors on pages are HTML pages; errors under /api/v1 stay problem-details JSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.web.conftest import log_in, make_user


def test_page_errors_are_html_and_api_errors_json(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    csrf = log_in(web, "mia")
    missing = web.get("/no/such/page")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "no such page" in missing.text
    bad = web.post("/requests/abc/submit", data={"csrf_token": csrf, "version": "1"})
    assert bad.status_code == 404 and bad.headers["content-type"].startswith("text/html")

    @web.app.get("/probe/{number}")  # any page whose typed parameter fails FastAPI's check
    def probe(number: int) -> dict[str, int]:
        return {"number": number}

    typed = web.get("/probe/abc")
    assert typed.status_code == 422 and typed.headers["content-type"].startswith("text/html")
    assert "number in the address" in typed.text and "Traceback" not in typed.text
    api = web.get("/api/v1/runs/abc")
    assert api.status_code in (401, 422)
    assert api.headers["content-type"] == "application/problem+json"
    api_missing = web.get("/api/v1/no-such-endpoint")
    assert api_missing.headers["content-type"] == "application/problem+json"


def test_an_unexpected_failure_on_a_page_is_an_html_500(db: Database, web: TestClient) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")

    @web.app.get("/probe-crash")
    def crash() -> None:
        raise RuntimeError("internal detail that must not leak")

    response = web.get("/probe-crash")
    assert response.status_code == 500 and response.headers["content-type"].startswith("text/html")
    assert "unexpected server error" in response.text and "internal detail" not in response.text
