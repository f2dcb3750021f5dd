"""The OHS safety registers over HTTP (#17): hazards, emergency drills and special-operation
posts, filtered, searched and paged. Bodies are the dicts ``esg register ohs hazards|drills|
operators --json`` print; reading needs ``kpis.read`` (the rows are the figures' evidence
across entities); the routes are :func:`~esgledger.api.list_routes.list_route`'s."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from esgledger.api import schemas as s
from esgledger.api.list_routes import list_route
from esgledger.registers.ohs_safety_listing import list_drills, list_hazards, list_operators

router = APIRouter()


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


list_route(
    router,
    "/registers/ohs/hazards",
    name="hazards",
    summary="Hazards identified, newest first, with risk level and correction",
    response_model=HazardPage,
    lister=list_hazards,
    filters={
        "state": Annotated[
            Literal["open", "corrected"] | None,
            Query(description="Open or corrected at its end."),
        ]
    },
)
list_route(
    router,
    "/registers/ohs/drills",
    name="drills",
    summary="Emergency drills, newest first",
    response_model=DrillPage,
    lister=list_drills,
)
list_route(
    router,
    "/registers/ohs/operators",
    name="operators",
    summary="Special-operation workers' posts with their certificate's status",
    response_model=OperatorPage,
    lister=list_operators,
    filters={
        "certified": Annotated[
            bool | None,
            Query(description="Only posts with (true) or without (false) a valid one."),
        ]
    },
    year_help="Posts held on its last day.",
)
