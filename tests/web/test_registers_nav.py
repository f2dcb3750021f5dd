"""The registers and suppliers pages are in the navigation, for the roles that can read them,
and the registers' landing page links each register (in either language)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.registers.board import import_attendance, import_members
from tests.factories import entities_file
from tests.registers.board_files import ATTENDANCE, MEMBERS, attendance_file, members_file
from tests.web.conftest import log_in, make_user

NAV = re.compile(r'<nav class="main".*?</nav>', re.S)


def _nav(web: TestClient) -> str:
    found = NAV.search(web.get("/").text)
    assert found, "no main navigation"
    return found.group(0)


def test_each_role_sees_the_registers_and_suppliers_it_can_read(
    web: TestClient, db: Database
) -> None:
    for name, role, registers, suppliers in (
        ("mona", "esg_manager", True, True),
        ("sam", "supplier_manager", False, True),
        ("olga", "data_owner", False, False),
    ):
        make_user(db, name, role)
        log_in(web, name)
        nav = _nav(web)
        assert ('href="/registers"' in nav) is registers, (role, nav)
        assert ('href="/suppliers"' in nav) is suppliers, (role, nav)
        web.cookies.clear()


def test_the_landing_page_links_every_register_and_highlights_its_entry(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/registers")
    assert page.status_code == 200
    for href in ("/registers/board", "/registers/training", "/registers/whistleblowing"):
        assert f'href="{href}"' in page.text
    import_entities(db, entities_file(tmp_path), actor="setup")
    import_members(db, members_file(tmp_path, MEMBERS), actor="setup")
    import_attendance(db, attendance_file(tmp_path, ATTENDANCE), actor="setup")
    board = web.get("/registers/board").text
    assert 'href="/registers" class="current"' in board


def test_in_chinese_the_registers_speak_chinese(web: TestClient, db: Database) -> None:
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    zh = {"Accept-Language": "zh-CN"}
    landing = web.get("/registers", headers=zh).text
    assert "<h1>登记册</h1>" in landing and "董事会及专门委员会" in landing
    board = web.get("/registers/board", headers=zh).text
    assert "<h1>董事会及专门委员会</h1>" in board and "Board and committees" not in board
    training = web.get("/registers/training", headers=zh).text
    assert "<h1>廉洁承诺与培训</h1>" in training


def test_a_user_without_kpi_reading_is_refused_the_landing_page(
    web: TestClient, db: Database
) -> None:
    make_user(db, "olga", "data_owner")
    log_in(web, "olga")
    assert web.get("/registers").status_code == 403


def test_every_link_in_the_navigation_opens_and_no_readable_entry_is_hidden(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    """Issue #14: every link shown opens; a link hidden from a user holding its action on
    granted entities only is one whose page needs the action everywhere (it refuses them),
    so the list of such pages (``EVERYWHERE_ONLY``) is neither short nor long."""
    from esgledger.auth.permissions import MATRIX
    from esgledger.web.templating import NAV

    import_entities(db, entities_file(tmp_path), actor="setup")
    for role in MATRIX:
        if role == "respondent":
            continue  # answers surveys by link; has no pages behind the sign-in
        name = f"u_{role}"
        make_user(db, name, role, ("HQ",) if role == "data_owner" else ())
        log_in(web, name)
        shown = set(re.findall(r'href="(/[^"]*)"', _nav(web)))
        for path, _label, action in NAV:
            status = web.get(path).status_code
            if path in shown:
                assert status == 200, (role, path, status)
            elif action in MATRIX[role].scoped:
                assert status == 403, (role, path, status)
        web.cookies.clear()
