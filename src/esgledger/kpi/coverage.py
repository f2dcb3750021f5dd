"""Which boundary members a year's activity data leave out: a figure over them is partial.

A member counts as covered when it, or a member below it, has activity records of the
family (fuel, electricity and heat for energy/GHG; water and waste for the environment) in
the year. Only a year with a boundary for the family promises coverage: without one, the
figures cover whoever has data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import activity_types
from esgledger.kpi.calculated import Sums
from esgledger.kpi.scope import Scope, Scopes
from esgledger.kpi.store_sums import store_entities
from esgledger.ledger.activities import live
from esgledger.ledger.models import ActivityRecord

FAMILIES = {
    "energy_ghg": ("fuel", "electricity", "heat"),
    "environment": ("water", "waste"),
}


def children_of(parents: dict[str, str | None]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for entity, parent in parents.items():
        if parent is not None:
            out.setdefault(parent, []).append(entity)
    return out


class Branches:
    """A boundary's members and their parents, made once and asked about many covered sets
    (one per metric): rebuilding them per question was 0.59 CPU s of ``esg check`` at
    10,000 members."""

    def __init__(self, members: Collection[str], children: dict[str, list[str]]) -> None:
        self.members = set(members)
        self.parents = {c: p for p, cs in children.items() for c in cs}
        self.order = sorted(self.members)

    def uncovered(self, covered: Collection[str]) -> list[str]:
        """Members without data in their own branch of the boundary, topmost only."""
        members, parents = self.members, self.parents
        filled: set[str] = set()
        for entity in covered:  # a covered member fills itself and its members above
            at: str | None = entity
            while at in members and at not in filled:
                filled.add(at)
                at = parents.get(at)
        return [
            m
            for m in self.order
            if m not in filled and ((p := parents.get(m)) not in members or p in filled)
        ]


def uncovered(
    members: Collection[str], covered: Collection[str], children: dict[str, list[str]]
) -> list[str]:
    """Members without data in their own branch of the boundary, topmost only."""
    return Branches(members, children).uncovered(covered)


def _kinds(categories: tuple[str, ...]) -> list[str]:
    return [a.id for a in activity_types().values() if a.category in categories]


def active_in_sums(sums: Sums, categories: tuple[str, ...]) -> set[str]:
    """:func:`active_entities` read off a year's activity sums (one key per entity and
    activity with records), so a caller that has the sums asks the database nothing."""
    kinds = set(_kinds(categories))
    return {entity for activity, entity in sums if activity in kinds}


def active_entities(session: Session, year: int, categories: tuple[str, ...]) -> set[str]:
    """Entities with activity records of these categories starting in ``year``."""
    kinds = _kinds(categories)
    stmt = (
        select(ActivityRecord.entity_id)
        .distinct()
        .where(
            live(),
            ActivityRecord.activity.in_(kinds),
            ActivityRecord.start >= dt.date(year, 1, 1),
            ActivityRecord.start <= dt.date(year, 12, 31),
        )
    )
    return set(session.scalars(stmt)) | store_entities(session, year, kinds)


def missing_members(
    session: Session, scopes: Scopes, family: str, sums: Sums | None = None
) -> list[str]:
    """Members of the family's boundary the year's activity data leave out ([] without one);
    ``sums`` are the year's activity sums when the caller has read them."""
    if sums is not None:
        return missing_in_sums(scopes, family, sums)
    scope: Scope = scopes.for_family(family)
    if scope.code is None or family not in FAMILIES:
        return []
    covered = active_entities(session, scopes.year, FAMILIES[family])
    return uncovered(scope.shares, covered, children_of(scopes.parents))


def missing_in_sums(scopes: Scopes, family: str, sums: Sums) -> list[str]:
    """:func:`missing_members` read off the year's activity sums (no database)."""
    scope = scopes.for_family(family)
    if scope.code is None or family not in FAMILIES:
        return []
    covered = active_in_sums(sums, FAMILIES[family])
    return uncovered(scope.shares, covered, children_of(scopes.parents))
