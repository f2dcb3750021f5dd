"""Read endpoints for the ledger's records: each checks ``<kind>.read`` for the principal.

Bodies are the same dicts the CLI's ``--json`` prints, built by the same services.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy import ColumnElement

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.api.replay import replayable
from esgledger.api.state_bodies import ItemBytes, answer, state_listed
from esgledger.auth.permissions import require
from esgledger.calc.resolution_notes import resolution_notes
from esgledger.calc.runs import get_run, list_runs, run_summary, stored_unresolved
from esgledger.catalog import metrics
from esgledger.checks import run_checks
from esgledger.checks.finding_list import DEFAULT_SORT as FINDING_DEFAULT
from esgledger.checks.finding_list import SORT_KEYS as FINDING_SORT
from esgledger.checks.finding_list import matches as finding_matches
from esgledger.http_shared.paging import list_query, with_page_headers
from esgledger.kpi.cache import cached_kpi_series
from esgledger.kpi.readout import Readouts, series_readout
from esgledger.ledger import activity_pages
from esgledger.ledger.activity_pages import activity_page
from esgledger.ledger.boundaries import boundary_dict, get_boundary, list_boundaries
from esgledger.ledger.entities import entity_dict, list_entities
from esgledger.ledger.listing import ListParams, page_of_list
from esgledger.ledger.scope3_screening import screening_of
from esgledger.ledger.state import ledger_state
from esgledger.ledger.state_cache import StateCache

router = APIRouter()

Year = Annotated[int | None, Query(ge=1900, le=2100, description="Only this reporting year.")]
BoundaryCode = Annotated[
    str | None, Query(description="Use this boundary for the year's figures (as `esg kpi`).")
]
ERRORS = s.problems(401, 403, 404, 422)
PAGED = "One page (`limit`, `page`); `Link` (RFC 8288) and `X-Total-Count` headers page on."
ACTIVITY_SORT: dict[str, ColumnElement[Any]] = activity_pages.SORT
_readouts: StateCache[Readouts] = StateCache(16)  # per KPI question: the last rows read out
_row_bytes: StateCache[ItemBytes] = StateCache(16)  # … and their JSON
# Each year side by side is a whole year's table to read and compute (its register figures,
# boundaries and runs): one request may ask this many at most (#14: 19 took over 10 s under load).
MAX_KPI_YEARS = 10
RUN_LIST_KEYS = ("run_id", "year", "boundary", "profile", "created_at", "input_digest", "totals")


@router.get(
    "/me",
    tags=["users"],
    summary="The signed-in user: name, role and granted entities",
    response_model=s.MeOut,
    responses=s.problems(401, 403, 422),
)
def me(user: UserDep) -> Response:
    # Needs no right beyond a valid token: every client may ask who it is signed in as.
    return as_json({"username": user.username, "role": user.role, "scope": sorted(user.scope)})


@router.get(
    "/entities",
    tags=["organisation"],
    summary="The entity tree, as imported",
    response_model=list[s.EntityOut],
    responses=ERRORS,
)
def entities(session: SessionDep, user: UserDep) -> Response:
    require(user, "entities.read")
    return as_json([entity_dict(e) for e in list_entities(session)])


@router.get(
    "/boundaries",
    tags=["organisation"],
    summary="Reporting boundaries",
    response_model=list[s.BoundaryOut],
    responses=ERRORS,
)
def boundaries(session: SessionDep, user: UserDep, year: Year = None) -> Response:
    require(user, "boundaries.read")
    return as_json([boundary_dict(session, b) for b in list_boundaries(session, year=year)])


@router.get(
    "/boundaries/{code}",
    tags=["organisation"],
    summary="One boundary with members",
    response_model=s.BoundaryOut,
    responses=ERRORS,
)
def boundary(code: str, session: SessionDep, user: UserDep) -> Response:
    require(user, "boundaries.read")
    return as_json(boundary_dict(session, get_boundary(session, code), with_members=True))


@router.get(
    "/metrics",
    tags=["catalog"],
    summary="The metric catalog",
    response_model=list[s.MetricOut],
    responses=ERRORS,
)
def metric_list(
    user: UserDep,
    area: Annotated[str | None, Query(description="Only this area, e.g. energy.")] = None,
) -> Response:
    # The catalog is shipped reference data, read under the same right as factor editions.
    require(user, "factors.read")
    return as_json([m.as_dict() for m in metrics().values() if area is None or m.area == area])


@router.get(
    "/activities",
    tags=["data"],
    summary="Stored activity records, one page at a time",
    description=PAGED,
    response_model=list[s.ActivityOut],
    responses=ERRORS,
)
def activities(
    request: Request,
    session: SessionDep,
    user: UserDep,
    params: Annotated[ListParams, Depends(list_query(tuple(ACTIVITY_SORT), "id"))],
    entity: Annotated[str | None, Query(description="Only this entity.")] = None,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Only periods starting in this year.")
    ] = None,
    activity: Annotated[str | None, Query(description="Only this activity type.")] = None,
) -> Response:
    require(user, "activities.read", entity=entity)
    found = activity_page(
        session, params, ACTIVITY_SORT, entity=entity, year=year, activity=activity
    )
    return with_page_headers(as_json(found.rows), request.url, found)


@router.get(
    "/kpis",
    tags=["kpis"],
    summary="Every KPI for a year and the years before",
    description="The answer carries a strong `ETag` that changes whenever the ledger does; "
    "send it back in `If-None-Match` to get `304 Not Modified` without a body while the "
    "figures are unchanged.",
    response_model=s.KpiSeries,
    responses={**ERRORS, 304: {"description": "Unchanged since the `ETag` sent."}},
)
def kpis(
    request: Request,
    session: SessionDep,
    user: UserDep,
    year: Annotated[int, Query(ge=1900, le=2100, description="Reporting year (the last column).")],
    years: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_KPI_YEARS,
            description=f"How many years side by side (at most {MAX_KPI_YEARS}).",
        ),
    ] = 3,
    boundary: BoundaryCode = None,
    area: Annotated[str | None, Query(description="Only this area, e.g. energy.")] = None,
) -> Response:
    require(user, "kpis.read")

    question = (year, years, boundary, area)

    def build() -> tuple[dict[str, Any], str]:
        series = cached_kpi_series(session, year, years=years, boundary=boundary)
        if area:
            series["kpis"] = [k for k in series["kpis"] if k["area"] == area]
        # the rows a write left alone keep their readout and their JSON from the last body
        return series_readout(series, _readouts.get(question, dict)), "kpis"

    kept = _row_bytes.get(question, dict)
    body = state_listed(session, ("kpis", *question), build, kept)
    replayable(request, ledger_state(session))  # the same bytes while the ledger is unchanged
    return answer(request, body)


@router.get(
    "/runs",
    tags=["calculations"],
    summary="Stored calculation runs",
    response_model=list[s.RunListItem],
    responses=ERRORS,
)
def runs(session: SessionDep, user: UserDep, year: Year = None) -> Response:
    require(user, "calculations.read")
    rows = [run_summary(r) for r in list_runs(session, year=year)]
    return as_json([{k: r[k] for k in RUN_LIST_KEYS} for r in rows])


@router.get(
    "/scope3/screening",
    tags=["calculations"],
    summary="The Scope 3 screening of a year: 15 categories, or none when never screened",
    response_model=list[s.Scope3ScreeningOut],
    responses=ERRORS,
)
def scope3_screening(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int, Query(ge=1900, le=2100, description="Reporting year.")],
) -> Response:
    require(user, "calculations.read")
    return as_json(screening_of(session, year))


@router.get(
    "/runs/{run_id}",
    tags=["calculations"],
    summary="One run: totals, options, editions",
    response_model=s.RunOut,
    responses=ERRORS,
)
def run(
    run_id: Annotated[int, Path(ge=1, le=s.MAX_ID, description="Run id.")],
    session: SessionDep,
    user: UserDep,
) -> Response:
    require(user, "calculations.read")
    stored = get_run(session, run_id)
    notes = resolution_notes(session, stored)
    return as_json(run_summary(stored, stored_unresolved(session, stored), notes))


@router.get(
    "/findings",
    tags=["checks"],
    summary="Data-quality findings for a year (counts of all; findings one page at a time)",
    description=PAGED,
    response_model=s.FindingsOut,
    responses=ERRORS,
)
def findings(
    request: Request,
    session: SessionDep,
    user: UserDep,
    params: Annotated[ListParams, Depends(list_query(tuple(FINDING_SORT), FINDING_DEFAULT))],
    year: Annotated[int, Query(ge=1900, le=2100, description="Reporting year to check.")],
    boundary: BoundaryCode = None,
    include_acknowledged: Annotated[
        bool, Query(description="Also list acknowledged findings.")
    ] = False,
) -> Response:
    # Checks read every figure of the year, so they need the KPI read right everywhere.
    require(user, "kpis.read")
    found = run_checks(session, year, boundary=boundary)
    shown = found if include_acknowledged else [f for f in found if not f.acknowledged]
    open_ = [f for f in found if not f.acknowledged]
    page = page_of_list(shown, params, FINDING_SORT, finding_matches)
    body = {
        "year": year,
        "boundary": boundary,
        "counts": {
            "error": sum(f.severity == "error" for f in open_),
            "warning": sum(f.severity == "warning" for f in open_),
            "acknowledged": len(found) - len(open_),
        },
        "findings": [f.as_dict() for f in page.rows],
    }
    return with_page_headers(as_json(body), request.url, page)
