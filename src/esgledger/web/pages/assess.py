"""Read-only pages of the assessments: materiality matrices, the risk register, targets.

The same services as ``esg materiality show``, ``esg risk list`` and ``esg targets
progress``; the matrix is the report's own SVG chart. A manager may start an assessment
here (the shipped topic library and stakeholder groups); running it stays with the CLI
(and the survey pages for respondents), and until it has answers the page shows a checklist
of what is done and what comes next, never a bare error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from esgledger.assess.materiality import assessment_dict, create_assessment, list_assessments
from esgledger.assess.risk import list_risks
from esgledger.assess.targets import list_targets, progress, target_dict
from esgledger.auth.permissions import require
from esgledger.catalog import metrics
from esgledger.errors import InvalidInput, NotFound
from esgledger.kpi.cache import cached_kpi_tables
from esgledger.ledger.assess_models import MaterialityAssessment
from esgledger.web import views
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.language import chosen as page_lang
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query()]


@router.get("/materiality")
def materiality(request: Request, user: UserDep, id: Text = None) -> Response:
    """Every assessment, and one (the asked one, else the newest) with topics and matrix."""
    require(user, "assessments.read")
    wanted = views.query_int(id, "id", 1, 2**62)
    with database(request).read() as session:
        stored = list_assessments(session)
        rows = [assessment_dict(session, a) for a in stored]
        chosen = views.with_matrix(session, stored)
        if wanted is not None:
            chosen = session.get(MaterialityAssessment, wanted)
            if chosen is None:
                raise NotFound(f"no materiality assessment {wanted}; the list shows them")
        shown = views.materiality_view(session, chosen, page_lang(request)) if chosen else None
    if shown and shown["topics"]:
        shown["ranked"] = sorted(
            enumerate(shown["topics"], start=1),
            key=lambda nt: (not nt[1]["material"], nt[0]),
        )
    context = {"assessments": rows, "shown": shown, "next_year": _next_year(rows)}
    return render(request, "assess_materiality.html", context)


def _next_year(rows: list[dict[str, Any]]) -> int:
    """The year a new assessment is for: after the newest one, else last calendar year."""
    return max((r["year"] for r in rows), default=dt.date.today().year - 2) + 1


@router.post("/materiality/start")
def materiality_start(request: Request, user: UserDep, form: FormDep) -> Response:
    """A new assessment with the shipped topic library and the default stakeholder groups."""
    require(user, "assessments.write")
    year = views.query_int(str(form.get("year") or ""), "year", 1900, 2100)
    if year is None:
        raise InvalidInput("give the year the assessment is for")
    with database(request).write() as session:
        a = create_assessment(session, year=year, actor=user.username)
        ident = a.id
    return RedirectResponse(f"/materiality?id={ident}", status_code=303)


@router.get("/risks")
def risks(request: Request, user: UserDep, closed: Text = None) -> Response:
    """The enterprise risk register, highest score first (closed risks on request)."""
    require(user, "assessments.read")
    with database(request).read() as session:
        rows = list_risks(session, include_closed=bool(closed))
    rows.sort(key=lambda r: (-r["score"], r["code"]))
    return render(request, "assess_risks.html", {"risks": rows, "closed": bool(closed)})


@router.get("/targets")
def targets(request: Request, user: UserDep, year: Text = None) -> Response:
    """Targets with the year's actual, pathway and status."""
    require(user, "assessments.read")
    catalog = metrics()
    with database(request).read() as session:
        chosen, offered = views.pick_year(session, year)
        stored = [target_dict(t) for t in list_targets(session)]
        lines: dict[str, dict[str, Any]] = {}
        if chosen is not None and stored:
            tables = cached_kpi_tables(session, chosen)  # the dashboard's, usually kept
            found = progress(session, years=[chosen], tables=tables)
            lines = {line["target"]: line for line in found}
    for t in stored:
        metric = catalog.get(t["metric"])
        t["name"] = metric.name if metric else t["metric"]
        t["precision"] = metric.precision if metric else 2
        t["progress"] = lines.get(t["code"])
    context = {"targets": stored, "year": chosen, "years": offered}
    return render(request, "assess_targets.html", context)
