"""Complaints and vulnerabilities moved over HTTP (#17): the next state along the register's
flow, with the version the caller saw. The same rules as every other write path
(:mod:`esgledger.registers.line_moves`): ``kpis.write`` on the row's entity, a locked year
refused, one write transaction (a refusal writes nothing), audit-logged under the user.
Bodies answer with the row as ``GET /registers/complaints|vulnerabilities`` lists it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from pydantic import Field

from esgledger.api import schemas as s
from esgledger.api.deps import WriterDep, as_json
from esgledger.api.service_routes import Complaint, Vulnerability
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import slas
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.line_moves import move_row
from esgledger.registers.staged import StagedRegister
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES

router = APIRouter()
ERRORS = s.problems(401, 403, 404, 409, 422)
Ref = Annotated[str, Path(max_length=64, description="The row's ref.")]
Note = Annotated[str, Field(max_length=8000, description="Why (kept in the audit log).")]


class MoveBody(s.Body):
    """The next state and the version you saw."""

    version: s.Version
    state: Annotated[str, Field(max_length=24)]
    note: Note = ""


class VulnerabilityMoveBody(MoveBody):
    cve_id: Annotated[str, Field(max_length=32, description="When publishing the advisory.")] = ""


def _moved(
    write: WriterDep, reg: StagedRegister, ref: str, body: MoveBody, **extra: str
) -> Response:
    """Move ``ref`` for the caller and answer with the row as the register lists it."""
    with write() as (session, user):
        row = move_row(
            session, user, reg.register, ref=ref, target=body.state, seen_version=body.version,
            note=body.note, **extra,
        )  # fmt: skip
        data = reg.as_dict(row, slas(session, reg.register), utcnow())
    return as_json(data)


@router.post(
    "/registers/complaints/{ref}/move",
    tags=["registers"],
    summary="Move a complaint to its next state (assign, process, return visit, file, close)",
    response_model=Complaint,
    responses=ERRORS,
)
def move_complaint(ref: Ref, body: MoveBody, write: WriterDep) -> Response:
    return _moved(write, COMPLAINTS, ref, body)


@router.post(
    "/registers/vulnerabilities/{ref}/move",
    tags=["registers"],
    summary="Move a vulnerability to its next state (triage, fix, advisory with its CVE id)",
    response_model=Vulnerability,
    responses=ERRORS,
)
def move_vulnerability(ref: Ref, body: VulnerabilityMoveBody, write: WriterDep) -> Response:
    return _moved(write, VULNERABILITIES, ref, body, cve_id=body.cve_id)
