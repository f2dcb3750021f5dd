"""#17 certification findings in `esg check`: a certificate that lapsed or was withdrawn in
the year without a renewal, one expiring within the window after the report date (90 days
by default, ``ESG_CERTIFICATE_EXPIRY_DAYS``), and a figure typed for a site whose
certificate had lapsed by the year's end."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from esgledger.checks import Finding, certificates, run_checks
from esgledger.checks.context import CheckContext
from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from esgledger.registers.certifications import import_certificates
from tests.checks.workspace import ACTOR, Workspace, kpi
from tests.conftest import Cli
from tests.registers.certification_files import certificates_file, load

# 2025's report date is 2026-04-30 (the default cut-off, 4 months after the year's end).


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def certificate_findings(ws: Workspace, year: int = 2025) -> dict[str, Finding]:
    with ws.db.read() as session:
        found = run_checks(session, year)
    return {f.dims["certificate"]: f for f in found if f.rule.startswith("certifications.")}


def test_lapsed_withdrawn_and_expiring_certificates(ws: Workspace) -> None:
    load(ws)
    found = certificate_findings(ws)
    # C9 expired in 2023, before the year; C2, C4, C6, C7, C8 run past the window
    assert sorted(found) == ["CQC C1", "CQC C3", "TUV C5"]
    lapsed, withdrawn, expiring = found["CQC C3"], found["TUV C5"], found["CQC C1"]
    assert (lapsed.rule, lapsed.severity, lapsed.entity) == (
        "certifications.expired",
        "warning",
        "HQ",
    )
    assert lapsed.metrics == ["certification.iso14001.sites"]
    assert "ISO 14001 certificate C3 (CQC) of HQ expired on 2025-06-30" in lapsed.explanation
    assert "withdrawn on 2025-09-01" in withdrawn.explanation
    assert (expiring.rule, expiring.expected, expiring.found) == (
        "certifications.expiring",
        "2026-04-30",
        "2026-04-30",
    )
    assert "expires on 2026-04-30, within 90 days of the report date 2026-04-30" in (
        expiring.explanation
    )


def test_a_renewal_clears_the_finding_and_the_window_is_a_setting(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(ws)
    renewed = [
        ["HQ", "ISO 14001", "C10", "CQC", "2025-07-01", "2028-06-30", "", "", "", ""],
        ["SZ1", "ISO 14001", "C11", "CQC", "2026-04-01", "2029-03-31", "", "", "", ""],
    ]
    import_certificates(ws.db, certificates_file(ws.tmp, renewed, "renewed.csv"), actor=ACTOR)
    assert sorted(certificate_findings(ws)) == ["TUV C5"]
    # 250 days after 2026-04-30 is 2027-01-05: C2, C6 and C8 expire on 2027-01-01
    monkeypatch.setenv("ESG_CERTIFICATE_EXPIRY_DAYS", "250")
    assert sorted(certificate_findings(ws)) == ["BV C6", "BV C8", "CQC C2", "TUV C5"]


def test_a_figure_typed_for_a_lapsed_site_is_an_error(ws: Workspace) -> None:
    load(ws)
    ws.kpis(
        kpi("certification.iso14001.sites", "1", "count", entity="HQ"),  # C3 lapsed in June
        kpi("certification.iso14001.sites", "1", "count", entity="SZ1"),  # C1 in force
    )
    with ws.db.read() as session:
        found = [f for f in run_checks(session, 2025) if f.rule == "certifications.lapsed_claim"]
    (claim,) = found
    assert (claim.severity, claim.entity, claim.expected, claim.found) == ("error", "HQ", 0, 1)
    assert "no ISO 14001 certificate in force on 2025-12-31" in claim.explanation


def test_claims_are_read_only_for_sites_holding_the_standard(ws: Workspace) -> None:
    """#18: the lapsed-claim rule reads the typed site figures of sites that hold a
    certificate of the standard, as plain columns: at 10,000 entities it loaded 40,000 KPI
    value objects, each then dropped for want of a certificate. The finding is the same."""
    load(ws)
    ws.kpis(
        kpi("certification.iso14001.sites", "1", "count", entity="HQ"),  # C3 lapsed in June
        kpi("certification.iso14001.sites", "1", "count", entity="SZ1"),  # C1 in force
        kpi("certification.iso45001.sites", "1", "count", entity="WH1"),  # holds none
    )
    loaded: list[object] = []

    def count(target: object, context: object) -> None:
        loaded.append(target)

    with ws.db.read() as session:
        found = [f for f in run_checks(session, 2025) if f.rule == "certifications.lapsed_claim"]
    event.listen(KpiValue, "load", count)
    try:
        with ws.db.read() as session:  # a fresh session: every object read is loaded anew
            alone = [
                f for f in certificates.certificate_findings(CheckContext(session, 2025))
                if f.rule == "certifications.lapsed_claim"
            ]  # fmt: skip
    finally:
        event.remove(KpiValue, "load", count)
    assert [(f.entity, f.found) for f in found] == [("HQ", 1)]
    assert [(f.entity, f.found) for f in alone] == [("HQ", 1)]
    assert loaded == []  # the rule loads no KpiValue object


def test_esg_check_lists_the_findings(cli: Cli, tmp_path: Path) -> None:
    load(Workspace(cli.db, tmp_path))
    result = cli("check", "--year", "2025")
    assert "certifications.expired" in result.output
