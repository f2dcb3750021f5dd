"""Conflict-minerals figures from the suppliers' declarations (#16): the CMRT response rate
and the share of conformant smelters.

Both are the group's (the root entity), and appear only once a declaration is stored. A
supplier is *in scope* in a year when its commodities name a CMRT metal (tantalum, tin,
tungsten, gold) or ``3TG`` and it is in cooperation at the year's end (onboarded by then, one
without an onboarding date in every year, and not ended before the year began: see
:mod:`~esgledger.kpi.register_figures.suppliers_base`); it *responded* in a year when a
CMRT of it is effective in that year. The conformant share counts the identified smelters of
each supplier's latest CMRT effective in the year, against the imported conformant-smelter
list. A figure that cannot be counted is
"not available" with the reason, never zero: a year in which no CMRT is effective has no
response rate (no survey of that year is known), not 0 %.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_figures.suppliers_base import cooperating_clause
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.smelter_rollup import Rollup, rollup
from esgledger.ledger.supplier_models import MineralDeclaration, Supplier

REGISTER = "suppliers"
RESPONSE = "supply_chain.conflict_minerals.cmrt_response_rate"
CONFORMANT = "supply_chain.conflict_minerals.rmi_conformant_smelters_share"
IN_SCOPE = re.compile(r"\b(3tg|tantalum|tin|tungsten|gold)\b", re.I)


def mineral_figures(session: Session, year: int) -> list[RegisterFigure]:
    roots = list(session.scalars(select(Entity.id).where(Entity.parent_id.is_(None))))
    if len(roots) != 1 or session.scalar(select(MineralDeclaration.id).limit(1)) is None:
        return []
    group = roots[0]
    return [_response_rate(session, year, group), _conformant_share(session, year, group)]


def in_scope_suppliers(session: Session, year: int) -> set[str]:
    """The suppliers asked for a CMRT in ``year``: a CMRT metal among their commodities, and
    in cooperation at the year's end (a supplier taken on later could not answer that year,
    one whose cooperation ended in an earlier year was not asked)."""
    stmt = select(Supplier.id, Supplier.commodities).where(cooperating_clause(year))
    return {ident for ident, goods in session.execute(stmt) if IN_SCOPE.search(goods or "")}


def _figure(metric: str, year: int, group: str, value: float | None,
            rows: tuple[int, ...], why: list[dict[str, Any]]) -> RegisterFigure:  # fmt: skip
    return RegisterFigure(metric, year, group, value, "%", REGISTER, tuple(sorted(rows)), {},
                          note_of(why), why)  # fmt: skip


def _response_rate(session: Session, year: int, group: str) -> RegisterFigure:
    scope = in_scope_suppliers(session, year)
    if not scope:
        return _figure(RESPONSE, year, group, None, (), [coded("no_cmrt_scope_by", year=year)])
    stmt = select(MineralDeclaration.supplier_id, MineralDeclaration.id).where(
        MineralDeclaration.template == "CMRT",
        extract("year", MineralDeclaration.effective_on) == year,
    )
    answered: dict[str, int] = {}
    effective = False
    for supplier, ident in session.execute(stmt.order_by(MineralDeclaration.id)):
        effective = True
        if supplier in scope:
            answered[supplier] = ident
    if not effective:  # no campaign of the year is known: a rate of it would be a guess
        return _figure(RESPONSE, year, group, None, (), [coded("no_cmrt_in", year=year)])
    note = [coded("cmrt_returned", a=len(answered), b=len(scope))]
    value = 100.0 * len(answered) / len(scope)
    return _figure(RESPONSE, year, group, value, tuple(answered.values()), note)


def _conformant_share(session: Session, year: int, group: str) -> RegisterFigure:
    result = rollup(session, template="CMRT", year=year, in_year=True)
    if not result.declarations:
        return _figure(CONFORMANT, year, group, None, (), [coded("no_cmrt_in", year=year)])
    share, _ = result.conformant_share()
    rows = tuple(result.declarations.values())
    return _figure(CONFORMANT, year, group, share, rows, conformant_why(result))


def conformant_why(result: Rollup) -> list[dict[str, Any]]:
    """The conformant share's note as codes: its English is ``Rollup.conformant_share``'s."""
    if not result.has_list:
        return [coded("no_smelter_list")]
    if not result.smelters:
        return [coded("no_identified_smelter")]
    conformant = sum(s.conformant for s in result.smelters)
    return [coded("identified_smelters", a=conformant, b=len(result.smelters))]
