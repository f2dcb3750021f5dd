"""Assessments over HTTP (read): materiality assessments and matrices, risks, targets.

Bodies are the dicts ``esg materiality|risk|targets … --json`` print; every endpoint needs
``assessments.read``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.assess import approval, matrix, risk_settings
from esgledger.assess import materiality as mat
from esgledger.assess import risk as reg
from esgledger.assess import targets as tg
from esgledger.auth.permissions import require
from esgledger.errors import InvalidInput

router = APIRouter()
ERRORS = s.problems(401, 403, 404, 422)
YearPath = Annotated[int, Path(ge=1900, le=2100, description="Reporting year.")]


@router.get(
    "/materiality",
    tags=["assessments"],
    summary="Materiality assessments",
    response_model=list[s.Assessment],
    responses=ERRORS,
)
def materiality_list(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")] = None,
) -> Response:
    require(user, "assessments.read")
    return as_json(
        [mat.assessment_dict(session, a) for a in mat.list_assessments(session, year=year)]
    )


@router.get(
    "/materiality/{year}",
    tags=["assessments"],
    summary="One assessment's matrix: per topic its scores, classes and robustness",
    response_model=s.MaterialityMatrix,
    responses=ERRORS,
)
def materiality_show(
    year: YearPath,
    session: SessionDep,
    user: UserDep,
    name: Annotated[
        str | None, Query(max_length=200, description="Which one, when the year has several.")
    ] = None,
) -> Response:
    require(user, "assessments.read")
    a = mat.get_assessment(session, year, name)
    out = matrix.show(session, a)
    out["approvals"] = approval.approvals_of(session, a)
    return as_json(out)


@router.get(
    "/risks",
    tags=["assessments"],
    summary="The risk register with scores and levels under the current matrix",
    response_model=list[s.Risk],
    responses=ERRORS,
)
def risks(
    session: SessionDep,
    user: UserDep,
    level: Annotated[str | None, Query(max_length=20, description="high, medium or low.")] = None,
    category: Annotated[
        str | None, Query(max_length=200, description="Category (and below).")
    ] = None,
    closed: Annotated[bool, Query(description="Include closed risks.")] = False,
) -> Response:
    require(user, "assessments.read")
    return as_json(reg.list_risks(session, level=level, category=category, include_closed=closed))


@router.get(
    "/risks/{code}",
    tags=["assessments"],
    summary="One risk with its full history of versions",
    response_model=s.Risk,
    responses=ERRORS,
)
def risk_one(
    code: Annotated[str, Path(max_length=100)], session: SessionDep, user: UserDep
) -> Response:
    require(user, "assessments.read")
    out = reg.risk_dict(reg.get_risk(session, code), risk_settings.get_matrix(session))
    out["history"] = reg.history(session, code)
    return as_json(out)


@router.get(
    "/targets",
    tags=["assessments"],
    summary="Targets",
    response_model=list[s.TargetOut],
    responses=ERRORS,
)
def targets(session: SessionDep, user: UserDep) -> Response:
    require(user, "assessments.read")
    return as_json([tg.target_dict(t) for t in tg.list_targets(session)])


@router.get(
    "/targets/progress",
    tags=["assessments"],
    summary="Progress per target and year: actual, pathway value, on track, status",
    response_model=list[s.TargetProgress],
    responses=ERRORS,
)
def targets_progress(
    session: SessionDep,
    user: UserDep,
    year: Annotated[
        list[int], Query(min_length=1, max_length=30, description="Year(s) to assess (repeat).")
    ],
    target: Annotated[str | None, Query(max_length=100, description="Only this target.")] = None,
) -> Response:
    require(user, "assessments.read")
    if any(not 1900 <= y <= 2100 for y in year):
        raise InvalidInput("year: give reporting years between 1900 and 2100")
    return as_json(tg.progress(session, years=year, code=target))
