"""New material suppliers covered by conflict-minerals due diligence (#16).

The catalog defines the figure as new material suppliers completing the due-diligence
questionnaire over new material suppliers. In the register, a *new material supplier* of a
year is one onboarded in it whose commodities name a CMRT metal or ``3TG`` (the suppliers the
CMRT campaign asks, :data:`~esgledger.kpi.register_figures.suppliers_minerals.IN_SCOPE`), and
the questionnaire is its CMRT: it *completed* it when a CMRT of it that the intake accepted
is effective on or before the year's end. The onboarding screening is not counted: its
criteria (certificates, agreements) hold no conflict-minerals question.

The group's figure (the root entity); lineage: the declarations counted (each supplier's
latest). Not available (never 0) when no CMRT is effective by the year's end (no campaign
is known by then, so a share would be a guess) or no material supplier was onboarded in the
year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_figures.suppliers_minerals import IN_SCOPE
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.supplier_models import MineralDeclaration, Supplier

REGISTER = "suppliers"
COVERAGE = "supply_chain.conflict_minerals.new_supplier_dd_coverage"


def dd_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's coverage (none when the register holds no supplier or the tree has no
    single root)."""
    roots = list(session.scalars(select(Entity.id).where(Entity.parent_id.is_(None))))
    if len(roots) != 1 or session.scalar(select(Supplier.id).limit(1)) is None:
        return []
    return [_coverage(session, year, roots[0])]


def new_material(session: Session, year: int) -> set[str]:
    """The year's new material suppliers: onboarded in it, naming a CMRT metal or 3TG."""
    stmt = select(Supplier.id, Supplier.commodities).where(
        extract("year", Supplier.onboarded_on) == year
    )
    return {ident for ident, goods in session.execute(stmt) if IN_SCOPE.search(goods or "")}


def _coverage(session: Session, year: int, group: str) -> RegisterFigure:
    def figure(
        value: float | None, rows: tuple[int, ...], why: list[dict[str, Any]]
    ) -> RegisterFigure:
        return RegisterFigure(
            COVERAGE, year, group, value, "%", REGISTER, rows, {}, note_of(why), why
        )

    end = dt.date(year, 12, 31)
    cmrts = select(MineralDeclaration.supplier_id, MineralDeclaration.id).where(
        MineralDeclaration.template == "CMRT", MineralDeclaration.effective_on <= end
    )
    if session.scalar(select(cmrts.subquery().c.id).limit(1)) is None:
        return figure(None, (), [coded("no_cmrt_by", year=year)])
    new = new_material(session, year)
    if not new:
        return figure(None, (), [coded("no_cmrt_scope_in", year=year)])
    done: dict[str, int] = {}
    for supplier, ident in session.execute(cmrts.order_by(MineralDeclaration.id)):
        if supplier in new:
            done[supplier] = ident
    note = [coded("cmrt_returned_new", a=len(done), b=len(new))]
    return figure(100.0 * len(done) / len(new), tuple(sorted(done.values())), note)
