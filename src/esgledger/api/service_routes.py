"""The complaints, NPS and vulnerability registers over HTTP (#17), read only: complaints with
their SLA clock and breaches, NPS per segment, vulnerabilities with their severity and SLA,
and the SLAs set. Bodies are the dicts ``esg register complaints|vulns … --json`` print;
reading needs ``kpis.read`` (the rows are the figures' evidence)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.ledger.register_lines import TO_FIX, slas
from esgledger.registers import nps
from esgledger.registers.complaints import REGISTER as COMPLAINTS
from esgledger.registers.complaints import sla_table
from esgledger.registers.cvss import SEVERITIES as CVSS_SEVERITIES
from esgledger.registers.line_listing import list_complaints, list_vulnerabilities
from esgledger.registers.listing import MAX_LIMIT
from esgledger.registers.vulnerabilities import REGISTER as VULNS

router = APIRouter()
ERRORS = s.problems(401, 403, 422)
YearQuery = Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")]
EntityQuery = Annotated[str | None, Query(max_length=64, description="Only this entity.")]
StateQuery = Annotated[str | None, Query(max_length=24, description="Only this state.")]
SeverityQuery = Annotated[str | None, Query(max_length=16, description="Only this severity.")]
SearchQuery = Annotated[str | None, Query(max_length=100, description="Ref or product line.")]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")]
OffsetQuery = Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many.")]


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


@router.get(
    "/registers/complaints",
    tags=["registers"],
    summary="Customer complaints, newest first, with their state's SLA clock and breaches",
    response_model=ComplaintPage,
    responses=ERRORS,
)
def complaints(
    session: SessionDep,
    user: UserDep,
    year: YearQuery = None,
    state: StateQuery = None,
    severity: SeverityQuery = None,
    entity: EntityQuery = None,
    channel: Annotated[str | None, Query(max_length=16, description="Only this channel.")] = None,
    search: SearchQuery = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_complaints(
            session, year=year, state=state, severity=severity, entity=entity,
            channel=channel, search=search, limit=limit, offset=offset,
        )
    )  # fmt: skip


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


@router.get(
    "/registers/vulnerabilities",
    tags=["registers"],
    summary="Product-security vulnerabilities, newest first, with severity and SLA",
    response_model=VulnerabilityPage,
    responses=ERRORS,
)
def vulnerabilities(
    session: SessionDep,
    user: UserDep,
    year: YearQuery = None,
    state: StateQuery = None,
    severity: SeverityQuery = None,
    entity: EntityQuery = None,
    source: Annotated[str | None, Query(max_length=24, description="Only this source.")] = None,
    search: SearchQuery = None,
    limit: LimitQuery = 100,
    offset: OffsetQuery = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_vulnerabilities(
            session, year=year, state=state, severity=severity, entity=entity, source=source,
            search=search, limit=limit, offset=offset,
        )
    )  # fmt: skip


@router.get(
    "/registers/vulnerabilities/slas",
    tags=["registers"],
    summary="Vulnerability SLA from intake to fix per severity, in days (null: not set)",
    response_model=list[VulnerabilitySla],
    responses=ERRORS,
)
def vulnerability_slas(session: SessionDep, user: UserDep) -> Response:
    require(user, "kpis.read")
    table = slas(session, VULNS)
    return as_json(
        [
            {"severity": sev, "days": None if (h := table.get((sev, TO_FIX))) is None else h / 24}
            for sev in CVSS_SEVERITIES
        ]
    )
