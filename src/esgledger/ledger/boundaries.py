"""Reporting boundaries: which entities count for a year and data family, with what share.

A boundary whose members differ from the same family's boundary of the year before must say
why (``change_note``): boundary changes are recorded and explained, never silent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ledger import audit
from esgledger.ledger.entities import get_entity, subtree
from esgledger.ledger.models import Boundary, BoundaryMember

FAMILIES = ("energy_ghg", "environment", "social", "financial", "all")
APPROACHES = ("operational_control", "financial_control", "equity_share")


@dataclass(frozen=True)
class BoundaryChange:
    previous: str | None
    added: list[str]
    removed: list[str]
    share_changed: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.share_changed)


def create_boundary(
    session: Session,
    *,
    code: str,
    year: int,
    family: str,
    approach: str = "operational_control",
    include: Iterable[str] = (),
    members: dict[str, float] | None = None,
    exclude: Iterable[str] = (),
    basis: str = "",
    change_note: str = "",
    actor: str,
) -> Boundary:
    """Create a boundary: subtrees (``include``) and ``members`` with shares, minus ``exclude``."""
    if family not in FAMILIES:
        raise InvalidInput(f"family {family!r} is not one of {', '.join(FAMILIES)}")
    if approach not in APPROACHES:
        raise InvalidInput(f"approach {approach!r} is not one of {', '.join(APPROACHES)}")
    if not 1900 <= year <= 2100:
        raise InvalidInput(f"{year} is not a reporting year")
    if session.scalar(select(Boundary.id).where(Boundary.code == code)) is not None:
        raise Conflict(f"boundary {code!r} already exists; choose another code")
    shares: dict[str, float] = {}
    for root in include:
        for ident in subtree(session, root):
            shares.setdefault(ident, 1.0)
    for ident, share in (members or {}).items():
        get_entity(session, ident)
        if not 0 < share <= 1:
            raise InvalidInput(f"share {share} for {ident!r} must be above 0 and at most 1")
        shares[ident] = share
    for root in exclude:
        for ident in subtree(session, root):
            shares.pop(ident, None)
    if not shares:
        raise InvalidInput("the boundary has no members; give --include ENTITY or --members FILE")
    change = compare_with_previous(session, year=year, family=family, shares=shares)
    if change.changed and not change_note.strip():
        raise InvalidInput(
            f"members differ from {change.previous} (+{len(change.added)} −{len(change.removed)}, "
            f"{len(change.share_changed)} share changes); explain why with --change-note"
        )
    boundary = Boundary(
        code=code, year=year, family=family, approach=approach, basis=basis, change_note=change_note
    )
    session.add(boundary)
    session.flush()
    session.add_all(
        BoundaryMember(boundary_id=boundary.id, entity_id=e, share=s)
        for e, s in sorted(shares.items())
    )
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="boundary.create",
        subject=f"boundary:{code}",
        payload={
            "year": year,
            "family": family,
            "approach": approach,
            "members": len(shares),
            "previous": change.previous,
            "added": change.added,
            "removed": change.removed,
            "share_changed": change.share_changed,
            "change_note": change_note,
        },
    )
    return boundary


def compare_with_previous(
    session: Session, *, year: int, family: str, shares: dict[str, float]
) -> BoundaryChange:
    previous = session.scalars(
        select(Boundary)
        .where(Boundary.family == family, Boundary.year == year - 1)
        .order_by(Boundary.id)
    ).first()
    if previous is None:
        return BoundaryChange(None, [], [], [])
    before = member_shares(session, previous)
    return BoundaryChange(
        previous=previous.code,
        added=sorted(set(shares) - set(before)),
        removed=sorted(set(before) - set(shares)),
        share_changed=sorted(e for e in set(shares) & set(before) if shares[e] != before[e]),
    )


def member_shares(session: Session, boundary: Boundary) -> dict[str, float]:
    rows = session.execute(
        select(BoundaryMember.entity_id, BoundaryMember.share)
        .where(BoundaryMember.boundary_id == boundary.id)
        .order_by(BoundaryMember.entity_id)
    )
    return {e: s for e, s in rows}


def year_boundary(session: Session, year: int, family: str) -> Boundary | None:
    """The year's boundary of a data family when there is exactly one (else the caller decides)."""
    found = list(
        session.scalars(select(Boundary).where(Boundary.year == year, Boundary.family == family))
    )
    return found[0] if len(found) == 1 else None


def get_boundary(session: Session, code: str) -> Boundary:
    boundary = session.scalar(select(Boundary).where(Boundary.code == code))
    if boundary is None:
        raise NotFound(f"unknown boundary {code!r}; `esg boundary list` lists them")
    return boundary


def list_boundaries(session: Session, *, year: int | None = None) -> list[Boundary]:
    stmt = select(Boundary).order_by(Boundary.year, Boundary.family, Boundary.code)
    if year:
        stmt = stmt.where(Boundary.year == year)
    return list(session.scalars(stmt))


def boundary_dict(
    session: Session, boundary: Boundary, *, with_members: bool = False
) -> dict[str, Any]:
    shares = member_shares(session, boundary)
    out: dict[str, Any] = {
        "code": boundary.code,
        "year": boundary.year,
        "family": boundary.family,
        "approach": boundary.approach,
        "basis": boundary.basis,
        "change_note": boundary.change_note,
        "members": len(shares),
    }
    if with_members:
        change = compare_with_previous(
            session, year=boundary.year, family=boundary.family, shares=shares
        )
        out["member_shares"] = shares
        out["change"] = {
            "previous": change.previous,
            "added": change.added,
            "removed": change.removed,
            "share_changed": change.share_changed,
        }
    return out
