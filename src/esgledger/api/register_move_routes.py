"""Complaints, vulnerabilities and OHS incidents written over HTTP (#17): files imported as
``esg register complaints|vulns import`` and ``esg register ohs import-incidents`` do (NPS
answers and hours worked as ``esg register complaints import-nps`` and ``esg register ohs
import-hours``), and rows moved to the next state along their flow with the version the
caller saw. The same
rules as every other write path (:mod:`esgledger.registers.line_moves`): ``kpis.write`` on
every entity written, a locked year refused, one write transaction (a refused file or move
writes nothing; a bad file is a 422 naming each row and column), audit-logged under the
user. A move answers with the row as the register's ``GET`` lists it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from pydantic import Field

from esgledger.api import schemas as s
from esgledger.api.deps import WriterDep, as_json, require_some, uploaded
from esgledger.api.service_routes import Complaint, Vulnerability
from esgledger.auth.permissions import Principal
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import slas
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.complaints import import_complaints as complaints_file
from esgledger.registers.line_moves import (
    INCIDENTS,
    answers_guard,
    backing,
    hours_guard,
    import_guard,
    move_incident,
    move_row,
)
from esgledger.registers.nps import import_answers
from esgledger.registers.ohs import Imported, import_hours, import_incidents, incident_dict
from esgledger.registers.staged import Guard, StagedRegister
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES
from esgledger.registers.vulnerabilities import import_vulnerabilities as vulnerabilities_file

router = APIRouter()
ERRORS = s.problems(400, 401, 403, 404, 409, 422)  # 400: a body that is not JSON
IMPORT_ERRORS = s.problems(400, 401, 403, 409, 413, 422)
FileField = Annotated[UploadFile, File(description="CSV or XLSX file.")]
SheetField = Annotated[str | None, Form(max_length=100, description="XLSX sheet.")]
Importer = Callable[..., Imported]  # (db, path, *, actor, sheet, guard)


class RegisterImport(s.Out):
    batch_id: int
    added: int
    replaced: int


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


def _import_route(
    path: str, *, name: str, what: str, command: str, run: Importer,
    guard_for: Callable[[Principal], Guard],
) -> None:  # fmt: skip
    """Add ``POST path``: the upload imported for the caller, all or nothing, under the
    write rules (``guard_for``: the file's entities writable, their years' figures not
    locked)."""

    def endpoint(
        request: Request, write: WriterDep, file: FileField, sheet: SheetField = None
    ) -> Response:
        user = write.principal()
        require_some(user, "kpis.write")
        guard = guard_for(user)
        with uploaded(file, suffixes=(".csv", ".xlsx")) as upload:
            done = run(request.app.state.db, upload, actor=user.username, sheet=sheet or None,
                       guard=guard)  # fmt: skip
        return as_json(done.as_dict())

    router.add_api_route(
        path, endpoint, methods=["POST"], name=name, tags=["registers"],
        summary=f"Import {what} from a CSV/XLSX file, all or nothing",
        description=f"As `{command}`: a refused file is a 422 naming each bad row and column, "
        "and nothing is stored.",
        response_model=RegisterImport, responses=IMPORT_ERRORS,
    )  # fmt: skip


_import_route(
    "/registers/complaints/import", name="import_complaints", what="complaints",
    command="esg register complaints import FILE", run=complaints_file,
    guard_for=partial(import_guard, backs=backing(COMPLAINTS), received=COMPLAINTS.received),
)  # fmt: skip
_import_route(
    "/registers/vulnerabilities/import", name="import_vulnerabilities",
    what="product-security vulnerabilities", command="esg register vulns import FILE",
    run=vulnerabilities_file,
    guard_for=partial(import_guard, backs=backing(VULNERABILITIES),
                      received=VULNERABILITIES.received),
)  # fmt: skip
_import_route(
    "/registers/ohs/incidents/import", name="import_ohs_incidents",
    what="OHS incidents (each starts reported)",
    command="esg register ohs import-incidents FILE", run=import_incidents,
    guard_for=partial(import_guard, backs=INCIDENTS, received="occurred_on"),
)  # fmt: skip
_import_route(
    "/registers/ohs/hours/import", name="import_ohs_hours",
    what="hours worked per entity, year and worker type (a stored entity, year and worker "
    "type is replaced)", command="esg register ohs import-hours FILE", run=import_hours,
    guard_for=hours_guard,
)  # fmt: skip
_import_route(
    "/registers/nps/import", name="import_nps_answers",
    what="Net Promoter Score survey answers (added as a survey wave)",
    command="esg register complaints import-nps FILE", run=import_answers, guard_for=answers_guard,
)  # fmt: skip


@router.post(
    "/registers/ohs/incidents/{ref}/move",
    tags=["registers"],
    summary="Move an OHS incident along its flow (investigating, corrective action, closed)",
    response_model=s.OhsIncident,
    responses=ERRORS,
)
def move_ohs_incident(ref: Ref, body: MoveBody, write: WriterDep) -> Response:
    with write() as (session, user):
        row = move_incident(session, user, ref=ref, target=body.state,
                            seen_version=body.version, note=body.note)  # fmt: skip
        data = incident_dict(row, utcnow())
    return as_json(data)
