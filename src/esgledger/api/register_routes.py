"""Registers over HTTP (#17): the OHS register's hours and incidents with SLA clocks, and
the whistleblowing register.

Bodies are the dicts ``esg register … --json`` print; reading OHS rows and whistleblowing
counts needs ``kpis.read`` everywhere (the rows are the figures' evidence across entities);
whistleblowing cases need ``cases.read`` and their moves ``cases.handle`` (compliance
officers only).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, WriterDep, as_json
from esgledger.auth.permissions import require
from esgledger.ledger.models import utcnow
from esgledger.registers import whistle
from esgledger.registers.listing import MAX_LIMIT, list_hours, list_incidents
from esgledger.registers.whistle_listing import case_counts, case_dict, list_cases

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


WRITE_ERRORS = s.problems(400, 401, 403, 404, 409, 422)


@router.get(
    "/registers/whistleblowing/counts",
    tags=["registers"],
    summary="Whistleblowing cases counted by type, channel, state and outcome (no content)",
    response_model=s.WhistleCounts,
    responses=ERRORS,
)
def whistle_counts(session: SessionDep, user: UserDep, year: YearQuery = None) -> Response:
    return as_json(case_counts(session, user, year=year))


@router.get(
    "/registers/whistleblowing/cases",
    tags=["registers"],
    summary="Whistleblowing cases with their content (compliance officers only)",
    response_model=s.WhistleCasePage,
    responses=ERRORS,
)
def whistle_cases(
    session: SessionDep,
    user: UserDep,
    year: YearQuery = None,
    state: Annotated[str | None, Query(max_length=20, description="Only this state.")] = None,
    type: Annotated[str | None, Query(max_length=20, description="Only this case type.")] = None,
    overdue: Annotated[bool, Query(description="Only cases past their SLA.")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")] = 100,
) -> Response:
    return as_json(
        list_cases(
            session, user, year=year, state=state, case_type=type, overdue=overdue, limit=limit
        )
    )


@router.post(
    "/registers/whistleblowing/links",
    tags=["registers"],
    status_code=201,
    summary="Issue one-time intake links for an entity and channel (tokens shown once)",
    response_model=s.WhistleLinks,
    responses=WRITE_ERRORS,
)
def whistle_links(body: s.WhistleLinksBody, write: WriterDep) -> Response:
    with write() as (session, user):
        tokens = whistle.issue_links(
            session, user, entity=body.entity, channel=body.channel, count=body.count
        )
    out = as_json({"entity": body.entity, "channel": body.channel, "tokens": tokens})
    out.status_code = 201
    return out


@router.post(
    "/registers/whistleblowing/cases/{code}/move",
    tags=["registers"],
    summary="Move a case to its next state (triage, investigation, outcome, closure, follow-up)",
    response_model=s.WhistleCase,
    responses=WRITE_ERRORS,
)
def whistle_move(
    code: Annotated[str, Path(max_length=16)], body: s.WhistleMoveBody, write: WriterDep
) -> Response:
    step = whistle.Step(
        body.state, body.investigator, body.outcome, body.corrective_action, body.note
    )
    with write() as (session, user):
        case = whistle.advance(session, user, code=code, step=step, seen_version=body.version)
        data = case_dict(case, utcnow())
    return as_json(data)
