"""#17 certification register: imports refuse bad files whole naming row and column, a
certificate is restated by a later file, site figures counted by hand with lineage to the
certificates, listing filters, digests that cover the rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from esgledger.errors import ImportRejected
from esgledger.kpi.explain import explain_figure
from esgledger.kpi.series import kpi_series
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.regcert_models import Certificate
from esgledger.registers.certification_listing import list_certificates
from esgledger.registers.certifications import import_certificates
from tests.checks.workspace import ACTOR, Workspace
from tests.registers.certification_files import (
    CERTIFICATES,
    add_plants,
    certificates_file,
    load,
)


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def counts(ws: Workspace) -> tuple[int, int]:
    with ws.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Certificate)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def figures(ws: Workspace, year: int = 2025) -> dict[str, dict[str, Any]]:
    with ws.db.read() as session:
        series = kpi_series(session, year, years=1)
    return {k["metric"]: k["figures"][str(year)] for k in series["kpis"] if not k["dims"]}


def test_a_bad_file_is_refused_whole_naming_row_and_column(ws: Workspace) -> None:
    add_plants(ws)
    before = counts(ws)
    path = certificates_file(
        ws.tmp,
        [
            CERTIFICATES[0],
            ["XX9", "", "C2", "", "2024-13-01", "2023-01-01", "", "", "someday", "2024-02-30"],
            ["SZ1", "ISO 9001", "C3", "CQC", "2024-01-01", "2023-12-31", "", "", "", ""],
            [
                "SZ1",
                "ISO 9001",
                "C4",
                "CQC",
                "2024-01-01",
                "2026-12-31",
                "",
                "",
                "2027-01-05",
                "2023-05-01",
            ],
            CERTIFICATES[0],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_certificates(ws.db, path, actor=ACTOR)
    text = str(caught.value)
    for expected in (
        "row 3, column 'entity': unknown entity 'XX9'",
        "row 3, column 'standard': standard is empty",
        "row 3, column 'body': body is empty",
        "row 3, column 'issued_on': '2024-13-01' is not a date",
        "row 3, column 'withdrawn_on': 'someday' is not a date",
        "row 3, column 'surveillance': '2024-02-30' is not a date",
        "row 4, column 'expires_on': expires on 2023-12-31 but was issued on 2024-01-01",
        "row 5, column 'withdrawn_on': withdrawn on 2027-01-05, outside its validity",
        "row 5, column 'surveillance': a surveillance audit falls outside the certificate's validity",
        "row 6, column 'number': duplicate of row 2",
    ):
        assert expected in text, text
    assert counts(ws) == before  # nothing written, no audit event


def test_site_figures_match_hand_counts(ws: Workspace) -> None:
    load(ws)
    got = figures(ws)
    value = {metric: f["value"] for metric, f in got.items()}
    # sites (kind site or park): HQ, SZ1, WP1, VP1
    assert value["certification.sites"] == 4
    assert value["certification.iso14001.sites"] == 2  # SZ1 (C1), WP1 (C4); HQ's C3 lapsed
    assert value["certification.iso45001.sites"] == 1  # SZ1 (C2); HQ's C9 expired in 2023
    assert value["certification.iso50001.sites"] == 0  # WP1's C5 withdrawn in September
    assert value["certification.iso9001.sites"] == 1  # VP1; WH1's C8 is a product's
    assert value["certification.iso14001.site_share"] == pytest.approx(50.0)
    assert value["certification.iso50001.site_share"] == pytest.approx(0.0)
    certified = got["certification.iso14001.sites"]
    assert certified["source"] == "register" and not certified["partial"]
    assert certified["inputs"] == [
        {"register": "certificates", "rows": 2, "entities": 7}
    ]  # every entity: 1 or 0
    # 2024: HQ's C3 and C5 were in force, C4 not yet issued
    assert figures(ws, 2024)["certification.iso14001.sites"]["value"] == 2
    assert figures(ws, 2024)["certification.iso50001.sites"]["value"] == 1


def test_without_certificates_there_is_no_figure_never_zero(ws: Workspace) -> None:
    add_plants(ws)
    got = figures(ws)
    for metric in ("certification.iso14001.sites", "certification.iso14001.site_share"):
        assert got[metric]["value"] is None and got[metric]["source"] != "register"


def test_lineage_names_the_certificates(ws: Workspace) -> None:
    load(ws)
    with ws.db.read() as session:
        ids = dict(session.execute(select(Certificate.number, Certificate.id)).all())
        found = explain_figure(session, "certification.iso14001.sites", 2025)
    rows = {r["entity"]: r["rows"] for r in found["register_rows"] if r["rows"]}
    assert rows == {"SZ1": [ids["C1"]], "WP1": [ids["C4"]]}


def test_a_restated_certificate_is_withdrawn_and_the_digests_follow(ws: Workspace) -> None:
    load(ws)
    withdrawn = [*CERTIFICATES[0][:8], "2025-11-30", ""]
    done = import_certificates(
        ws.db, certificates_file(ws.tmp, [withdrawn], "withdrawn.csv"), actor=ACTOR
    )
    assert (done.added, done.replaced) == (0, 1)
    assert figures(ws)["certification.iso14001.sites"]["value"] == 1
    with ws.db.read() as session:
        assert verify_data(session).ok, verify_data(session).problems
    with ws.db.write() as session:  # an edit behind the writer's back
        session.scalars(select(Certificate).where(Certificate.number == "C2")).one().body = "X"
    with ws.db.read() as session:
        result = verify_data(session)
    assert not result.ok
    assert any("certificates differs from the digest" in p for p in result.problems)


def test_listing_filters_searches_and_pages(ws: Workspace) -> None:
    load(ws)
    with ws.db.read() as session:
        valid = list_certificates(session, year=2025, status="valid", limit=2)
        lapsed = list_certificates(session, year=2025, status="expired")
        withdrawn = list_certificates(session, year=2025, status="withdrawn")
        iso14001 = list_certificates(session, standard="iso 14001")
        found = list_certificates(session, search="pm-1")
    assert valid["total"] == 6 and len(valid["rows"]) == 2  # C1, C2, C4, C6, C7, C8
    assert sorted(r["number"] for r in lapsed["rows"]) == ["C3", "C9"]
    assert [r["number"] for r in withdrawn["rows"]] == ["C5"]
    assert sorted(r["number"] for r in iso14001["rows"]) == ["C1", "C3", "C4"]
    assert [(r["number"], r["standard"]) for r in found["rows"]] == [("C8", "ISO 9001")]
    with ws.db.read() as session:
        group = list_certificates(session, year=2025, entity="GRP")["rows"]
        vp1 = list_certificates(session, year=2025, entity="VP1")["rows"]
    assert [(r["standard"], r["status"]) for r in group] == [("ISO 27001", "valid")]
    assert vp1[0]["surveillance"] == ["2025-01-10"] and vp1[0]["product_model"] is None
