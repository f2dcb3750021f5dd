"""Pages: the complaints register (with the year's NPS per segment and the SLAs set) and the
product-security vulnerability register — search, filters, sort and pages, for KPI readers
(the rows behind the complaint, NPS and vulnerability figures); ``format=csv`` exports every
row under the filters and search."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.listing import ListParams, Page
from esgledger.ledger.register_lines import slas
from esgledger.registers import nps
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.complaints import sla_table
from esgledger.registers.complaints_import import CHANNELS, SEVERITIES
from esgledger.registers.cvss import SEVERITIES as CVSS_SEVERITIES
from esgledger.registers.staged import StagedRegister, page_rows
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES
from esgledger.registers.vulnerabilities import sla_days
from esgledger.registers.vulnerabilities_import import SOURCES
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView, csv_export, wants_csv
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
PAGE_SIZE = 50


def _later_stages(reg: StagedRegister) -> list[tuple[str, str]]:
    """The export's (key, heading) of the time each stage after the first was entered,
    headed with the stage's name (``assigned``, ``triage``…), in the line's order; the first
    (received) is one of the leading columns."""
    return [(column, state) for state, column in reg.line.stages[1:]]


COMPLAINT_COLUMNS = [
    ("ref", "ref"), ("entity", "entity"), ("accepted_at", "accepted"), ("channel", "channel"),
    ("product_line", "product_line"), ("severity", "severity"), ("state", "state"),
    ("clock_due", "due"), ("clock_overdue", "overdue"), ("breaches", "sla_breaches"),
    *_later_stages(COMPLAINTS),
]  # fmt: skip
VULNERABILITY_COLUMNS = [
    ("ref", "ref"), ("entity", "entity"), ("intake_at", "intake"),
    ("product_line", "product_line"), ("source", "source"), ("cvss_score", "cvss_score"),
    ("severity", "severity"), ("cve_id", "cve_id"), ("state", "state"),
    ("fix_due", "fix_due"), ("sla_met", "sla_met"),
    *_later_stages(VULNERABILITIES),
]  # fmt: skip


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _fetch(
    reg: StagedRegister, filters: dict[str, Any], session: Session, params: ListParams
) -> Page[dict[str, Any]]:
    return page_rows(session, reg, params, exported=True, **filters)


def _export(
    request: Request,
    reg: StagedRegister,
    sort: str,
    filters: dict[str, Any],
    columns: list[tuple[str, str]],
) -> Response:
    """The page's CSV link: every row under its filters and search, in its order."""
    params = params_from(request, tuple(reg.sorts), sort, default_limit=PAGE_SIZE)
    fetch = partial(_fetch, reg, filters)
    return csv_export(database(request), params, fetch, columns, f"{reg.register}.csv")


def _listed(
    request: Request, session: Session, reg: StagedRegister, sort: str, filters: dict[str, Any]
) -> dict[str, Any]:
    """The page's rows, pager and filter form of a staged register."""
    params = params_from(request, tuple(reg.sorts), sort, default_limit=PAGE_SIZE)
    page = page_rows(session, reg, params, **filters)
    return {
        "rows": page.rows,
        "listing": ListView(request.url, page),
        "filters": filters,
        "filtered": any(filters.values()) or bool(params.search),
        "states": reg.line.states,
    }


@router.get("/registers/complaints")
def complaints(
    request: Request,
    user: UserDep,
    year: Year = None,
    state: Text = None,
    severity: Text = None,
    channel: Text = None,
    entity: Text = None,
) -> Response:
    require(user, "kpis.read")
    filters = {"year": year, "state": _clean(state), "severity": _clean(severity),
               "channel": _clean(channel), "entity": _clean(entity)}  # fmt: skip
    if wants_csv(request.url):
        return _export(request, COMPLAINTS, "-accepted", filters, COMPLAINT_COLUMNS)
    with database(request).read() as session:
        context = _listed(request, session, COMPLAINTS, "-accepted", filters)
        context["segments"] = nps.by_segment(session, year) if year else []
        context["slas"] = sla_table(slas(session, COMPLAINTS.register))
    context |= {"severities": SEVERITIES, "channels": CHANNELS}
    return render(request, "registers_complaints.html", context)


@router.get("/registers/vulnerabilities")
def vulnerabilities(
    request: Request,
    user: UserDep,
    year: Year = None,
    state: Text = None,
    severity: Text = None,
    source: Text = None,
    entity: Text = None,
) -> Response:
    require(user, "kpis.read")
    filters = {"year": year, "state": _clean(state), "severity": _clean(severity),
               "source": _clean(source), "entity": _clean(entity)}  # fmt: skip
    if wants_csv(request.url):
        return _export(request, VULNERABILITIES, "-intake", filters, VULNERABILITY_COLUMNS)
    with database(request).read() as session:
        context = _listed(request, session, VULNERABILITIES, "-intake", filters)
        context["days"] = sla_days(slas(session, VULNERABILITIES.register))
    context |= {"severities": CVSS_SEVERITIES, "sources": SOURCES}
    return render(request, "registers_vulnerabilities.html", context)
