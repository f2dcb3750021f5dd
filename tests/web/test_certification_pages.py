"""#17 certification register page: certificates with search, filters, sort and pages, in
both languages, for KPI readers; others are refused; the registers page links it."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.registers.certifications import import_certificates
from tests.factories import ENTITY_HEADER, entities_file, write_csv
from tests.registers.certification_files import CERTIFICATES, PLANTS, certificates_file
from tests.web.conftest import log_in, make_user
from tests.web.test_languages import ZH, english_left


def _register(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    import_entities(db, write_csv(tmp_path / "p.csv", ENTITY_HEADER, PLANTS), actor="setup")
    import_certificates(db, certificates_file(tmp_path, CERTIFICATES), actor="setup")


def test_certificates_filtered_searched_sorted_and_paged(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    _register(db, tmp_path)
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/registers/certifications", params={"year": 2025, "status": "expired"})
    assert page.status_code == 200
    assert page.text.count("data-certificate=") == 2 and 'data-certificate="C3"' in page.text
    found = web.get("/registers/certifications", params={"q": "pm-1"})
    assert found.text.count("data-certificate=") == 1 and 'data-certificate="C8"' in found.text
    iso = web.get("/registers/certifications", params={"standard": "ISO 14001", "sort": "-expires"})
    assert iso.text.index('data-certificate="C4"') < iso.text.index('data-certificate="C3"')
    paged = web.get("/registers/certifications", params={"limit": 2})
    assert paged.text.count("data-certificate=") == 2
    assert "/registers/certifications" in web.get("/registers").text
    chinese = web.get(
        "/registers/certifications",
        params={"year": 2025, "status": "withdrawn"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert "认证" in chinese.text and "已撤销" in chinese.text


def test_others_are_refused(web: TestClient, db: Database, tmp_path: Path) -> None:
    _register(db, tmp_path)
    make_user(db, "olga", "data_owner", grants=("SZ1",))
    log_in(web, "olga")
    assert web.get("/registers/certifications").status_code == 403


def test_assurance_engagements_page(web: TestClient, db: Database, tmp_path: Path) -> None:
    from esgledger.registers.assurance import import_engagements
    from tests.registers.test_assurance_register import ENGAGEMENTS, engagements_file

    import_entities(db, entities_file(tmp_path), actor="setup")
    import_engagements(db, engagements_file(tmp_path, ENGAGEMENTS), actor="setup")
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/registers/assurance", params={"year": 2025})
    assert page.status_code == 200 and page.text.count("data-engagement=") == 2
    assert "ISAE 3410" in page.text and "/registers/assurance" in web.get("/registers").text
    none = web.get("/registers/assurance", params={"year": 2024})
    assert 'data-testid="no-engagements"' in none.text
    chinese = web.get("/registers/assurance", headers={"Accept-Language": "zh-CN"})
    assert "鉴证" in chinese.text and "合理保证" in chinese.text


ASSURED = [  # ref, year, provider, standard, level, metrics, entities
    ("AS23", 2023, "Sample Verifiers", "aa1000as_v3", "moderate", "ghg.scope1", ""),
    ("AS24", 2024, "Example Assurance LLP", "isae_3000", "limited", "workforce.headcount", ""),
    ("AS25", 2025, "Example Assurance LLP", "isae_3000", "reasonable", "ghg.scope1", ""),
    ("GHG25", 2025, "Carbon Checkers", "isae_3410", "limited", "ghg.scope2_market", "SZ1"),
]


def test_assurance_engagements_filtered_searched_sorted_and_paged(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    from esgledger.registers.assurance import import_engagements
    from tests.registers.test_assurance_register import engagements_file

    import_entities(db, entities_file(tmp_path), actor="setup")
    rows = [[*r, f"{r[1] + 1}-03-20", "statement.md"] for r in ASSURED]
    import_engagements(db, engagements_file(tmp_path, rows), actor="setup")
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")

    def refs(**query: object) -> list[str]:
        got = web.get("/registers/assurance", params=query)
        assert got.status_code == 200, got.text
        return re.findall(r'<tr data-engagement="([^"]*)"', got.text)

    assert refs() == ["AS25", "GHG25", "AS24", "AS23"]  # newest year first, then by ref
    assert refs(sort="provider") == ["GHG25", "AS24", "AS25", "AS23"]
    assert refs(sort="-signed") == ["AS25", "GHG25", "AS24", "AS23"]
    assert refs(standard="isae_3000") == ["AS25", "AS24"]
    assert refs(level="limited") == ["GHG25", "AS24"]
    assert refs(q="scope2") == ["GHG25"]  # an indicator in scope
    assert refs(q="example llp") == [] and refs(q="example") == ["AS25", "AS24"]
    assert refs(q="sz1") == ["GHG25"]  # an entity in scope
    assert refs(limit=1, page=3) == ["AS24"]
    paged = web.get("/registers/assurance", params={"limit": 1, "page": 2, "level": "limited"})
    assert 'rel="prev"' in paged.text and 'rel="next"' not in paged.text
    assert "2–2 of 2" in paged.text
    nothing = web.get("/registers/assurance", params={"q": "nobody"})
    assert 'data-testid="no-engagements"' in nothing.text and "match these filters" in nothing.text
    assert web.get("/registers/assurance", params={"sort": "bogus"}).status_code == 422
    assert web.get("/registers/assurance", params={"level": "total"}).status_code == 200
    chinese = web.get("/registers/assurance", params={"limit": 1}, headers=ZH)
    assert chinese.status_code == 200 and english_left(chinese.text) == []
    assert "有限保证" in chinese.text and 'value="limited"' in chinese.text
    empty = web.get("/registers/assurance", params={"q": "nobody"}, headers=ZH)
    assert english_left(empty.text) == []
    make_user(db, "olga", "data_owner", grants=("SZ1",))
    log_in(web, "olga")
    assert web.get("/registers/assurance").status_code == 403


def test_giving_page(web: TestClient, db: Database, tmp_path: Path) -> None:
    from esgledger.registers.giving import import_donations, import_volunteering
    from tests.registers.test_giving_register import (
        DONATION_HEADER,
        DONATIONS,
        VOLUNTEER_HEADER,
        VOLUNTEERING,
    )

    import_entities(db, entities_file(tmp_path), actor="setup")
    import_donations(db, write_csv(tmp_path / "d.csv", DONATION_HEADER, DONATIONS), actor="s")
    import_volunteering(
        db, write_csv(tmp_path / "v.csv", VOLUNTEER_HEADER, VOLUNTEERING), actor="s"
    )
    make_user(db, "aldo", "auditor")
    log_in(web, "aldo")
    page = web.get("/registers/giving", params={"year": 2025})
    assert page.status_code == 200 and page.text.count("data-donation=") == 3
    assert "River clean-up" in page.text and "donations in another currency" in page.text
    flood = web.get("/registers/giving", params={"programme": "Flood relief"})
    assert flood.text.count("data-donation=") == 2
    assert "/registers/giving" in web.get("/registers").text
    chinese = web.get("/registers/giving", headers={"Accept-Language": "zh-CN"})
    assert "捐赠" in chinese.text and "实物" in chinese.text
