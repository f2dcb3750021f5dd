"""The OHS safety registers over HTTP (#17): hazards, emergency drills and special-operation
posts, filtered, searched and paged. Bodies are the dicts ``esg register ohs hazards|drills|
operators --json`` print; reading needs ``kpis.read`` (the rows are the figures' evidence
across entities)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.registers.listing import MAX_LIMIT
from esgledger.registers.ohs_safety_listing import list_drills, list_hazards, list_operators

router = APIRouter()
ERRORS = s.problems(401, 403, 422)
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")]
Entity = Annotated[str | None, Query(max_length=64, description="Only this entity.")]
Search = Annotated[str | None, Query(max_length=100, description="Text the rows contain.")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Skip this many.")]


class HazardOut(s.Out):
    id: int
    ref: str
    entity: str
    identified_on: str
    category: str
    risk_level: str
    description: str
    corrected_on: str | None = None
    state: str


class HazardPage(s.Out):
    total: int
    rows: list[HazardOut]


class DrillOut(s.Out):
    id: int
    ref: str
    entity: str
    held_on: str
    scenario: str
    participants: int
    notes: str


class DrillPage(s.Out):
    total: int
    rows: list[DrillOut]


class OperatorOut(s.Out):
    id: int
    entity: str
    person: str
    operation: str
    assigned_on: str
    left_on: str | None = None
    certificate: str | None = None
    issued_on: str | None = None
    expires_on: str | None = None
    certificate_status: str


class OperatorPage(s.Out):
    total: int
    rows: list[OperatorOut]


@router.get(
    "/registers/ohs/hazards",
    tags=["registers"],
    summary="Hazards identified, newest first, with risk level and correction",
    response_model=HazardPage,
    responses=ERRORS,
)
def hazards(
    session: SessionDep,
    user: UserDep,
    year: Year = None,
    entity: Entity = None,
    state: Annotated[
        Literal["open", "corrected"] | None, Query(description="Open or corrected at its end.")
    ] = None,
    search: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_hazards(
            session,
            year=year,
            entity=entity,
            state=state,
            search=search,
            limit=limit,
            offset=offset,
        )
    )


@router.get(
    "/registers/ohs/drills",
    tags=["registers"],
    summary="Emergency drills, newest first",
    response_model=DrillPage,
    responses=ERRORS,
)
def drills(
    session: SessionDep,
    user: UserDep,
    year: Year = None,
    entity: Entity = None,
    search: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_drills(session, year=year, entity=entity, search=search, limit=limit, offset=offset)
    )


@router.get(
    "/registers/ohs/operators",
    tags=["registers"],
    summary="Special-operation workers' posts with their certificate's status",
    response_model=OperatorPage,
    responses=ERRORS,
)
def operators(
    session: SessionDep,
    user: UserDep,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Posts held on its last day.")
    ] = None,
    entity: Entity = None,
    certified: Annotated[
        bool | None, Query(description="Only posts with (true) or without (false) a valid one.")
    ] = None,
    search: Search = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_operators(
            session,
            year=year,
            entity=entity,
            certified=certified,
            search=search,
            limit=limit,
            offset=offset,
        )
    )
