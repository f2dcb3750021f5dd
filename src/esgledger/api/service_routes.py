"""The complaints, NPS and vulnerability registers over HTTP (#17), read only: complaints with
their SLA clock and breaches, NPS per segment, vulnerabilities with their severity and SLA,
and the SLAs set. Bodies are the dicts ``esg register complaints|vulns … --json`` print;
reading needs ``kpis.read`` (the rows are the figures' evidence)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.api.list_routes import ERRORS, list_route, text_query
from esgledger.auth.permissions import require
from esgledger.ledger.register_lines import slas
from esgledger.registers import nps
from esgledger.registers.complaints import REGISTER as COMPLAINTS
from esgledger.registers.complaints import sla_table
from esgledger.registers.line_listing import list_complaints, list_vulnerabilities
from esgledger.registers.vulnerabilities import REGISTER as VULNS
from esgledger.registers.vulnerabilities import sla_days

router = APIRouter()
EntityQuery = Annotated[str | None, Query(max_length=64, description="Only this entity.")]
STAGED_FILTERS = {
    "state": text_query("Only this state."),
    "severity": text_query("Only this severity.", max_length=16),
}
SEARCH_HELP = "Ref or product line."


class Complaint(s.Out):
    ref: str
    entity: str
    channel: str
    product_line: str
    severity: str
    accepted_at: str
    closed_at: str | None = None
    state: str
    clock: s.SlaClock
    breaches: list[str]
    version: int


class ComplaintPage(s.Out):
    total: int
    rows: list[Complaint]


class ComplaintSla(s.Out):
    severity: str
    state: str
    hours: float | None = None


class NpsSegment(s.Out):
    segment: str
    answers: int
    promoters: int
    passives: int
    detractors: int
    nps: float | None = None
    note: str


class Vulnerability(s.Out):
    ref: str
    entity: str
    product_line: str
    source: str
    cvss_score: float
    severity: str
    cve_id: str | None = None
    intake_at: str
    fixed_at: str | None = None
    state: str
    fix_due: str | None = None
    sla_met: bool | None = None
    version: int


class VulnerabilityPage(s.Out):
    total: int
    rows: list[Vulnerability]


class VulnerabilitySla(s.Out):
    severity: str
    days: float | None = None


list_route(
    router,
    "/registers/complaints",
    name="complaints",
    summary="Customer complaints, newest first, with their state's SLA clock and breaches",
    response_model=ComplaintPage,
    lister=list_complaints,
    filters={**STAGED_FILTERS, "channel": text_query("Only this channel.", max_length=16)},
    search_help=SEARCH_HELP,
)


@router.get(
    "/registers/complaints/slas",
    tags=["registers"],
    summary="Complaint SLA hours per severity and state (null: not set)",
    response_model=list[ComplaintSla],
    responses=ERRORS,
)
def complaint_slas(session: SessionDep, user: UserDep) -> Response:
    require(user, "kpis.read")
    return as_json(sla_table(slas(session, COMPLAINTS)))


@router.get(
    "/registers/nps",
    tags=["registers"],
    summary="Net Promoter Score per segment and over all answers of a year",
    response_model=list[NpsSegment],
    responses=ERRORS,
)
def nps_segments(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int, Query(ge=1900, le=2100, description="The survey year.")],
    entity: EntityQuery = None,
) -> Response:
    require(user, "kpis.read")
    return as_json(nps.by_segment(session, year, entity=entity))


list_route(
    router,
    "/registers/vulnerabilities",
    name="vulnerabilities",
    summary="Product-security vulnerabilities, newest first, with severity and SLA",
    response_model=VulnerabilityPage,
    lister=list_vulnerabilities,
    filters={**STAGED_FILTERS, "source": text_query("Only this source.")},
    search_help=SEARCH_HELP,
)


@router.get(
    "/registers/vulnerabilities/slas",
    tags=["registers"],
    summary="Vulnerability SLA from intake to fix per severity, in days (null: not set)",
    response_model=list[VulnerabilitySla],
    responses=ERRORS,
)
def vulnerability_slas(session: SessionDep, user: UserDep) -> Response:
    require(user, "kpis.read")
    return as_json(sla_days(slas(session, VULNS)))
