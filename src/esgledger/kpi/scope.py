"""Which entities a figure covers: the boundary of the metric's family in that year."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger.boundaries import get_boundary, member_shares, year_boundary
from esgledger.ledger.models import Entity


@dataclass(frozen=True)
class Scope:
    """The members (with shares) a metric family's figures are rolled up over."""

    code: str | None  # boundary code; None = every entity at 100 %
    shares: dict[str, float]


class Scopes:
    """Boundaries of one year by family, with the organisation tree for root lookups."""

    def __init__(self, session: Session, year: int, *, override: str | None = None):
        self.session = session
        self.year = year
        self.override = get_boundary(session, override) if override else None
        self._by_family: dict[str, Scope] = {}

    @cached_property
    def parents(self) -> dict[str, str | None]:
        return dict(self.session.execute(select(Entity.id, Entity.parent_id)).all())

    @cached_property
    def root(self) -> str | None:
        """The group: the root entity with the most descendants."""
        return root_of(self.parents)

    def for_family(self, family: str) -> Scope:
        if family not in self._by_family:
            self._by_family[family] = self._resolve(family)
        return self._by_family[family]

    def _resolve(self, family: str) -> Scope:
        boundary = self.override
        if boundary is None and family in ("energy_ghg", "environment"):
            boundary = year_boundary(self.session, self.year, family)
        if boundary is None:
            return Scope(None, dict.fromkeys(self.parents, 1.0))
        return Scope(boundary.code, member_shares(self.session, boundary))


def root_of(parents: dict[str, str | None]) -> str | None:
    """The root entity with the most descendants in the tree ``parents`` (entity → parent)."""
    roots = [e for e, p in parents.items() if p is None]
    if not roots:
        return None
    counts = dict.fromkeys(roots, 0)
    for entity in parents:
        top = entity
        while parents.get(top) is not None:
            top = parents[top]  # type: ignore[assignment]
        counts[top] = counts.get(top, 0) + 1
    return max(sorted(counts), key=lambda r: counts[r])
