"""Read-only pages over the numbers: the KPI table, emissions of a run, data-quality findings.

``/kpis`` is ``esg kpi``, ``/emissions`` is ``esg calc show`` (and ``esg calc explain`` for
one entity), ``/findings`` is ``esg check``: the same services, the same figures. A data owner
sees the values and findings of their granted entities only; emissions need the right to
read calculation runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import MATRIX, Grants, Principal, can, require
from esgledger.calc.explain import explain
from esgledger.calc.runs import get_run, list_runs
from esgledger.checks import Finding
from esgledger.checks.finding_list import DEFAULT_SORT as FINDING_DEFAULT
from esgledger.checks.finding_list import SORT_KEYS as FINDING_SORT
from esgledger.checks.finding_list import matches as finding_matches
from esgledger.errors import NotFound
from esgledger.http_shared.paging import csv_response, params_from
from esgledger.kpi.cache import cached_kpi_series
from esgledger.kpi.readout import series_readout
from esgledger.ledger.listing import page_of_list
from esgledger.web import views
from esgledger.web.deps import UserDep, database
from esgledger.web.kpi_marks import figure_notes, in_language, side_by_side
from esgledger.web.language import chosen as page_lang
from esgledger.web.listing import ListView, wants_csv
from esgledger.web.state_findings import cached_findings
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query()]
ENTITY_ROWS = 5000  # activity rows read for one entity's breakdown by activity type
FINDING_CSV = (("severity", "severity"), ("rule", "check"), ("metrics", "KPIs"),
               ("entity", "entity"), ("explanation", "finding"), ("fix", "fix"),
               ("expected", "expected"), ("found", "found"), ("unit", "unit"),
               ("acknowledged", "acknowledged by"), ("key", "key"))  # fmt: skip


def _scoped_reader(user: Principal, action: str) -> bool:
    """True when the user may read ``action`` on their granted entities only (data owner);
    raises the 403 when they may not read it at all."""
    if can(user, action):
        return False
    if action in MATRIX.get(user.role, Grants()).scoped and user.scope:
        return True
    require(user, action)
    return False  # not reached: require raised


@router.get("/kpis")
def kpis(
    request: Request,
    user: UserDep,
    year: Text = None,
    years: Text = None,
    area: Text = None,
    all: Text = None,
) -> Response:
    """Every KPI of the catalog for a year and the years before, as ``esg kpi``."""
    own = _scoped_reader(user, "kpis.read")
    span = views.query_int(years, "years", 1, 10) or 3
    with database(request).read() as session:
        chosen, offered = views.pick_year(session, year)
        context: dict[str, Any] = {"year": chosen, "years": offered, "span_n": span, "own": own}
        context["area"] = area or None
        if own:
            context["values"] = views.owner_values(session, user, chosen)
            context["names"] = views.entity_names(session)
        elif chosen is not None:
            series = series_readout(cached_kpi_series(session, chosen, years=span))
            series = in_language(series, page_lang(request))
            rows = series["kpis"]
            context["areas"] = sorted({r["area"] for r in rows})
            if area:
                rows = [r for r in rows if r["area"] == area]
            context["hidden"] = 0
            if not all:  # rows without any value are noise on screen; `?all=1` shows them
                shown = [r for r in rows if views.has_values(r)]
                context["hidden"] = len(rows) - len(shown)
                rows = shown
            context["rows"] = rows
            context["span"] = [str(y) for y in series["years"]]
            context["notes"] = figure_notes(rows, context["span"], page_lang(request))
            context["side_by_side"] = side_by_side(rows, context["span"])
            context["all"] = bool(all)
    return render(request, "insight_kpis.html", context)


@router.get("/emissions")
def emissions(
    request: Request, user: UserDep, year: Text = None, run: Text = None, entity: Text = None
) -> Response:
    """Energy and Scope 1/2/3 of one stored run: by scope, entity, gas and activity type."""
    require(user, "calculations.read")
    run_id = views.query_int(run, "run", 1, 2**62)
    with database(request).read() as session:
        stored = get_run(session, run_id) if run_id else None
        chosen, offered = views.pick_year(session, str(stored.year) if stored else year)
        context: dict[str, Any] = {"year": chosen, "years": offered, "entity": entity}
        if stored is None and chosen is not None:
            stored = views.run_of_year(session, chosen)
        context["runs"] = list_runs(session, year=chosen) if chosen else []
        lang = page_lang(request)
        context["view"] = views.emissions_view(session, stored, lang) if stored else None
        if stored and entity:
            context["breakdown"] = _entity_breakdown(session, stored.id, entity)
    return render(request, "insight_emissions.html", context)


def _entity_breakdown(session: Any, run_id: int, entity: str) -> dict[str, Any]:
    """One entity's figures of the run (100 %) by activity type, from ``esg calc explain``."""
    found = explain(session, run_id, entity=entity, limit=ENTITY_ROWS)
    if not any(f["rows"] for f in found["figures"].values()):
        raise NotFound(f"run {run_id} has no figures for entity {entity!r}")
    by_activity: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    # (activity, figure) pairs with a result row that has no CO2e: never counted as 0
    without_co2e: set[tuple[str, str]] = set()
    for row in found["rows"]:
        value = row["value"] if row["value_unit"] == "tce" else row["co2e_t"]
        if value is None:
            without_co2e.add((row["activity"], row["result"]))
            continue
        by_activity[row["activity"]][row["result"]] += value
    for activity, _result in without_co2e:
        by_activity[activity]  # the activity keeps its row even when no figure has a value
    return {
        "name": views.entity_names(session).get(entity, entity),
        "figures": found["figures"],
        "activities": {a: dict(v) for a, v in sorted(by_activity.items())},
        "without_co2e": without_co2e,
        "complete": found["rows_shown"] == sum(f["rows"] for f in found["figures"].values()),
    }


