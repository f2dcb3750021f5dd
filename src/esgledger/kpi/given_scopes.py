"""A year's boundaries given as values, so a KPI table can be computed without a session.

:class:`~esgledger.kpi.scope.Scopes` resolves a family's boundary from the database when a
figure first asks for it. A KPI table computed from plain inputs (#20) gets them resolved
once instead: the organisation tree and the scope of every family the catalog uses, read
by :func:`given_scopes` (or built by a test). Every KPI function taking ``Scopes`` takes
these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from esgledger.catalog import metrics
from esgledger.kpi.scope import Scope, Scopes

# Families whose boundary is set per year (kpi.scope); the series shows their changes.
YEARLY = ("energy_ghg", "environment")


class GivenScopes(Scopes):
    """The boundaries of one year as values: the tree (entity → parent) and each family's
    scope; a family not given has every entity at 100 %, as a family without a boundary
    has. Nothing here reads a database (it holds no session)."""

    def __init__(self, year: int, parents: Mapping[str, str | None], families: Mapping[str, Scope]):
        self.year = year
        self.parents = dict(parents)
        self._families = dict(families)
        self._by_family: dict[str, Scope] = {}

    def _resolve(self, family: str) -> Scope:
        given = self._families.get(family)
        return given if given is not None else Scope(None, dict.fromkeys(self.parents, 1.0))


def table_families() -> list[str]:
    """Every family a KPI table or a series asks a scope of: the catalog's, and the yearly."""
    return sorted({m.boundary_family for m in metrics().values()} | set(YEARLY))


def given_scopes(scopes: Scopes, families: Iterable[str] | None = None) -> GivenScopes:
    """``scopes`` resolved for ``families`` (every family a KPI table asks, by default)."""
    wanted = table_families() if families is None else families
    return GivenScopes(scopes.year, scopes.parents, {f: scopes.for_family(f) for f in wanted})
