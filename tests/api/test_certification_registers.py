"""#17 certification register over HTTP: certificates filtered by status, standard and
search, paged, behind ``kpis.read``."""

from __future__ import annotations

from pathlib import Path

from esgledger.ledger.entities import import_entities
from esgledger.registers.certifications import import_certificates
from tests.api.conftest import Api, problem
from tests.factories import ENTITY_HEADER, write_csv
from tests.registers.certification_files import CERTIFICATES, PLANTS, certificates_file


def test_certificates_with_filters(api: Api, tmp_path: Path) -> None:
    import_entities(api.db, write_csv(tmp_path / "e.csv", ENTITY_HEADER, PLANTS), actor="t")
    import_certificates(api.db, certificates_file(tmp_path, CERTIFICATES), actor="t")
    page = api.ok(
        "aldo",
        "GET",
        "/registers/certifications",
        params={"year": 2025, "status": "valid", "limit": 2, "offset": 1},
    )
    assert page["total"] == 6 and len(page["rows"]) == 2
    lapsed = api.ok(
        "mia", "GET", "/registers/certifications", params={"year": 2025, "status": "withdrawn"}
    )
    assert [(r["number"], r["withdrawn_on"]) for r in lapsed["rows"]] == [("C5", "2025-09-01")]
    found = api.ok("mia", "GET", "/registers/certifications", params={"standard": "iso 9001"})
    assert sorted(r["number"] for r in found["rows"]) == ["C6", "C8"]
    problem(api.call("olga", "GET", "/registers/certifications"), 403)  # scoped data owner
    problem(api.call(None, "GET", "/registers/certifications"), 401)
    problem(api.call("mia", "GET", "/registers/certifications", params={"status": "lost"}), 422)


def test_engagements_for_kpi_readers(api: Api, tmp_path: Path) -> None:
    from esgledger.registers.assurance import import_engagements
    from tests.registers.test_assurance_register import ENGAGEMENTS, engagements_file

    import_engagements(api.db, engagements_file(tmp_path, ENGAGEMENTS), actor="t")
    rows = api.ok("aldo", "GET", "/registers/assurance", params={"year": 2025})
    assert [(r["ref"], r["level"]) for r in rows] == [("AS25", "limited"), ("GHG25", "reasonable")]
    problem(api.call("olga", "GET", "/registers/assurance"), 403)


def test_donations_for_kpi_readers(api: Api, tmp_path: Path) -> None:
    from esgledger.registers.giving import import_donations
    from tests.registers.test_giving_register import DONATION_HEADER, DONATIONS

    import_donations(api.db, write_csv(tmp_path / "d.csv", DONATION_HEADER, DONATIONS), actor="t")
    page = api.ok("aldo", "GET", "/registers/giving/donations", params={"year": 2025, "limit": 2})
    assert page["total"] == 3 and len(page["rows"]) == 2
    assert page["rows"][0] == {
        "ref": "D2",
        "entity": "WH1",
        "date": "2025-07-01",
        "programme": "Rural schools",
        "recipient_type": "education",
        "form": "in_kind",
        "amount": 300000.0,
        "currency": "CNY",
    }
    problem(api.call("olga", "GET", "/registers/giving/donations"), 403)
