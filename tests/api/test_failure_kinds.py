"""Issue #13 follow-up: the API tells a busy database, a full disk and damaged data apart.

Each is provoked for real: another connection holds the write lock past a short
``ESG_LOCK_WAIT_SECONDS``, the fault hook fails the commit as a full disk would, and a
published report's bytes are changed in the ledger behind the archive's back.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from esgledger.disclose.archive import archive_files
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.report_models import PublishedReport
from esgledger.server import create_app
from tests.api.conftest import YEAR, Api, problem, setup_users

REQUEST = {
    "year": YEAR,
    "metrics": ["packaging.plastics"],
    "owner": "olga",
    "due": "2099-03-31",
    "entities": ["SZ1"],
}


@contextmanager
def write_lock_held(db: Database) -> Iterator[None]:
    """Another client holding the lock every write needs, until the block ends."""
    if db.dialect == "sqlite":
        import sqlite3

        holder = sqlite3.connect(str(db.sqlite_path), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            holder.rollback()
            holder.close()
        return
    with psycopg.connect(db.url.replace("postgresql+psycopg://", "postgresql://")) as holder:
        holder.execute("LOCK TABLE audit_events IN EXCLUSIVE MODE")  # writes wait, reads don't
        yield
        holder.rollback()


@pytest.fixture
def busy_api(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    """The API of a workspace whose writers give up after half a second."""
    tokens = setup_users(db, tmp_path)
    monkeypatch.setenv("ESG_LOCK_WAIT_SECONDS", "0.5")
    with TestClient(create_app(db.url), raise_server_exceptions=False) as client:
        yield Api(db, client, tokens)


def _audit_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_busy_database_is_a_503_with_retry_after(busy_api: Api) -> None:
    before = _audit_count(busy_api.db)
    with write_lock_held(busy_api.db):
        answer = busy_api.call("mia", "POST", "/requests", json=REQUEST)
    body = problem(answer, 503)
    assert body["type"].endswith(":database-busy") and body["title"] == "Database busy"
    assert "ESG_LOCK_WAIT_SECONDS" in body["detail"]
    assert int(answer.headers["retry-after"]) >= 1
    assert _audit_count(busy_api.db) == before  # nothing was written
    assert busy_api.call("mia", "POST", "/requests", json=REQUEST).status_code == 201


def test_a_full_disk_is_a_507(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _audit_count(api.db)
    monkeypatch.setenv("ESG_FAULT_POINT", "db.commit:enospc")
    answer = api.call("mia", "POST", "/requests", json=REQUEST)
    monkeypatch.delenv("ESG_FAULT_POINT")
    body = problem(answer, 507)
    assert body["type"].endswith(":storage-failure") and body["title"] == "Storage unavailable"
    assert "disk is full" in body["detail"] and "nothing was written" in body["detail"]
    assert _audit_count(api.db) == before


def _published(db: Database, tmp_path: Path) -> int:
    page = tmp_path / "esg-report-2025.html"
    page.write_text("<html><body>Scope 1: 1,234 tCO2e</body></html>", encoding="utf-8")
    with db.write() as session:
        (row,) = archive_files(session, YEAR, {"html": page}, actor="setup")
        return row.id


def tamper(db: Database, report_id: int) -> None:
    """Change the stored bytes without the digest, as a damaged disk or a hand edit would."""
    with db.write() as session:
        session.execute(
            update(PublishedReport)
            .where(PublishedReport.id == report_id)
            .values(content=b"<html><body>Scope 1: 999 tCO2e</body></html>")
        )


def test_a_damaged_report_file_is_an_integrity_problem_not_a_404(
    api: Api, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    report_id = _published(api.db, tmp_path)
    assert api.call("aldo", "GET", f"/reports/{report_id}/file").status_code == 200
    tamper(api.db, report_id)
    with caplog.at_level(logging.ERROR, logger="esgledger.http_shared.errors"):
        body = problem(api.call("aldo", "GET", f"/reports/{report_id}/file"), 500)
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert logged == [f"integrity failure on /api/v1/reports/{report_id}/file: {body['detail']}"]
    assert body["type"].endswith(":integrity-failure") and body["title"] == "Data integrity failure"
    assert f"published report file {report_id}" in body["detail"]
    assert "SHA-256" in body["detail"] and "backup" in body["detail"]
    missing = problem(api.call("aldo", "GET", "/reports/999999/file"), 404)
    assert missing["type"].endswith(":not-found")


def test_the_schema_documents_the_failure_kinds(api: Api) -> None:
    schema = api.client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = operation["responses"]
            for status in ("500", "503", "507"):
                assert status in documented, (method, path, status)
                content = documented[status]["content"]
                assert content["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
            assert "Retry-After" in documented["503"]["headers"], (method, path)
