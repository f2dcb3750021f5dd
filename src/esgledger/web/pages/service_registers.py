"""Pages: the complaints register (with the year's NPS per segment and the SLAs set) and the
product-security vulnerability register — search, filters, sort and pages, for KPI readers
(the rows behind the complaint, NPS and vulnerability figures)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.http_shared.paging import params_from
from esgledger.ledger.register_lines import TO_FIX, slas
from esgledger.registers import nps
from esgledger.registers.complaints import LINE as COMPLAINT_LINE
from esgledger.registers.complaints import REGISTER, sla_table
from esgledger.registers.complaints_import import CHANNELS, SEVERITIES
from esgledger.registers.cvss import SEVERITIES as CVSS_SEVERITIES
from esgledger.registers.line_listing import (
    COMPLAINT_SORTS,
    VULNERABILITY_SORTS,
    page_complaints,
    page_vulnerabilities,
)
from esgledger.registers.vulnerabilities import LINE as VULN_LINE
from esgledger.registers.vulnerabilities import REGISTER as VULNS
from esgledger.registers.vulnerabilities_import import SOURCES
from esgledger.web.deps import UserDep, database
from esgledger.web.listing import ListView
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=64)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]
PAGE_SIZE = 50


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


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
    params = params_from(request, tuple(COMPLAINT_SORTS), "-accepted", default_limit=PAGE_SIZE)
    filters = {"year": year, "state": _clean(state), "severity": _clean(severity),
               "channel": _clean(channel), "entity": _clean(entity)}  # fmt: skip
    with database(request).read() as session:
        page = page_complaints(session, params, **filters)
        segments = nps.by_segment(session, year) if year else []
        table = sla_table(slas(session, REGISTER))
    context = {
        "rows": page.rows,
        "listing": ListView(request.url, page),
        "filters": filters,
        "filtered": any(filters.values()) or bool(params.search),
        "states": COMPLAINT_LINE.states,
        "severities": SEVERITIES,
        "channels": CHANNELS,
        "segments": segments,
        "slas": table,
    }
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
    params = params_from(request, tuple(VULNERABILITY_SORTS), "-intake", default_limit=PAGE_SIZE)
    filters = {"year": year, "state": _clean(state), "severity": _clean(severity),
               "source": _clean(source), "entity": _clean(entity)}  # fmt: skip
    with database(request).read() as session:
        page = page_vulnerabilities(session, params, **filters)
        table = slas(session, VULNS)
    days = {s: (None if (h := table.get((s, TO_FIX))) is None else h / 24) for s in CVSS_SEVERITIES}
    context = {
        "rows": page.rows,
        "listing": ListView(request.url, page),
        "filters": filters,
        "filtered": any(filters.values()) or bool(params.search),
        "states": VULN_LINE.states,
        "severities": CVSS_SEVERITIES,
        "sources": SOURCES,
        "days": days,
    }
    return render(request, "registers_vulnerabilities.html", context)
