"""Which totals of a calculation run leave out unresolved activity rows.

A run stores its issues (activity rows and quantities it could not compute) by group (no factor for
the region, a unit it cannot convert). A total is incomplete when an issue of its quantity
exists: a missing Scope 3 factor leaves energy and Scope 1/2 whole, a missing grid factor
makes Scope 2 incomplete. Energy in total adds up direct and indirect energy.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from esgledger.calc.issue_groups import issue_totals
from esgledger.calc.rollup import TOTAL_OF_QUANTITY
from esgledger.catalog import activity_types

COMBINED = {"energy_total_tce": ("energy_direct_tce", "energy_indirect_tce")}
LINE = "@"  # ``scope1_tco2e@refrigerant``: the part of a total an activity type or category gives


def calc_parts(key: str) -> tuple[str, str]:
    """(total key, activity type or category) of a ``calc:`` key; "" for a whole total."""
    total, _, part = key.partition(LINE)
    return total, part


def in_part(activity: str, part: str) -> bool:
    """Whether an activity type belongs to a line: the type itself or its category."""
    if activity == part:
        return True
    kind = activity_types().get(activity)
    return kind is not None and kind.category == part


@dataclass(frozen=True)
class Unresolved:
    """Unresolved results of one run, counted per total they leave out (and per activity
    type, so a line of a total is incomplete only when its own rows are)."""

    run_id: int
    by_total: dict[str, int] = field(default_factory=dict)
    by_activity: dict[tuple[str, str], int] = field(default_factory=dict)

    def count(self, key: str) -> int:
        total, part = calc_parts(key)
        parts = COMBINED.get(total, (total,))
        if not part:
            return sum(self.by_total.get(p, 0) for p in parts)
        return sum(
            n
            for (t, activity), n in self.by_activity.items()
            if t in parts and in_part(activity, part)
        )


def unresolved_of(session: Session, run_id: int) -> Unresolved:
    return counted_unresolved(run_id, issue_totals(session, run_id))


def counted_unresolved(run_id: int, issues: Iterable[tuple[str, str, int]]) -> Unresolved:
    """The counts of a run's unresolved results from (activity, quantity, count) of its
    issues, as stored or as a run computed in memory holds them (the rules' tests)."""
    by_total: dict[str, int] = {}
    by_activity: dict[tuple[str, str], int] = {}
    for activity, quantity, count in issues:
        total = TOTAL_OF_QUANTITY.get(quantity, quantity)
        by_total[total] = by_total.get(total, 0) + int(count)
        by_activity[(total, activity)] = by_activity.get((total, activity), 0) + int(count)
    return Unresolved(run_id, by_total, by_activity)
