"""Published reports are kept byte for byte, as editions, and served as published."""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.tokens import issue_token
from esgledger.auth.users import add_user
from esgledger.disclose.archive import get_published, list_published
from esgledger.disclose.publish import publish_report
from esgledger.errors import Exit, IntegrityFailure, NotFound
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.report_models import PublishedReport
from esgledger.server import create_app
from tests.conftest import Cli, DemoBuild
from tests.web.conftest import log_in


def test_each_publication_is_a_new_edition_and_previews_are_not_kept(
    db: Database, tmp_path: Path, cli: Cli
) -> None:
    first = publish_report(db, 2025, out=tmp_path / "a", formats=["html"], archive_as="mia")
    publish_report(db, 2025, out=tmp_path / "b", formats=["html"])  # a preview
    cli("report", "--year", "2025", "--format", "html,xlsx", "--out", str(tmp_path / "c"))
    with db.read() as session:
        rows = list_published(session, 2025)
        assert [(r.edition, r.format) for r in rows] == [(2, "html"), (2, "xlsx"), (1, "html")]
        html = Path(first["files"]["html"]).read_bytes()
        assert rows[-1].content == html and rows[-1].sha256 == hashlib.sha256(html).hexdigest()
        assert rows[-1].published_by == "mia"
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.publish"))
        assert [json.loads(e.payload)["edition"] for e in events] == [1, 2]


def test_a_file_that_no_longer_matches_its_digest_is_refused(db: Database, tmp_path: Path) -> None:
    publish_report(db, 2025, out=tmp_path, formats=["html"], archive_as="mia")
    with db.write() as session:
        row = session.scalars(select(PublishedReport)).one()
        row.content = row.content.replace(b"</html>", b"<!-- edited --></html>")
    # damaged data, not a missing file
    with db.read() as session, pytest.raises(IntegrityFailure) as refused:
        get_published(session, row.id)
    assert not isinstance(refused.value, NotFound)
    assert "does not match its SHA-256" in str(refused.value)
    assert refused.value.exit_code == Exit.INTEGRITY


def test_the_demo_report_is_served_as_published(demo_build: DemoBuild, tmp_path: Path) -> None:
    copy = tmp_path / "esg.db"  # this test adds a token user: work on a copy of the demo
    with sqlite3.connect(demo_build.db_path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    db = Database(str(copy))
    try:
        with db.read() as session:
            rows = list_published(session)
        assert {r.format for r in rows} == {
            "html",
            "pdf",
            "xlsx",
            "zh.html",
            "zh.pdf",
            "zh.xlsx",
        } and {r.edition for r in rows} == {1}
        on_disk = {r.format: (demo_build.out / "report" / r.filename).read_bytes() for r in rows}
        with db.write() as session:
            add_user(session, username="bot", role="auditor", actor="test")
            token, _ = issue_token(session, "bot", actor="test")
        with TestClient(create_app(db.url), follow_redirects=False) as client:
            listed = client.get("/api/v1/reports", headers={"Authorization": f"Bearer {token}"})
            assert {r["sha256"] for r in listed.json()} == {r.sha256 for r in rows}
            pdf = next(r for r in rows if r.format == "pdf")
            got = client.get(
                f"/api/v1/reports/{pdf.id}/file", headers={"Authorization": f"Bearer {token}"}
            )
            assert got.content == on_disk["pdf"] and got.headers["x-content-sha256"] == pdf.sha256
            log_in(client, "auditor", demo_build.password("auditor"))
            home = client.get("/").text
            links = set(re.findall(r'href="/reports/(\d+)/file"', home))
            assert links == {str(r.id) for r in rows}  # the dashboard offers the edition
            page = client.get(f"/reports/{pdf.id}/file")
            assert page.content == on_disk["pdf"]
    finally:
        db.dispose()
