"""#17 over the pages: the whistleblowing register shows counts to every KPI reader and the
cases' content to compliance officers only; the anonymous intake refuses a spent link."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.register_models import WhistleCase
from esgledger.registers import whistle
from tests.factories import entities_file
from tests.web.conftest import csrf_of, log_in, make_user

SECRET = "petty cash paid for the directors holiday"


def _cases(db: Database, tmp_path: Path) -> str:
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "cora", "compliance_officer")
    for name, role in (("ada", "admin"), ("aldo", "auditor"), ("mia", "esg_manager")):
        make_user(db, name, role)
    with db.write() as s:
        tokens = whistle.issue_links(s, principal(s, "cora"), entity="SZ1", count=2)
    with db.write() as s:
        code = whistle.submit_report(s, tokens[0], case_type="fraud", description=SECRET).code
        whistle.submit_report(s, tokens[1], case_type="data", description="a USB stick lost")
    return code


def test_counts_for_everyone_content_for_compliance_officers(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    code = _cases(db, tmp_path)
    for name in ("ada", "aldo", "mia"):
        web.cookies.clear()
        log_in(web, name)
        page = web.get("/registers/whistleblowing")
        assert page.status_code == 200
        assert "<strong>2</strong> cases received" in page.text
        assert SECRET not in page.text and code not in page.text
        assert 'data-testid="content-hidden"' in page.text
    web.cookies.clear()
    log_in(web, "cora")
    page = web.get("/registers/whistleblowing")
    assert SECRET in page.text and code in page.text
    found = web.get("/registers/whistleblowing", params={"type": "data", "q": "usb"})
    assert "a USB stick lost" in found.text and SECRET not in found.text
    paged = web.get("/registers/whistleblowing", params={"limit": 1, "sort": "type"})
    assert "a USB stick lost" in paged.text and SECRET not in paged.text  # data before fraud
    assert "page=2" in paged.text


def test_the_intake_page_takes_one_report_per_link(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    make_user(db, "cora", "compliance_officer")
    with db.write() as s:
        (token,) = whistle.issue_links(s, principal(s, "cora"), entity="SZ1")
    form = web.get(f"/speak-up/{token}")
    assert form.status_code == 200 and 'data-testid="whistle-form"' in form.text
    empty = web.post(f"/speak-up/{token}", data={"csrf_token": csrf_of(form.text), "type": "fraud"})
    assert empty.status_code == 422 and "the report is empty" in empty.text
    sent = web.post(f"/speak-up/{token}", data={"csrf_token": csrf_of(empty.text), "type": "fraud",
                                                "report": "fake invoices"})  # fmt: skip
    assert sent.status_code == 200 and 'data-testid="case-code"' in sent.text
    assert web.get(f"/speak-up/{token}").status_code == 409
    assert web.get("/speak-up/not-a-token").status_code == 404


def test_a_throttled_follow_up_is_refused_and_audited(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _cases(db, tmp_path)
    with db.read() as s:
        code = s.scalars(select(WhistleCase.ref)).first()
    assert code
    statuses = []
    for _ in range(6):
        form = web.get("/speak-up/follow-up")
        answer = web.post("/speak-up/follow-up", data={"csrf_token": csrf_of(form.text),
                          "code": code, "passphrase": "guess"})  # fmt: skip
        statuses.append(answer.status_code)
        assert "Traceback" not in answer.text
    assert statuses == [401] * 5 + [429] and int(answer.headers["Retry-After"]) > 0
    with db.read() as s:
        actions = list(
            s.scalars(select(AuditEvent.action).where(AuditEvent.subject.contains(code)))
        )
    assert actions.count("register.whistleblowing.follow_up_failed") == 5
    assert actions.count("register.whistleblowing.follow_up_throttled") == 1
