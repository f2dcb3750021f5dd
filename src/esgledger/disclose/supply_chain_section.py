"""The report's supply-chain chapter, counted from the supplier register (#16).

The supplier base by country and by risk tier; new suppliers screened on environmental and
social criteria (GRI 308-1, 414-1); suppliers with significant negative impacts found by
audits and the actions taken (308-2, 414-2); audits and their findings by grade and state;
the questionnaire and CMRT response rates and the conformant-smelter share. The figures the
KPI ledger also holds are the register providers' own (:mod:`esgledger.kpi.register_figures`),
so chapter and appendix agree; each names the register rows it counted. A figure that cannot
be counted is "not available" with its reason, never 0.

The chapter is printed only when the register holds suppliers; its heading claims only the
disclosures whose figures it prints (an empty audit register claims neither 308-2 nor 414-2).
Its words go through the edition's gettext (the template), so both editions print it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import Session

from esgledger.catalog import metrics
from esgledger.disclose.country_names import country_name
from esgledger.disclose.narrative import format_value
from esgledger.disclose.report import kpi_anchor
from esgledger.kpi.register_figures.notes import coded, note_of, worded_note
from esgledger.kpi.register_figures.suppliers import supplier_figures
from esgledger.kpi.register_figures.suppliers_dd import dd_figures
from esgledger.kpi.register_figures.suppliers_minerals import mineral_figures
from esgledger.kpi.register_figures.suppliers_saq import saq_figures
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.supplier_models import Supplier, SupplierAudit, SupplierFinding
from esgledger.suppliers.audits import CLOSED, GRADES
from esgledger.suppliers.finding_history import state_at, steps, undated_after
from esgledger.suppliers.tiering import current_tiers, tiered_after

SECTION_ID = "supply-chain-register"
SERIOUS = ("Priority", "Major")
COUNTRIES_SHOWN = 8  # the largest; the rest as "other countries"
SCREENING = (
    "supply_chain.new_suppliers_env_screened",
    "supply_chain.new_suppliers_social_screened",
)
AUDIT_FIGURES = ("supply_chain.onsite_inspections", "supply_chain.new_suppliers_onsite_audited",
                 "supply_chain.significant_negative_impact_suppliers")  # fmt: skip
RESPONSE = ("supply_chain.saq.response_rate", "supply_chain.conflict_minerals.cmrt_response_rate",
            "supply_chain.conflict_minerals.new_supplier_dd_coverage",
            "supply_chain.conflict_minerals.rmi_conformant_smelters_share")  # fmt: skip
# The SZSE No. 17 topic the chapter answers, and its metrics-and-targets element (the only
# element it holds: figures, no governance, strategy or management narrative).
SZSE_TOPIC = ("szse-17:supply chain security", "szse-17:supply chain security/metrics-targets")
PENDING = ("plan_submitted", "plan_approved")


def supply_chain_section(session: Session, year: int) -> dict[str, Any] | None:
    """The chapter's model, or None when the supplier register holds no supplier."""
    total = session.scalar(select(func.count()).select_from(Supplier)) or 0
    if not total:
        return None
    figures = {
        f.metric: _figure(f)
        for provider in (supplier_figures, mineral_figures, dd_figures, saq_figures)
        for f in provider(session, year)
        if not f.dims
    }
    findings = _findings(session, year)
    answers = []
    if all(figures.get(m, {}).get("available") for m in SCREENING):
        answers += ["gri-2021:308-1", "gri-2021:414-1"]
    if findings["audited"]:
        answers += ["gri-2021:308-2", "gri-2021:414-2"]
    if any(f["available"] for f in figures.values()):
        answers += SZSE_TOPIC
    return {
        "id": SECTION_ID,
        "year": year,
        "answers": ";".join(answers),
        "suppliers": total,
        "countries": _countries(session, total),
        "tiers": _tiers(session, total, year),
        "previous_year": year - 1,
        "screening": [figures.get(m) or _missing(m) for m in SCREENING],
        "audit_figures": [figures.get(m) or _missing(m) for m in AUDIT_FIGURES],
        "responses": [figures.get(m) or _missing(m) for m in RESPONSE],
        **findings,
    }


