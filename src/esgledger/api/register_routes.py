"""Registers over HTTP (read, #17): the OHS register's hours and incidents with SLA clocks.

Bodies are the dicts ``esg register ohs hours|incidents --json`` print; reading needs
``kpis.read`` everywhere (the rows are the figures' evidence across entities).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.registers.listing import MAX_LIMIT, list_hours, list_incidents

router = APIRouter()
ERRORS = s.problems(401, 403, 422)
YearQuery = Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")]


@router.get(
    "/registers/ohs/hours",
    tags=["registers"],
    summary="Hours worked per entity, year and worker type (OHS register)",
    response_model=list[s.OhsHours],
    responses=ERRORS,
)
def ohs_hours(session: SessionDep, user: UserDep, year: YearQuery = None) -> Response:
    require(user, "kpis.read")
    return as_json(list_hours(session, year=year))


@router.get(
    "/registers/ohs/incidents",
    tags=["registers"],
    summary="OHS incidents, newest first, with the SLA clock of their state",
    response_model=s.OhsIncidentPage,
    responses=ERRORS,
)
def ohs_incidents(
    session: SessionDep,
    user: UserDep,
    year: YearQuery = None,
    state: Annotated[str | None, Query(max_length=20, description="Only this state.")] = None,
    entity: Annotated[str | None, Query(max_length=64, description="Only this entity.")] = None,
    overdue: Annotated[bool, Query(description="Only incidents past their SLA.")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")] = 100,
) -> Response:
    require(user, "kpis.read")
    return as_json(
        list_incidents(session, state=state, entity=entity, year=year, overdue=overdue, limit=limit)
    )
