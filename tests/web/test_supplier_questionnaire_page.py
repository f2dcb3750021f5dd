"""#16 the supplier's questionnaire page: no account, double-submit CSRF, answers and an
evidence file in one multipart form, refusals re-shown with what was typed, one use."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.supplier_models import SupplierSaqEvidence, SupplierSaqLink
from esgledger.suppliers import saq
from tests.conftest import Cli
from tests.suppliers.saq_files import saq_workspace
from tests.web.conftest import csrf_of

ANSWERS = {
    "answer.env.iso14001": "yes",
    "answer.env.targets": "absolute",
    "answer.soc.child_labour_policy": "no",
    "answer.soc.notes": "we publish a report",
}


def _link(cli: Cli, db: Database, tmp_path: Path, days: int = 30) -> str:
    saq_workspace(cli, tmp_path)
    with db.write() as session:
        (issued,) = saq.send(session, "SAQ 2025", ["S001"], days=days, actor="t")
    return issued["token"]


def test_a_supplier_answers_through_its_link(
    web: TestClient, cli: Cli, db: Database, tmp_path: Path
) -> None:
    token = _link(cli, db, tmp_path)
    form = web.get(f"/supplier-questionnaire/{token}")
    assert form.status_code == 200 and 'data-testid="saq-form"' in form.text
    assert "Pearl River Castings" in form.text and "intensity only" in form.text
    assert form.headers["cache-control"] == "no-store"
    # No evidence with a "yes" that needs it: refused, what was typed shown again.
    missing = web.post(
        f"/supplier-questionnaire/{token}", data={"csrf_token": csrf_of(form.text), **ANSWERS}
    )
    assert missing.status_code == 422
    assert "the answer &#39;yes&#39; needs an evidence file" in missing.text
    assert 'value="absolute" checked' in missing.text
    sent = web.post(
        f"/supplier-questionnaire/{token}",
        data={"csrf_token": csrf_of(missing.text), **ANSWERS},
        files={"evidence.env.iso14001": ("iso.pdf", b"%PDF-1.4 cert", "application/pdf")},
    )
    assert sent.status_code == 200 and 'data-testid="saq-received"' in sent.text
    with db.read() as session:
        link = session.query(SupplierSaqLink).one()
        # yes (3) + absolute (2) + no (0 of 5) = 5 of 10.
        assert link.score == 50.0 and link.answered_at is not None
        assert session.query(SupplierSaqEvidence).one().content == b"%PDF-1.4 cert"
    again = web.get(f"/supplier-questionnaire/{token}")
    assert again.status_code == 409 and "used already" in again.text
    assert web.get("/supplier-questionnaire/not-a-token").status_code == 404


def test_a_post_without_the_form_token_is_refused(
    web: TestClient, cli: Cli, db: Database, tmp_path: Path
) -> None:
    token = _link(cli, db, tmp_path)
    refused = web.post(f"/supplier-questionnaire/{token}", data=ANSWERS)
    assert refused.status_code == 403
    with db.read() as session:
        assert session.query(SupplierSaqLink).one().answered_at is None


def test_an_expired_link_is_closed(web: TestClient, cli: Cli, db: Database, tmp_path: Path) -> None:
    token = _link(cli, db, tmp_path, days=1)
    with db.write() as session:
        link = session.query(SupplierSaqLink).one()
        link.expires_at = link.issued_at  # expired the moment it was issued
    page = web.get(f"/supplier-questionnaire/{token}")
    assert page.status_code == 409 and "expired on" in page.text
