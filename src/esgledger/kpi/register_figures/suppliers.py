"""Figures the supplier register yields (#16): screening of new suppliers (GRI 308-1, 414-1),
on-site audits, suppliers with significant negative impacts (308-2, 414-2).

All figures are the group's (the root entity of the organisation tree): the register is the
group's supplier base, and a share does not add up over entities. A *new supplier* of a year
has ``onboarded_on`` in that year; it counts as screened on environmental (social) criteria
if a screening that checked such criteria is dated in the year or before. Each figure names
the register rows it counted (screenings, audits or findings). A figure that cannot be
counted is "not available" with the reason — never zero: no new suppliers in the year (a
share of nothing), or no audits recorded at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.supplier_models import (
    Supplier,
    SupplierAudit,
    SupplierFinding,
    SupplierScreening,
)

REGISTER = "suppliers"
SCREENED = {
    "supply_chain.new_suppliers_env_screened": SupplierScreening.environmental,
    "supply_chain.new_suppliers_social_screened": SupplierScreening.social,
}
ONSITE_SHARE = "supply_chain.new_suppliers_onsite_audited"
ONSITE_COUNT = "supply_chain.onsite_inspections"
NEGATIVE = "supply_chain.significant_negative_impact_suppliers"
SERIOUS = ("Priority", "Major")


def supplier_figures(session: Session, year: int) -> list[RegisterFigure]:
    """Every supplier figure of ``year`` (none when the register is empty or the tree has no
    single root)."""
    roots = list(session.scalars(select(Entity.id).where(Entity.parent_id.is_(None))))
    if len(roots) != 1 or session.scalar(select(Supplier.id).limit(1)) is None:
        return []
    group = roots[0]
    new = set(
        session.scalars(select(Supplier.id).where(extract("year", Supplier.onboarded_on) == year))
    )
    out = [_screened(session, year, group, new, m, c) for m, c in SCREENED.items()]
    audits = _onsite_audits(session, year)
    if audits is None:
        why = [coded("no_audits")]
        out += [_figure(m, year, group, None, "%" if m == ONSITE_SHARE else "count", (), why)
                for m in (ONSITE_SHARE, ONSITE_COUNT, NEGATIVE)]  # fmt: skip
        return out
    out.append(_figure(ONSITE_COUNT, year, group, float(len(audits)), "count", tuple(audits)))
    audited_new = {s: i for i, s in audits.items() if s in new}
    out.append(
        _share(ONSITE_SHARE, year, group, new, tuple(audited_new.values()), len(audited_new))
    )
    out.append(_negative(session, year, group))
    return out


def _figure(
    metric: str,
    year: int,
    entity: str,
    value: float | None,
    unit: str,
    rows: tuple[int, ...],
    why: list[dict[str, Any]] | None = None,
) -> RegisterFigure:
    why = why or []
    return RegisterFigure(
        metric, year, entity, value, unit, REGISTER, tuple(sorted(rows)), {}, note_of(why), why
    )


def _share(
    metric: str, year: int, group: str, new: set[str], rows: tuple[int, ...], counted: int
) -> RegisterFigure:
    if not new:
        why = [coded("none_onboarded", year=year)]
        return _figure(metric, year, group, None, "%", (), why)
    note = [coded("new_suppliers", a=counted, b=len(new))]
    return _figure(metric, year, group, 100.0 * counted / len(new), "%", rows, note)


def _screened(
    session: Session,
    year: int,
    group: str,
    new: set[str],
    metric: str,
    criterion: InstrumentedAttribute[bool],
) -> RegisterFigure:
    stmt = select(SupplierScreening.supplier_id, SupplierScreening.id).where(
        criterion.is_(True),
        SupplierScreening.screened_on <= dt.date(year, 12, 31),
    )
    latest: dict[str, int] = {}
    for supplier, ident in session.execute(stmt.order_by(SupplierScreening.id)):
        if supplier in new:
            latest[supplier] = ident
    return _share(metric, year, group, new, tuple(latest.values()), len(latest))


def _onsite_audits(session: Session, year: int) -> dict[int, str] | None:
    """Audit id → supplier of the on-site audits done in ``year``; None if no audit exists."""
    if session.scalar(select(SupplierAudit.id).limit(1)) is None:
        return None
    stmt = select(SupplierAudit.id, SupplierAudit.supplier_id).where(
        SupplierAudit.state == "done",
        SupplierAudit.mode == "on-site",
        extract("year", SupplierAudit.done_on) == year,
    )
    return {ident: supplier for ident, supplier in session.execute(stmt)}


def _negative(session: Session, year: int, group: str) -> RegisterFigure:
    """Suppliers with a Priority or Major finding in an audit reported in ``year``."""
    stmt = (
        select(SupplierFinding.id, SupplierAudit.supplier_id)
        .join(SupplierAudit, SupplierAudit.id == SupplierFinding.audit_id)
        .where(
            SupplierFinding.grade.in_(SERIOUS),
            extract("year", SupplierAudit.report_on) == year,
        )
    )
    rows = list(session.execute(stmt))
    suppliers = {s for _, s in rows}
    note = [coded("major_findings")]
    return _figure(
        NEGATIVE, year, group, float(len(suppliers)), "count", tuple(i for i, _ in rows), note
    )
