"""The certificate and supplier corrective-action rules on register records in memory (#20):
the records as the read layer returns them (model objects no session holds), no database.
The registers end to end keep their database tests (``tests/registers``, ``tests/suppliers``)."""

from __future__ import annotations

import datetime as dt

from esgledger.checks.certificates import certificate_findings
from esgledger.checks.context import CheckContext
from esgledger.checks.findings import Finding
from esgledger.checks.plain_inputs import CheckInputs
from esgledger.checks.supplier_actions import overdue_actions
from esgledger.ledger.regcert_models import SITE_KINDS, Certificate
from esgledger.ledger.supplier_models import SupplierFinding
from tests.checks.plain import typed
from tests.factories import ENTITIES

SITES = frozenset(e[0] for e in ENTITIES if e[5] in SITE_KINDS)  # HQ (a park) and SZ1
D = dt.date.fromisoformat


def cert(
    ident: int, entity: str, number: str, body: str, issued: str, expires: str, **extra: str
) -> Certificate:
    """A certificate as the register stores it (a model object no session holds)."""
    withdrawn = extra.pop("withdrawn", None)
    return Certificate(
        id=ident,
        entity_id=entity,
        standard=extra.pop("standard", "ISO 14001"),
        number=number,
        body=body,
        product_model=extra.pop("product_model", ""),
        issued_on=D(issued),
        expires_on=D(expires),
        withdrawn_on=D(withdrawn) if withdrawn else None,
    )


REGISTER = [
    cert(1, "SZ1", "C1", "CQC", "2023-05-01", "2026-04-30"),  # expires on the report date
    cert(2, "WH1", "C2", "CQC", "2024-01-02", "2027-01-01"),  # past the 90-day window
    cert(3, "HQ", "C3", "CQC", "2022-07-01", "2025-06-30"),  # lapsed in the year
    cert(
        5,
        "WH1",
        "C5",
        "TUV",
        "2024-03-01",
        "2027-02-28",
        withdrawn="2025-09-01",
        standard="ISO 45001",
    ),
    cert(9, "VN1", "C9", "BV", "2020-01-01", "2023-12-31"),  # lapsed before the year
]


def findings(register: list[Certificate]) -> dict[str, Finding]:
    inputs = CheckInputs(2025, certificate_rows=register, site_ids=SITES)
    return {f.dims["certificate"]: f for f in certificate_findings(CheckContext(inputs, 2025))}


def test_lapsed_withdrawn_and_expiring_certificates() -> None:
    # 2025's report date is 2026-04-30 (the default cut-off, 4 months after the year's end)
    found = findings(REGISTER)
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
    # a renewal in force on the report date clears the lapse
    renewal = cert(10, "HQ", "C10", "CQC", "2025-07-01", "2028-06-30")
    assert sorted(findings([*REGISTER, renewal])) == ["CQC C1", "TUV C5"]


def test_a_figure_typed_for_a_lapsed_site_is_an_error() -> None:
    hq = typed("certification.iso14001.sites", "1", "count", entity="HQ")  # C3 lapsed in June
    sz1 = typed("certification.iso14001.sites", "1", "count", entity="SZ1")  # C1 in force
    found = certificate_findings(
        CheckContext(
            CheckInputs(2025, rows=[hq, sz1], certificate_rows=REGISTER, site_ids=SITES), 2025
        )
    )
    (error,) = [f for f in found if f.rule == "certifications.lapsed_claim"]
    assert (error.severity, error.entity, error.metrics) == (
        "error",
        "HQ",
        ["certification.iso14001.sites"],
    )
    assert (error.expected, error.found) == (0, 1.0)
    assert "no ISO 14001 certificate in force on 2025-12-31" in error.explanation
    assert "(the last, C3, ran to 2025-06-30)" in error.explanation
    # a value of 0, or one for an entity that is not a site, claims nothing
    nothing = typed("certification.iso14001.sites", "0", "count", entity="HQ")
    for rows, sites in (([nothing], SITES), ([hq], frozenset({"SZ1"}))):
        given = CheckInputs(2025, rows=rows, certificate_rows=REGISTER, site_ids=sites)
        found = certificate_findings(CheckContext(given, 2025))
        assert [f for f in found if f.rule == error.rule] == []


def finding(ident: int, grade: str, state: str, **days: str) -> SupplierFinding:
    return SupplierFinding(
        id=ident,
        audit_id=7,
        grade=grade,
        family="social",
        text="",
        state=state,
        plan_due=D(days["plan_due"]) if "plan_due" in days else None,
        planned_completion=D(days["done_by"]) if "done_by" in days else None,
    )


def test_overdue_corrective_actions_of_the_year_s_audits() -> None:
    audited = [
        (finding(1, "Priority", "open", plan_due="2025-03-08"), "S001"),
        (finding(2, "Major", "plan_approved", plan_due="2025-03-15", done_by="2025-04-30"), "S001"),
        (finding(3, "Minor", "open", plan_due="2025-05-20"), "S002"),
        (finding(4, "Major", "verified_closed", plan_due="2025-03-15"), "S002"),
    ]
    inputs = CheckInputs(2025, findings_by_year={2025: audited})
    ctx = CheckContext(inputs, 2025)
    found = overdue_actions(ctx, today=D("2025-05-02"))
    assert [f.dims["supplier_finding"] for f in found] == ["1", "2"]
    plan, correction = found
    assert (plan.rule, plan.severity, plan.expected, plan.found) == (
        "suppliers.action_overdue",
        "error",
        "2025-03-08",
        "open",
    )
    assert plan.details == {"supplier": "S001", "audit": 7, "grade": "Priority"}
    assert "corrective-action plan for Priority finding 1 of supplier S001 (audit 7)" in (
        plan.explanation
    )
    assert (correction.severity, correction.expected) == ("warning", "2025-04-30")
    assert "verified correction" in correction.explanation
    assert overdue_actions(ctx, today=D("2025-03-08")) == []  # nothing due before that day
    assert overdue_actions(CheckContext(inputs, 2024), today=D("2025-05-02")) == []