def translated_section(section: dict[str, Any] | None, lang: str) -> dict[str, Any] | None:
    """The chapter's model for the ``lang`` edition: indicator names from the catalog's
    translations, country names from pycountry's (the template's own words go through
    gettext)."""
    if section is None or lang == "en":
        return section
    from esgledger.catalog.translations import text

    def named(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                **f,
                "name": text("metric", f["metric"], lang),
                "note": worded_note(f["note"], f.get("note_why"), lang),
            }
            for f in rows
        ]

    countries = [
        {**c, "name": country_name(c["country"], lang) if c["country"] else ""}
        for c in section["countries"]
    ]
    return {
        **section,
        **{k: named(section[k]) for k in ("screening", "audit_figures", "responses")},
        "countries": countries,
    }


def _figure(figure: RegisterFigure) -> dict[str, Any]:
    metric = metrics().get(figure.metric)
    precision = metric.precision if metric else 1
    return {
        "metric": figure.metric,
        "name": metric.name if metric else figure.metric,
        "available": figure.value is not None,
        "value": format_value(
            figure.value, precision, "" if figure.unit == "count" else figure.unit
        ),
        "note": figure.note,
        "note_why": figure.note_why,
        "rows": figure.rows,
        "anchor": kpi_anchor(figure.metric, {}),
    }


def _missing(metric_id: str) -> dict[str, Any]:
    """A figure no provider gave: its register part holds no rows at all."""
    metric = metrics().get(metric_id)
    return {
        "metric": metric_id,
        "name": metric.name if metric else metric_id,
        "available": False,
        "value": "",
        "note": note_of(why := [coded("no_register_rows")]),
        "note_why": why,
        "rows": 0,
        "anchor": kpi_anchor(metric_id, {}),
    }


def _countries(session: Session, total: int) -> list[dict[str, Any]]:
    stmt = select(Supplier.country, func.count()).group_by(Supplier.country)
    counts: Counter[str] = Counter({country: n for country, n in session.execute(stmt)})
    shown = counts.most_common(COUNTRIES_SHOWN)
    rows = [
        {"country": c, "name": country_name(c, "en"), "count": n, "share": _share(n, total)}
        for c, n in shown
    ]
    rest = total - sum(n for _, n in shown)
    if rest:
        rows.append({"country": "", "name": "", "count": rest, "share": _share(rest, total)})
    return rows


LATER, NONE, ENDED = "\0later", "\0none", "\0ended"  # the rows without a tier, in order


def _tiers(session: Session, total: int, year: int) -> list[dict[str, Any]]:
    """Tiers as they stood at the year's end (the last decision on or before 31 December,
    never a later one), each beside its count at the previous year's end (the tier in force
    then, :func:`~esgledger.suppliers.tiering.tiers_as_at`); a supplier first tiered after
    the year is "not yet tiered", one whose cooperation ended by then is counted apart (its
    tier rows are history), then those with no tier at all."""
    now = _tier_counts(session, total, dt.date(year, 12, 31))
    before = _tier_counts(session, total, dt.date(year - 1, 12, 31))
    named = sorted({*now, *before} - {LATER, NONE, ENDED})
    rows = []
    for key in (*named, LATER, NONE, ENDED):
        count, earlier = now.get(key, 0), before.get(key, 0)
        if not count and not earlier:
            continue
        row: dict[str, Any] = {
            "tier": "" if key in (LATER, NONE, ENDED) else key,
            "count": count,
            "share": _share(count, total),
            "before": earlier,
        }
        if key == LATER:
            row["later"] = True
        elif key == ENDED:
            row["ended"] = True
        rows.append(row)
    return rows


