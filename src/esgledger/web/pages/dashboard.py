"""The home page: what the signed-in person needs to see first.

Managers, reviewers, auditors and admins get the year at a glance (headline KPIs with their
trend, emissions by scope and entity from the year's calculation run, data-request
completion, open findings, the materiality matrix, report downloads). A data owner gets their
open requests and the values stored for their entities. Every panel reads the same service
as the matching ``esg`` command, and a panel without data says so instead of failing.

The costly panels (the charts drawn with matplotlib, the request counts; the year's checks
through :mod:`esgledger.web.state_findings`, shared with the findings page)
are kept per ledger state (:mod:`esgledger.ledger.state`): a view after no write redraws
and reruns nothing, and any write makes the next view compute them afresh — except the
materiality matrix, which reads only its assessment and is kept until a materiality write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from esgledger.assess.materiality import list_assessments
from esgledger.auth.permissions import Principal, can
from esgledger.disclose.archive import list_published, published_dict
from esgledger.disclose.charts import emissions_by_scope
from esgledger.kpi.cache import cached_kpi_series
from esgledger.kpi.readout import series_readout
from esgledger.ledger.state import area_state, ledger_state
from esgledger.ledger.state_cache import StateCache
from esgledger.web import views
from esgledger.web.deps import UserDep, database
from esgledger.web.kpi_marks import in_language
from esgledger.web.language import chosen as page_lang
from esgledger.web.state_findings import cached_findings
from esgledger.web.templating import render

router = APIRouter()
MAX_ENTRIES = 32
_panels: StateCache[Any] = StateCache(MAX_ENTRIES)
CHART_ROWS = ("ghg.scope1", "ghg.scope2_market", "ghg.scope2_location")  # what the chart draws
# The only writes of the entity tree (an import; the audit action of its batch): the emissions
# panel, a stored run as tables with the entities' names, is kept by run and by these (a
# value or a request step redrew it: 64–190 CPU ms of the dashboard after each write, #14).
ENTITY_WRITES = "import.entities"


def _kept(
    session: Session, key: tuple[Any, ...], compute: Callable[[], Any], *, area: str = ""
) -> Any:
    """``compute()`` once per calendar day, ``key`` and ledger state — or only the state of
    the ``area`` of the ledger it reads (:func:`esgledger.ledger.state.area_state`)."""
    state = area_state(session, area) if area else ledger_state(session)
    return _panels.get((state, dt.date.today(), *key), compute)


@router.get("/")
def home(request: Request, user: UserDep, year: Annotated[str | None, Query()] = None) -> Response:
    with database(request).read() as session:
        chosen, years = views.pick_year(session, year)
        context: dict[str, Any] = {"user": user, "year": chosen, "years": years}
        if can(user, "kpis.read"):
            context.update(_overview(session, user, chosen, page_lang(request)))
        else:
            context.update(_owner(session, user, chosen))
    return render(request, "dashboard.html", context)


def _overview(
    session: Session, user: Principal, year: int | None, lang: str = "en"
) -> dict[str, Any]:
    """The group's year for roles that read everything."""
    out: dict[str, Any] = {"mode": "overview"}
    if year is None:
        return out
    series = in_language(series_readout(cached_kpi_series(session, year, years=3)), lang)
    out["cards"] = views.kpi_cards(series)
    out["span"] = [str(y) for y in series["years"]]
    by_metric = {r["metric"]: r for r in series["kpis"] if not r["dims"]}
    if any(views.has_values(by_metric[m]) for m in ("ghg.scope1", "ghg.scope2_market")):
        drawn = tuple(tuple(by_metric.get(m, {}).get("values", {}).items()) for m in CHART_ROWS)
        out["emissions_chart"] = _panels.get(
            (
                str(session.get_bind().engine.url),
                "emissions_chart",
                tuple(out["span"]),
                drawn,
                lang,
            ),
            lambda: emissions_by_scope(
                by_metric, out["span"], lang
            ),  # worded in the page's language
        )  # kept per the figures it draws: writes that leave them do not redraw it
    if can(user, "calculations.read"):
        run = views.run_of_year(session, year)
        out["emissions"] = (
            _kept(
                session,
                ("emissions", run.id, run.input_digest, str(run.created_at), lang),
                lambda: views.emissions_view(session, run, lang),
                area=ENTITY_WRITES,  # a run never changes; the panel names its entities
            )
            if run
            else None
        )
    # The collection under way may be for a later year than the figures shown.
    collection = out["collection_year"] = views.collection_year(session, year)
    out["requests"] = _kept(
        session,
        ("requests", collection, user),
        lambda: views.request_summary(session, user, collection),
    )
    out["findings"] = views.findings_overview(cached_findings(session, year))
    if can(user, "assessments.read"):
        assessments = [a for a in list_assessments(session) if a.year <= year]
        newest = assessments[-1] if assessments else None
        out["materiality"] = (
            _kept(
                session,
                ("materiality", newest.id, lang),
                lambda: views.materiality_view(session, newest, lang),
                area="materiality.",  # the assessment's own writes; nothing else moves it
            )
            if newest
            else None
        )
    out["reports"] = can(user, "reports.read")
    if out["reports"]:
        editions = [published_dict(r) for r in list_published(session, year)]
        newest = editions[0]["edition"] if editions else None
        out["published"] = [e for e in editions if e["edition"] == newest]
    return out


def _owner(session: Session, user: Principal, year: int | None) -> dict[str, Any]:
    """A data owner's requests and the values of their granted entities."""
    return {
        "mode": "owner",
        "requests": views.request_overview(session, user, None),
        "values": views.owner_values(session, user, year),
        "names": views.entity_names(session),
    }
