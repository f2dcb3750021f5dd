"""Which totals of a calculation run leave out unresolved activity rows.

A run stores one issue per activity row and quantity it could not compute (no factor for
the region, a unit it cannot convert). A total is incomplete when an issue of its quantity
exists: a missing Scope 3 factor leaves energy and Scope 1/2 whole, a missing grid factor
makes Scope 2 incomplete. Energy in total adds up direct and indirect energy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.calc.rollup import TOTAL_OF_QUANTITY
from esgledger.ledger.models import CalculationIssue

COMBINED = {"energy_total_tce": ("energy_direct_tce", "energy_indirect_tce")}


@dataclass(frozen=True)
class Unresolved:
    """Unresolved results of one run, counted per total they leave out."""

    run_id: int
    by_total: dict[str, int] = field(default_factory=dict)

    def count(self, total: str) -> int:
        parts = COMBINED.get(total, (total,))
        return sum(self.by_total.get(p, 0) for p in parts)


def unresolved_of(session: Session, run_id: int) -> Unresolved:
    rows = session.execute(
        select(CalculationIssue.quantity, func.count())
        .where(CalculationIssue.run_id == run_id)
        .group_by(CalculationIssue.quantity)
    )
    by_total: dict[str, int] = {}
    for quantity, count in rows:
        total = TOTAL_OF_QUANTITY.get(quantity, quantity)
        by_total[total] = by_total.get(total, 0) + int(count)
    return Unresolved(run_id, by_total)