def _tier_counts(session: Session, total: int, end: dt.date) -> dict[str, int]:
    """Suppliers by tier as at ``end``, and those first tiered later, with no tier, or whose
    cooperation had ended."""
    counts: dict[str, int] = Counter(current_tiers(session, on=end).values())
    ended = session.scalar(
        select(func.count()).select_from(Supplier).where(Supplier.ended_on <= end)
    ) or 0  # fmt: skip
    later = tiered_after(session, end)
    counts[NONE] = total - sum(counts.values()) - ended - later
    counts[LATER], counts[ENDED] = later, ended
    return counts


def _share(part: int, whole: int) -> str:
    return format_value(100.0 * part / whole, 1, "%")


def _findings(session: Session, year: int) -> dict[str, Any]:
    """The year's audits (reported in the year) and their findings by grade and state as at
    31 December, the findings of earlier audits still open at the year's start, and the
    suppliers with serious environmental or social findings with the actions taken."""
    audited = session.scalar(
        select(func.count())
        .select_from(SupplierAudit)
        .where(SupplierAudit.state == "done", extract("year", SupplierAudit.report_on) == year)
    ) or 0  # fmt: skip
    end = dt.date(year, 12, 31)
    stmt = (
        select(
            SupplierFinding.id,
            SupplierFinding.grade,
            SupplierFinding.family,
            SupplierFinding.closed_on,
            SupplierAudit.supplier_id,
        )
        .join(SupplierAudit, SupplierAudit.id == SupplierFinding.audit_id)
        .where(extract("year", SupplierAudit.report_on) == year)
    )
    rows = list(session.execute(stmt))
    carried_rows = _carried(session, year)
    states = _as_at(session, rows + carried_rows, end)
    grades = [{"grade": grade, **_count([r for r in rows if r.grade == grade], states)}
              for grade in GRADES]  # fmt: skip
    impacts = []
    for family in ("environmental", "social"):
        serious = [r for r in rows if r.family == family and r.grade in SERIOUS]
        counted = _count(serious, states)
        impacts.append({
            "family": family,
            "suppliers": len({r.supplier_id for r in serious}),
            "findings": counted["found"],
            "closed": counted["closed"],
            "pending": counted["pending"],
        })  # fmt: skip
    every = rows + carried_rows
    return {"audited": audited, "grades": grades, "impacts": impacts, "findings": len(rows),
            "carried": _count(carried_rows, states),
            "closed_later": sum(r.closed_on is not None and r.closed_on > end for r in every),
            "undated_later": sum(states[r.id] == UNDATED for r in every)}  # fmt: skip


def _carried(session: Session, year: int) -> list[Any]:
    """Findings of audits reported before ``year`` not verified closed before it began."""
    start = dt.date(year, 1, 1)
    stmt = (
        select(SupplierFinding.id, SupplierFinding.closed_on)
        .join(SupplierAudit, SupplierAudit.id == SupplierFinding.audit_id)
        .where(SupplierAudit.report_on < start)
        .where(or_(SupplierFinding.closed_on.is_(None), SupplierFinding.closed_on >= start))
    )
    return list(session.execute(stmt))


UNDATED = "undated"  # open as at the end, with a plan step recorded after it without its day


def _as_at(session: Session, rows: list[Any], end: dt.date) -> dict[int, str]:
    """Each finding's state as at ``end``: closed when its correction was verified on or
    before it, else the state its moves dated on or before it reached (the audit log's
    events, :mod:`esgledger.suppliers.finding_history`); never today's state."""
    history = steps(session) if rows else {}
    states = {}
    for r in rows:
        if r.closed_on is not None and r.closed_on <= end:
            states[r.id] = CLOSED
            continue
        moves = [s for s in history.get(r.id, []) if s.to != CLOSED]
        state = state_at(moves, end)
        if state not in PENDING and undated_after(moves, end):
            state = UNDATED
        states[r.id] = state
    return states


def _count(rows: list[Any], states: dict[int, str]) -> dict[str, int]:
    """Findings closed, under way (plan submitted or approved) and open as at the year's end."""
    closed = sum(states[r.id] == CLOSED for r in rows)
    pending = sum(states[r.id] in PENDING for r in rows)
    return {"found": len(rows), "closed": closed, "pending": pending,
            "open": len(rows) - closed - pending}  # fmt: skip
