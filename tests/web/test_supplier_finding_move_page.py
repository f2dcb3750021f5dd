"""#16 a finding's page moves it through the same service as ``POST /supplier-findings/{id}
/move``: the CSRF token and the version seen, only the allowed next states offered, the plan
fields, the step's day (required for verified closure, optional otherwise). A refused move
re-shows the page with the one-line error and writes nothing; a role without
``suppliers.write`` gets 403."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from esgledger.auth.permissions import MATRIX
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.supplier_models import SupplierFinding
from esgledger.suppliers.audits import add_finding, plan_audit, report_audit
from tests.web.conftest import csrf_of, log_in, make_user
from tests.web.test_languages import english_left
from tests.web.test_supplier_pages import db

__all__ = ["db"]  # the filled register, imported for pytest
ZH = {"Accept-Language": "zh-CN"}


def _finding(db: Database) -> int:
    with db.write() as s:
        audit = plan_audit(s, supplier="S001", planned_on=dt.date(2025, 3, 1), mode="on-site",
                           auditor="Audit Co", actor="setup")  # fmt: skip
        found = add_finding(s, audit.id, grade="Major", family="social", text="no exit", actor="t")
        report_audit(s, audit.id, done_on=dt.date(2025, 3, 2), report_on=dt.date(2025, 3, 10),
                     actor="setup")  # fmt: skip
        return found.id


def _row(db: Database, fid: int) -> tuple[str, int, dt.date | None, dt.date | None]:
    with db.read() as s:
        f = s.get(SupplierFinding, fid)
        assert f is not None
        return f.state, f.version, f.planned_completion, f.closed_on


def _moves(db: Database) -> list[dict[str, Any]]:
    with db.read() as s:
        rows = s.execute(
            select(AuditEvent.actor, AuditEvent.payload)
            .where(AuditEvent.action == "suppliers.finding.move")
            .order_by(AuditEvent.id)
        )
        keys = ("finding", "from", "to", "on")
        return [
            {"by": actor, **{k: v for k, v in json.loads(p).items() if k in keys}}
            for actor, p in rows
        ]


def _offered(html: str) -> list[str]:
    form = html[html.index('data-testid="move-form"') :]
    select_ = form[form.index('name="state"') : form.index("</select>")]
    return re.findall(r'<option value="([^"]+)"', select_)


def _post(web: TestClient, fid: int, page: str, **fields: str) -> Any:
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    data = {"csrf_token": csrf_of(page), "version": version.group(1), **fields}
    return web.post(f"/suppliers/findings/{fid}/move", data=data)


PLAN = {"root_cause": "no drill", "corrective": "fit exit signs", "preventive": "monthly walk",
        "planned_completion": "2025-05-01"}  # fmt: skip


def test_a_finding_moves_from_its_page_to_verified_closure(web: TestClient, db: Database) -> None:
    fid = _finding(db)
    v0 = _row(db, fid)[1]
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    listed = web.get("/suppliers/findings")
    assert f'href="/suppliers/findings/{fid}"' in listed.text
    page = web.get(f"/suppliers/findings/{fid}")
    assert page.status_code == 200 and "no exit" in page.text
    assert _offered(page.text) == ["plan_submitted"]
    sent = _post(web, fid, page.text, state="plan_submitted", on="", **PLAN)
    assert sent.status_code == 303 and sent.headers["location"] == f"/suppliers/findings/{fid}"
    assert _row(db, fid) == ("plan_submitted", v0 + 1, dt.date(2025, 5, 1), None)
    page = web.get(f"/suppliers/findings/{fid}")
    assert _offered(page.text) == ["plan_approved", "plan_rejected"]
    assert _post(web, fid, page.text, state="plan_approved", on="2025-03-20").status_code == 303
    page = web.get(f"/suppliers/findings/{fid}")
    assert _offered(page.text) == ["verified_closed"]
    assert _post(web, fid, page.text, state="verified_closed", on="2025-04-28").status_code == 303
    assert _row(db, fid) == ("verified_closed", v0 + 3, dt.date(2025, 5, 1), dt.date(2025, 4, 28))
    # the same audit events as the API's: the empty day stored none, the others theirs
    assert _moves(db) == [
        {"by": "sam", "finding": fid, "from": "open", "to": "plan_submitted"},
        {
            "by": "sam",
            "finding": fid,
            "from": "plan_submitted",
            "to": "plan_approved",
            "on": "2025-03-20",
        },
        {
            "by": "sam",
            "finding": fid,
            "from": "plan_approved",
            "to": "verified_closed",
            "on": "2025-04-28",
        },
    ]
    closed = web.get(f"/suppliers/findings/{fid}")
    assert 'data-testid="move-form"' not in closed.text


def test_a_refused_move_reshows_the_page_and_writes_nothing(web: TestClient, db: Database) -> None:
    fid = _finding(db)
    v0 = _row(db, fid)[1]
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get(f"/suppliers/findings/{fid}").text
    wrong = _post(web, fid, page, state="verified_closed", on="2025-04-01")
    assert wrong.status_code == 409 and 'data-testid="move-form"' in wrong.text
    assert "it can move to plan_submitted" in wrong.text
    short = _post(web, fid, page, state="plan_submitted", root_cause="r")
    assert short.status_code == 422 and "a corrective-action plan needs" in short.text
    assert ">r</textarea>" in short.text  # what was typed is kept
    bad_day = _post(web, fid, page, state="plan_submitted", **{**PLAN, "on": "31/02/2025"})
    assert bad_day.status_code == 422
    assert "Day of the step &#39;31/02/2025&#39; is not a date (YYYY-MM-DD)" in bad_day.text
    assert "Traceback" not in bad_day.text
    assert _row(db, fid) == ("open", v0, None, None) and _moves(db) == []
    assert _post(web, fid, page, state="plan_submitted", **PLAN).status_code == 303
    stale = _post(web, fid, page, state="plan_submitted", **PLAN)  # the version seen was 1
    assert stale.status_code == 409 and f"changed since version {v0}" in stale.text
    page = web.get(f"/suppliers/findings/{fid}").text
    assert _post(web, fid, page, state="plan_approved").status_code == 303
    page = web.get(f"/suppliers/findings/{fid}").text
    no_day = _post(web, fid, page, state="verified_closed", on="")
    assert no_day.status_code == 422 and "needs the day its correction was verified" in no_day.text
    assert _row(db, fid)[:2] == ("plan_approved", v0 + 2) and len(_moves(db)) == 2
    gone = web.post("/suppliers/findings/999/move", data={"csrf_token": csrf_of(page),
                    "version": "1", "state": "plan_submitted"})  # fmt: skip
    assert gone.status_code == 404


def test_readers_see_no_form_and_are_refused_the_move(web: TestClient, db: Database) -> None:
    fid = _finding(db)
    v0 = _row(db, fid)[1]
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get(f"/suppliers/findings/{fid}")
    assert page.status_code == 200 and 'data-testid="move-form"' not in page.text
    csrf = csrf_of(web.get("/").text)
    denied = web.post(f"/suppliers/findings/{fid}/move", data={"csrf_token": csrf,
                      "version": str(v0), "state": "plan_submitted", **PLAN})  # fmt: skip
    assert denied.status_code == 403
    make_user(db, "cora", "compliance_officer")
    web.cookies.clear()
    log_in(web, "cora")
    assert web.get(f"/suppliers/findings/{fid}").status_code == 403
    assert _row(db, fid) == ("open", v0, None, None) and _moves(db) == []


def test_a_move_without_the_token_or_from_another_site_is_refused(
    web: TestClient, db: Database
) -> None:
    fid = _finding(db)
    v0 = _row(db, fid)[1]
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get(f"/suppliers/findings/{fid}").text
    fields = {"version": str(v0), "state": "plan_submitted", **PLAN}
    missing = web.post(f"/suppliers/findings/{fid}/move", data=fields)
    assert missing.status_code == 403 and "security token" in missing.text
    other = web.post(f"/suppliers/findings/{fid}/move", data={"csrf_token": csrf_of(page),
                     **fields}, headers={"Origin": "https://evil.example"})  # fmt: skip
    assert other.status_code == 403 and "another site" in other.text
    assert _row(db, fid) == ("open", v0, None, None) and _moves(db) == []


def test_the_move_form_speaks_chinese(web: TestClient, db: Database) -> None:
    fid = _finding(db)
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get(f"/suppliers/findings/{fid}", headers=ZH)
    assert page.status_code == 200 and "变更问题状态" in page.text and "根本原因" in page.text
    assert "Move the finding" not in page.text and "Root cause" not in page.text


def test_every_role_is_let_through_or_refused_as_the_matrix_says(
    web: TestClient, db: Database
) -> None:
    """The form's permission is the API's (``suppliers.write``), role by role: a permitted
    role reaches the service (a version it never saw: 409), any other gets 403."""
    fid = _finding(db)
    got = {}
    for role, grants in MATRIX.items():
        web.cookies.clear()
        csrf = log_in(web, make_user(db, f"u_{role}", role))
        answer = web.post(f"/suppliers/findings/{fid}/move", data={"csrf_token": csrf,
                          "version": "999999", "state": "plan_submitted", **PLAN})  # fmt: skip
        got[role] = answer.status_code
        assert got[role] == (409 if "suppliers.write" in grants.everywhere else 403), role
    assert sorted(r for r, status in got.items() if status == 409) == [
        "admin", "esg_manager", "supplier_manager"
    ]  # fmt: skip
    assert _moves(db) == []


def test_a_refused_move_is_worded_in_chinese(web: TestClient, db: Database) -> None:
    """The service's refusals name their catalog messages: a Chinese page words them in
    Chinese, the English lines (CLI and API) unchanged."""
    fid = _finding(db)
    v0 = _row(db, fid)[1]
    make_user(db, "sam", "supplier_manager")
    log_in(web, "sam")
    page = web.get(f"/suppliers/findings/{fid}", headers=ZH).text
    data = {"csrf_token": csrf_of(page), "version": str(v0)}
    url = f"/suppliers/findings/{fid}/move"
    wrong = web.post(url, headers=ZH, data={**data, "state": "verified_closed"})
    assert wrong.status_code == 409 and f"问题 {fid} 当前为“未关闭”" in wrong.text
    assert "it can move to" not in wrong.text and english_left(wrong.text) == []
    assert "只能变更为 整改计划已提交" in wrong.text, "the next states in the reader's words"
    short = web.post(url, headers=ZH, data={**data, "state": "plan_submitted"})
    assert short.status_code == 422 and "整改计划缺少" in short.text
    late = web.post(url, headers=ZH, data={**data, "state": "plan_submitted", **PLAN,
                                           "on": "2999-01-01"})  # fmt: skip
    assert late.status_code == 422 and "晚于今天" in late.text
    stale = web.post(url, headers=ZH, data={**data, "version": "1", "state": "plan_submitted"})
    assert stale.status_code == 409 and "已有变更" in stale.text
    bad = web.post(url, headers=ZH, data={**data, "state": "plan_submitted", "on": "x"})
    assert bad.status_code == 422 and "本步骤日期 &#39;x&#39; 不是日期" in bad.text
    english = web.post(url, data={**data, "state": "verified_closed"})
    assert f"finding {fid} is open; it can move to plan_submitted" in english.text
    assert _row(db, fid)[:2] == ("open", v0) and _moves(db) == []
