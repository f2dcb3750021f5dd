"""The share of suppliers in cooperation that signed the integrity agreement (#16).

The group's figure (the root entity): suppliers in cooperation at the end of the year (see
:func:`~esgledger.kpi.register_figures.suppliers_base.cooperating`: the year a cooperation
ends still counts) with an ``integrity_agreement`` signed by the year's end and not expired
before it, over those suppliers. The register holds suppliers only, so the figure leaves out
the dealers the metric also names, and its note says so. Lineage: the agreement rows counted.
Not available (never 0) when the register records no agreement of any kind (agreements were
not imported, so nobody can tell who signed) or no supplier is in cooperation that year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_figures.suppliers_base import cooperating_clause
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.supplier_models import Supplier, SupplierAgreement

REGISTER = "suppliers"
SHARE = "supply_chain.integrity_agreements_share"
KIND = "integrity_agreement"


def integrity_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's share (none when the register holds no supplier or the tree has no single
    root)."""
    roots = list(session.scalars(select(Entity.id).where(Entity.parent_id.is_(None))))
    if len(roots) != 1 or session.scalar(select(Supplier.id).limit(1)) is None:
        return []
    return [_share(session, year, roots[0])]


def _share(session: Session, year: int, group: str) -> RegisterFigure:
    def figure(
        value: float | None, rows: tuple[int, ...], why: list[dict[str, Any]]
    ) -> RegisterFigure:
        return RegisterFigure(SHARE, year, group, value, "%", REGISTER, rows, {}, note_of(why), why)

    if session.scalar(select(SupplierAgreement.id).limit(1)) is None:
        return figure(None, (), [coded("no_agreements")])
    base = set(session.scalars(select(Supplier.id).where(cooperating_clause(year))))
    if not base:
        return figure(None, (), [coded("none_cooperating", year=year)])
    end = dt.date(year, 12, 31)
    stmt = select(SupplierAgreement.supplier_id, SupplierAgreement.id).where(
        SupplierAgreement.kind == KIND,
        SupplierAgreement.signed_on <= end,
        SupplierAgreement.expires_on.is_(None) | (SupplierAgreement.expires_on >= end),
    )
    signed: dict[str, int] = {}
    for supplier, ident in session.execute(stmt.order_by(SupplierAgreement.id)):
        if supplier in base:
            signed[supplier] = ident  # the latest agreement in force
    note = [
        coded("integrity_agreements", a=len(signed), b=len(base), year=year),
        coded("no_dealers"),
    ]
    rows = tuple(sorted(signed.values()))
    return figure(100.0 * len(signed) / len(base), rows, note)
