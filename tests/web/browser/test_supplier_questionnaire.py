"""#16 a supplier answers its self-assessment questionnaire in a real browser (Chromium):
it opens a one-time link without an account, is told what is missing (evidence for a
"yes"), attaches a file, sends, and finds the link spent; the score is stored."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from esgledger.ledger.db import Database
from esgledger.ledger.supplier_models import SupplierSaqLink
from esgledger.suppliers import saq
from tests.conftest import Cli
from tests.suppliers.saq_files import saq_workspace


def test_a_supplier_answers_through_its_link(
    page: Page, workspace: Database, live_server: str, tmp_path: Path
) -> None:
    saq_workspace(Cli(workspace), tmp_path)
    with workspace.write() as s:
        (issued,) = saq.send(s, "SAQ 2025", ["S002"], days=14, actor="t")
    link = f"{live_server}/supplier-questionnaire/{issued['token']}"

    page.goto(link)
    expect(page.locator("h1")).to_have_text("SAQ 2025")
    expect(page.get_by_text("For Hanoi Cable Works")).to_be_visible()
    iso = page.locator('[data-question="env.iso14001"]')
    iso.get_by_label("yes").check()
    page.locator('[data-question="env.targets"]').get_by_label("intensity only").check()
    page.locator('[data-question="soc.child_labour_policy"]').get_by_label("yes").check()
    page.get_by_role("button", name="Send the answers").click()
    expect(page.get_by_role("status")).to_contain_text("needs an evidence file")

    iso = page.locator('[data-question="env.iso14001"]')
    expect(iso.get_by_label("yes")).to_be_checked()  # what was typed comes back
    certificate = tmp_path / "iso14001.pdf"
    certificate.write_bytes(b"%PDF-1.4 ISO 14001 certificate")
    iso.get_by_label("Evidence").set_input_files(str(certificate))
    page.get_by_role("button", name="Send the answers").click()
    expect(page.get_by_test_id("saq-received")).to_contain_text("Hanoi Cable Works")

    page.goto(link)
    expect(page.get_by_test_id("saq-closed")).to_contain_text("used already")
    with workspace.read() as s:
        # yes (3) + intensity only (2 × 0.5) + yes (5) = 9 of 10.
        assert s.query(SupplierSaqLink).one().score == 90.0
