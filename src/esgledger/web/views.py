"""View models the read-only pages share: years, KPI cards, runs, requests and findings.

Each builder calls the same service as the CLI's ``--json`` (``kpi_series``, ``run_summary``,
``list_requests``, ``run_checks``) and only reshapes its result for a template, so a page
shows exactly the numbers ``esg`` prints.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, defer

from esgledger.assess.materiality import assessment_dict
from esgledger.auth.permissions import Principal, can
from esgledger.calc.runs import get_run, run_summary, stored_unresolved
from esgledger.calc.scope3.stored_lines import entity_tonnes
from esgledger.catalog import metrics
from esgledger.catalog.messages import translate
from esgledger.checks import Finding
from esgledger.checks.engine import data_years
from esgledger.disclose.scope3_reasons import total_reason_in
from esgledger.errors import EsgError, InvalidInput
from esgledger.kpi.scope import Scopes
from esgledger.ledger.kpis import kpi_dict, list_kpis
from esgledger.ledger.models import CalculationRun, Entity
from esgledger.ledger.workflow_models import DataRequest
from esgledger.workflow.request_list import RequestFilter, request_dicts, request_query
from esgledger.workflow.requests import list_requests
from esgledger.workflow.states import DONE, STATES

log = logging.getLogger(__name__)

# Headline figures for the dashboard, in this order; a metric without data is left out.
CARD_METRICS = (
    "energy.total",
    "ghg.scope1",
    "ghg.scope2_location",
    "ghg.scope2_market",
    "ghg.total",
    "water.withdrawal.total",
    "waste.hazardous.total",
    "waste.non_recyclable.total",
    "waste.recyclable.total",
    "workforce.headcount",
)
SCOPE_FIGURES = (
    ("energy_total_tce", "Energy consumption", "tce"),
    ("scope1_tco2e", "Scope 1", "tCO2e"),
    ("scope2_location_tco2e", "Scope 2 (location-based)", "tCO2e"),
    ("scope2_market_tco2e", "Scope 2 (market-based)", "tCO2e"),
    ("scope3_tco2e", "Scope 3", "tCO2e"),
)


def query_int(value: str | None, name: str, low: int, high: int) -> int | None:
    """A whole-number query parameter, or a one-line 422 page (never a JSON error)."""
    if value is None or value.strip() == "":
        return None
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}, not {number}")
    return number


def pick_year(session: Session, asked: str | None) -> tuple[int | None, list[int]]:
    """The asked year, else the newest calculated year (else the newest year with data; None
    on an empty workspace); and the years to offer in the selector, newest first."""
    years = data_years(session)
    year = query_int(asked, "year", 1900, 2100)
    if year is None and years:
        # a year being collected (a few values entered) is not yet the year to show first
        calculated = set(session.scalars(select(CalculationRun.year).distinct()))
        year = max(calculated) if calculated else years[0]
    offered = sorted({*years, *([year] if year else [])}, reverse=True)
    return year, offered


def entity_names(session: Session) -> dict[str, str]:
    return {ident: name for ident, name in session.execute(select(Entity.id, Entity.name))}


def has_values(row: dict[str, Any]) -> bool:
    return any(v is not None for v in row["values"].values())


def kpi_cards(series: dict[str, Any]) -> list[dict[str, Any]]:
    """One card per headline metric with data: the year's figure (or why it is not
    available), the change with its caveat on a partial or incomplete year, and the trend.
    ``series`` is a :func:`esgledger.kpi.readout.series_readout`."""
    rows = {r["metric"]: r for r in series["kpis"] if not r["dims"]}
    span = [str(y) for y in series["years"]]
    cards = []
    for metric_id in CARD_METRICS:
        row = rows.get(metric_id)
        if row is None or not any(row["values"].values()):  # nothing, or zeros from no records
            continue
        cards.append(
            {
                "metric": metric_id,
                "name": row["name"],
                "unit": row["unit"],
                "precision": row["precision"],
                "value": row["values"][span[-1]],
                "figure": row["figures"][span[-1]],
                "change_pct": row["change_pct"],
                "change_caveat": row["change_caveat"],
                "change_marks": row.get("change_marks", ""),
                "trend": [(y, row["values"][y], row["figures"][y]) for y in span],
            }
        )
    return cards


def run_of_year(session: Session, year: int, run_id: int | None = None) -> CalculationRun | None:
    """The asked run, else the run the year's KPI figures read (latest on the GHG boundary,
    chosen as :func:`esgledger.kpi.calculated.latest_run` does). Its stored totals (megabytes
    on a large group) are read only when used: a panel kept per run needs only its id."""
    if run_id is not None:
        return get_run(session, run_id)
    boundary = Scopes(session, year).for_family("energy_ghg").code
    runs = session.execute(
        select(CalculationRun.id, CalculationRun.boundary_code)
        .where(CalculationRun.year == year)
        .order_by(CalculationRun.id)
    ).all()
    matching = [r.id for r in runs if (r.boundary_code or None) == boundary]
    chosen = (matching or [r.id for r in runs] or [None])[-1]
    if chosen is None:
        return None
    return session.get(CalculationRun, chosen, options=[defer(CalculationRun.totals)])


def emissions_view(session: Session, run: CalculationRun, lang: str = "en") -> dict[str, Any]:
    """A stored run as tables: totals by scope, by entity, by gas and by activity type (the
    reasons in the page's language ``lang``)."""
    summary = run_summary(run)
    names = entity_names(session)
    totals = summary["totals"]
    entities = scope3_by_entity(session, run, summary, names)
    entities.sort(
        key=lambda r: (-(r.get("scope1_tco2e", 0.0) + r.get("scope2_market_tco2e", 0.0)), r["id"])
    )
    gases = []
    for key, mass in summary["by_gas"].items():
        quantity, gas = key.split(":", 1)
        gases.append({"quantity": quantity, "gas": gas, "mass": mass})
    activities = [{"activity": a, **figures} for a, figures in summary["by_activity"].items()]
    short = set(summary["incomplete_figures"])
    return {
        "run": summary,
        "scopes": [
            {
                "key": k,
                "label": label,
                "unit": unit,
                "value": totals.get(k),
                "incomplete": k in short,
                "reason": scope3_reason(summary, lang) if k == "scope3_tco2e" else None,
            }
            for k, label, unit in SCOPE_FIGURES
        ],
        "scope3_calculated": scope3_calculated(summary),
        "unresolved": stored_unresolved(session, run),
        "entities": entities,
        "gases": gases,
        "activities": activities,
    }


def scope3_by_entity(
    session: Session, run: CalculationRun, summary: dict[str, Any], names: dict[str, str]
) -> list[dict[str, Any]]:
    """The by-entity rows with each entity's own Scope 3 from the run's lines: computed
    tonnes, "not available" where all its Scope 3 rows are unresolved (incomplete where some
    are), and none for an entity without Scope 3 rows — the Scope 1/2 roll-up's 0.0 is not a
    Scope 3 figure."""
    tonnes = entity_tonnes(session, run)
    short = {
        entity
        for group in stored_unresolved(session, run)
        if group["quantity"] == "scope3"
        for entity in group["entities"]
    }
    rows = []
    for entity in sorted({*summary["by_entity"], *tonnes, *short}):
        figures = dict(summary["by_entity"].get(entity, {}))
        figures["scope3_tco2e"] = tonnes.get(entity)
        figures["scope3_incomplete"] = entity in short
        rows.append({"id": entity, "name": names.get(entity, entity), **figures})
    return rows


def scope3_reason(summary: dict[str, Any], lang: str = "en") -> str | None:
    """Why a run with Scope 3 rows (or relevant categories) has no Scope 3 figure: "not
    available" with it, where a run without any is only "not calculated". In English the
    run's own sentence; in another language worded from the run's stored counts."""
    scope3 = summary["scope3"]
    reason = scope3.get("total_reason") if scope3.get("incomplete") else None
    if not reason or lang == "en":
        return reason
    why = total_reason_in(scope3.get("by_category") or {}, lang)
    return translate("not available: %(reason)s", lang) % {"reason": why}


def scope3_calculated(summary: dict[str, Any]) -> bool:
    """Whether the run computed any Scope 3 result: its total is 0 either way, and a run
    without one must say "not calculated", never show that 0 as a figure. (A run stored
    before totals by activity were kept counts as calculated when its total is not 0.)"""
    if summary["by_activity"]:
        return any("scope3_tco2e" in f for f in summary["by_activity"].values())
    return bool(summary["totals"].get("scope3_tco2e"))


def collection_year(session: Session, year: int) -> int:
    """The year whose data requests the dashboard shows: ``year``, or the newest later year
    with requests (next year's collection starts before this year's report is out)."""
    newest = session.scalar(select(func.max(DataRequest.year)))
    return newest if newest is not None and newest > year else year


def request_overview(
    session: Session, user: Principal, year: int | None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Counts by state, the share approved or locked, and the overdue requests the user may
    read (a data owner's own entities only, as ``list_requests`` filters)."""
    today = today or dt.date.today()
    if not can(user, "requests.read") and not user.scope:
        return {"total": 0, "counts": [], "done_pct": None, "overdue": [], "open": []}
    found = list_requests(session, user, year=year)
    counts = Counter(r.state for r in found)
    done = sum(counts[s] for s in DONE)
    catalog = metrics()
    rows = request_dicts(session, found, today=today)  # two queries, not two per request
    for row in rows:  # people read names; the code stays beside it for the spreadsheet
        known = catalog.get(row["metric"])
        row["metric_name"] = known.name if known else row["metric"]
    return {
        "total": len(found),
        "counts": [(s, counts[s]) for s in STATES],
        "done": done,
        "done_pct": done / len(found) * 100 if found else None,
        "overdue": [r for r in rows if r["overdue"]],
        "open": [r for r in rows if r["state"] not in DONE],
    }


def request_summary(
    session: Session, user: Principal, year: int | None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """:func:`request_overview`'s counts without its rows, counted by the database (the
    overview panel shows only counts, and a year may hold thousands of requests)."""
    today = today or dt.date.today()
    if not can(user, "requests.read") and not user.scope:
        return {"total": 0, "counts": [], "done": 0, "done_pct": None, "overdue_count": 0}
    late = and_(DataRequest.due_date < today, DataRequest.state.not_in(sorted(DONE)))
    stmt = (
        request_query(session, user, RequestFilter(year=year), "")
        .with_only_columns(
            DataRequest.state,
            func.count(),
            func.sum(case((late, 1), else_=0)),
            maintain_column_froms=True,
        )
        .group_by(DataRequest.state)
    )
    counts: Counter[str] = Counter()
    overdue = 0
    for state, n, late_n in session.execute(stmt):
        counts[state] += n
        overdue += int(late_n or 0)
    total = sum(counts.values())
    done = sum(counts[s] for s in DONE)
    return {
        "total": total,
        "counts": [(s, counts[s]) for s in STATES],
        "done": done,
        "done_pct": done / total * 100 if total else None,
        "overdue_count": overdue,
    }


def findings_overview(found: list[Finding], top: int = 5) -> dict[str, Any]:
    open_ = [f for f in found if f.acknowledged is None]
    return {
        "error": sum(f.severity == "error" for f in open_),
        "warning": sum(f.severity == "warning" for f in open_),
        "acknowledged": len(found) - len(open_),
        "top": open_[:top],
    }


def owner_values(session: Session, user: Principal, year: int | None) -> list[dict[str, Any]]:
    """Stored KPI values of the entities a data owner was granted, with metric names."""
    if year is None or not user.scope:
        return []
    catalog = metrics()
    rows = []
    for value in list_kpis(session, year=year):
        if value.entity_id not in user.scope:
            continue
        row = kpi_dict(value)
        metric = catalog.get(value.metric_id)
        row["name"] = metric.name if metric else value.metric_id
        row["precision"] = metric.precision if metric else 2
        rows.append(row)
    rows.sort(key=lambda r: (r["entity"], r["metric"], sorted(r["dims"].items())))
    return rows


def materiality_view(session: Session, assessment: Any, lang: str = "en") -> dict[str, Any]:
    """An assessment's matrix: topics with their axis scores and the report's SVG chart, or
    the one-line reason there is none yet (no responses, say)."""
    from esgledger.assess import charts, matrix
    from esgledger.disclose.chapters import svg_of, topic_name

    info = assessment_dict(session, assessment)
    if not info["topics"] or not (info["responses"] or info["scored_at"]):
        return {"assessment": info, "topics": [], "steps": assessment_steps(info)}
    try:
        shown = matrix.show(session, assessment)
    except EsgError as exc:  # e.g. answers on one axis only: the checklist says what is missing
        log.info("no matrix for assessment %s: %s", assessment.id, exc)
        return {"assessment": info, "topics": [], "steps": assessment_steps(info, str(exc))}
    drawn = {  # the chart in the page's language: the library's topic names, its own words
        **shown,
        "topics": [{**t, "name": topic_name(t["topic"], t["name"], lang)} for t in shown["topics"]],
    }
    svg = svg_of(charts.materiality_chart, drawn, lang=lang) if shown["topics"] else ""
    return {**shown, "svg": svg, "steps": [] if shown["topics"] else assessment_steps(info)}


def assessment_steps(info: dict[str, Any], missing: str = "") -> list[dict[str, Any]]:
    """An assessment without a matrix as a checklist: what is done, what comes next (in
    words, not commands: the page is read by people who never use the CLI)."""
    responses = info["responses"]
    answers = f"{responses} answer{'' if responses == 1 else 's'} so far"
    if missing:
        answers += " — not enough for a matrix yet: both axes need answers"
    return [
        {"done": info["topics"] > 0, "what": "Choose the topics to assess",
         "state": f"{info['topics']} topics"},
        {"done": info["respondents"] > 0, "what": "Add respondents and send each their "
         "one-time survey link", "state": f"{info['respondents']} respondents"},
        {"done": responses > 0 and not missing, "what": "Collect the answers",
         "state": answers},
        {"done": info["scored_at"] is not None, "what": "Score the answers and approve "
         "the matrix", "state": "scored" if info["scored_at"] else "not scored yet"},
    ]  # fmt: skip


def with_matrix(session: Session, stored: list[Any]) -> Any:
    """The assessment the page opens on: the newest with answers or a scoring (a new,
    empty one for next year must not hide this year's matrix), else the newest."""
    for a in reversed(stored):
        info = assessment_dict(session, a)
        if info["topics"] and (info["responses"] or info["scored_at"]):
            return a
    return stored[-1] if stored else None
