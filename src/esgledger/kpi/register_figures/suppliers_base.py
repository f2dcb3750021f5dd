"""The supplier base from the register (#16): suppliers in cooperation and new suppliers.

Both are the group's (the root entity): the register is the group's supplier base. A supplier
is *in cooperation* at the end of a year when it is in the register and was onboarded by then
(``onboarded_on`` on or before 31 December) and its cooperation had not ended before the
year began: a supplier whose cooperation ended (``ended_on``) in a year still counts in that
year, in which it supplied, and no longer from the next one. It is *new* in the year it was
onboarded. A supplier without an onboarding date is in the register, but the register does
not say since when: it is counted in cooperation in every year (until its end) and never as
new, and each figure's note says how many such suppliers there are, so nothing is assumed
silently. Lineage: the supplier ids.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.supplier_models import Supplier

REGISTER = "suppliers"
ACTIVE = "supply_chain.suppliers.active"
NEW = "supply_chain.suppliers.new"


def base_figures(session: Session, year: int) -> list[RegisterFigure]:
    """Suppliers in cooperation at the end of ``year`` and those onboarded in it (none when
    the register is empty or the tree has no single root)."""
    roots = list(session.scalars(select(Entity.id).where(Entity.parent_id.is_(None))))
    if len(roots) != 1:
        return []
    stmt = select(Supplier.id, Supplier.onboarded_on, Supplier.ended_on).order_by(Supplier.id)
    rows = list(session.execute(stmt))
    if not rows:
        return []
    end = dt.date(year, 12, 31)
    undated = tuple(ident for ident, day, _ in rows if day is None)
    active = tuple(ident for ident, day, ended in rows if cooperating(day, ended, year))
    new = tuple(ident for ident, day, _ in rows if day is not None and day.year == year)
    said = _undated(len(undated))
    return [
        _figure(
            ACTIVE, year, roots[0], active, [coded("onboarded_by", day=end.isoformat()), *said]
        ),
        _figure(NEW, year, roots[0], new, [coded("onboarded_in", year=year), *said]),
    ]


def cooperating(onboarded: dt.date | None, ended: dt.date | None, year: int) -> bool:
    """In cooperation at the end of ``year``: onboarded by then (or on an unrecorded day),
    and not ended before the year began (the year of ending still counts)."""
    started = onboarded is None or onboarded <= dt.date(year, 12, 31)
    return started and (ended is None or ended.year >= year)


def cooperating_clause(year: int) -> ColumnElement[bool]:
    """:func:`cooperating` as a SQL condition on the supplier table."""
    return and_(
        Supplier.onboarded_on.is_(None) | (Supplier.onboarded_on <= dt.date(year, 12, 31)),
        Supplier.ended_on.is_(None) | (Supplier.ended_on >= dt.date(year, 1, 1)),
    )


def _undated(count: int) -> list[dict[str, Any]]:
    if not count:
        return []
    return [coded("undated_one" if count == 1 else "undated_many", n=count)]


def _figure(
    metric: str, year: int, group: str, ids: tuple[str, ...], why: list[dict[str, Any]]
) -> RegisterFigure:
    value = float(len(ids))
    return RegisterFigure(metric, year, group, value, "count", REGISTER, ids, {}, note_of(why), why)