@router.get("/findings")
def findings(
    request: Request,
    user: UserDep,
    year: Text = None,
    acknowledged: Text = None,
    severity: Text = None,
) -> Response:
    """Data-quality findings of a year, as ``esg check`` (acknowledged ones on request)."""
    own = _scoped_reader(user, "kpis.read")
    params = params_from(request, tuple(FINDING_SORT), FINDING_DEFAULT)
    with database(request).read() as session:
        chosen, offered = views.pick_year(session, year)
        found = cached_findings(session, chosen) if chosen is not None else []
    if own:  # a data owner: findings about their own entities' data only
        found = [f for f in found if f.entity is not None and f.entity in user.scope]
    summary = views.findings_overview(found)
    shown = found if acknowledged else [f for f in found if f.acknowledged is None]
    if severity in ("error", "warning"):
        shown = [f for f in shown if f.severity == severity]
    if wants_csv(request.url):
        every = page_of_list(
            shown, replace(params, limit=len(shown) or 1, page=1), FINDING_SORT, finding_matches
        )
        return csv_response(
            [_finding_row(f) for f in every.rows], FINDING_CSV, f"findings-{chosen}.csv"
        )
    page = page_of_list(shown, params, FINDING_SORT, finding_matches)
    context = {
        "year": chosen,
        "years": offered,
        "summary": summary,
        "findings": page.rows,
        "listing": ListView(request.url, page),
        "acknowledged": bool(acknowledged),
        "severity": severity if severity in ("error", "warning") else None,
        "own": own,
    }
    return render(request, "insight_findings.html", context)


def _finding_row(finding: Finding) -> dict[str, Any]:
    ack = finding.acknowledged
    return {
        **finding.as_dict(),
        "metrics": " ".join(finding.metrics),
        "entity": finding.entity or "group",
        "acknowledged": f"{ack['actor']}: {ack['comment']}" if ack else "",
    }
