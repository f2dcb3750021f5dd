"""The board and training registers over HTTP (#17): directors with their seats, meetings
with their attendance counted, and the training campaigns' coverage. Bodies are the dicts
``esg register board|training … --json`` print; reading needs ``kpis.read`` (the rows are the
figures' evidence)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.registers.board_import import COMMITTEES
from esgledger.registers.board_listing import list_meetings, list_members
from esgledger.registers.listing import MAX_LIMIT
from esgledger.registers.training_listing import campaign_coverage

router = APIRouter()
ERRORS = s.problems(401, 403, 422)
YearQuery = Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")]
EntityQuery = Annotated[str | None, Query(max_length=64, description="Only this entity.")]


class BoardMember(s.Out):
    ref: str
    entity: str
    name: str
    role: str
    executive: bool
    independent: bool
    gender: str
    birth_year: int
    appointed_on: str
    left_on: str | None = None
    committees: list[str]
    serving: bool


class BoardMemberPage(s.Out):
    total: int
    rows: list[BoardMember]


class BoardMeeting(s.Out):
    entity: str
    meeting: str
    body: str
    date: str
    present: int
    proxy: int
    absent: int


@router.get(
    "/registers/board/members",
    tags=["registers"],
    summary="Board members with role, independence, gender, birth year, dates and committees",
    response_model=BoardMemberPage,
    responses=ERRORS,
)
def board_members(
    session: SessionDep,
    user: UserDep,
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Only members serving at its end.")
    ] = None,
    entity: EntityQuery = None,
    search: Annotated[
        str | None, Query(max_length=100, description="Name or ref contains.")
    ] = None,
    committee: Annotated[
        str | None, Query(max_length=24, description=f"Only seats on: {', '.join(COMMITTEES)}.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")] = 100,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Skip this many.")] = 0,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_members(
            session,
            year=year,
            entity=entity,
            search=search,
            committee=committee,
            limit=limit,
            offset=offset,
        )
    )


@router.get(
    "/registers/board/meetings",
    tags=["registers"],
    summary="Board and committee meetings with their attendance counted",
    response_model=list[BoardMeeting],
    responses=ERRORS,
)
def board_meetings(
    session: SessionDep, user: UserDep, year: YearQuery = None, entity: EntityQuery = None
) -> Response:
    require(user, "kpis.read")
    return as_json(list_meetings(session, year=year, entity=entity))


class TrainingCoverage(s.Out):
    campaign: str
    kind: str
    year: int
    entity: str
    worker_type: str
    required: int
    completed: int
    share: float | None = None


@router.get(
    "/registers/training/coverage",
    tags=["registers"],
    summary="Each training or commitment campaign's coverage by entity and worker type",
    response_model=list[TrainingCoverage],
    responses=ERRORS,
)
def training_coverage(
    session: SessionDep, user: UserDep, year: YearQuery = None, entity: EntityQuery = None
) -> Response:
    require(user, "kpis.read")
    return as_json(campaign_coverage(session, year=year, entity=entity))
