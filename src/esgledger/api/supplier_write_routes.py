"""The supplier register over HTTP (write): register files (suppliers, sites, contacts,
agreements, certifications), CMRT/EMRT files, audits, findings and their moves, screenings,
tiers and questionnaire links — the services ``esg suppliers …`` calls, under
``suppliers.write`` (admins, ESG managers and supplier managers).

Each request is one write transaction (:data:`WriterDep`); a finding moves only from the
version the caller saw (409 otherwise), as ``esg suppliers finding move --if-version``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from pydantic import Field

from esgledger.api import schemas as s
from esgledger.api.deps import WriterDep, as_json, uploaded
from esgledger.auth.permissions import require
from esgledger.suppliers import audits, saq
from esgledger.suppliers.gate import screen
from esgledger.suppliers.minerals_import import import_declaration
from esgledger.suppliers.policy import DEFAULT
from esgledger.suppliers.register import known_ids
from esgledger.suppliers.register_import import import_register
from esgledger.suppliers.tiering import record_tiers

router = APIRouter()
WRITE_ERRORS = s.problems(400, 401, 403, 404, 409, 422)
AuditId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Audit id.")]
FindingId = Annotated[int, Path(ge=1, le=2**63 - 1, description="Finding id.")]
UPLOAD_ERRORS = s.problems(400, 401, 403, 404, 409, 413, 422)
Kind = Annotated[str, Path(max_length=32, description="suppliers, sites, contacts, agreements "
                           "or certifications.")]  # fmt: skip
Suppliers = Annotated[list[s.Name], Field(max_length=5000, description="Supplier ids.")]


class AuditPlanBody(s.Body):
    """`esg suppliers audit plan`."""

    supplier: s.Name
    planned_on: dt.date
    auditor: s.Name
    mode: s.Name = "on-site"
    site: s.Name | None = None


class AuditReportBody(s.Body):
    """`esg suppliers audit report`: the day audited and the day of the final report."""

    done_on: dt.date
    report_on: dt.date


class FindingBody(s.Body):
    """`esg suppliers finding add`."""

    grade: s.Name
    family: s.Name
    text: s.Text


class FindingMoveBody(s.Body):
    """`esg suppliers finding move`: the next state, from the version you saw."""

    version: s.Version
    state: s.Name
    root_cause: s.Text | None = None
    corrective: s.Text | None = None
    preventive: s.Text | None = None
    planned_completion: dt.date | None = None
    on: dt.date | None = None


class SuppliersBody(s.Body):
    """Suppliers to screen or tier (all when empty) on a day, with the default policy."""

    suppliers: Suppliers = Field(default_factory=list)
    on: dt.date


class SendBody(s.Body):
    """`esg suppliers saq send`."""

    suppliers: Annotated[list[s.Name], Field(min_length=1, max_length=5000)]
    days: Annotated[int, Field(ge=1, le=saq.MAX_DAYS)] = 30
    reissue: bool = False


def _created(data: Any) -> Response:
    out = as_json(data)
    out.status_code = 201
    return out


@router.post(
    "/supplier-audits",
    tags=["suppliers"],
    status_code=201,
    summary="Plan an audit of a supplier (or one of its sites)",
    response_model=dict[str, Any],
    responses=WRITE_ERRORS,
)
def plan_audit(body: AuditPlanBody, write: WriterDep) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        row = audits.plan_audit(
            session, supplier=body.supplier, planned_on=body.planned_on, mode=body.mode,
            auditor=body.auditor, site=body.site, actor=user.username,
        )  # fmt: skip
        data = audits.audit_dict(row)
    return _created(data)


@router.post(
    "/supplier-audits/{audit_id}/report",
    tags=["suppliers"],
    summary="Mark an audit done; its findings' plan due dates run from the report's day",
    response_model=dict[str, Any],
    responses=WRITE_ERRORS,
)
def report_audit(audit_id: AuditId, body: AuditReportBody, write: WriterDep) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        row = audits.report_audit(
            session, audit_id, done_on=body.done_on, report_on=body.report_on,
            actor=user.username,
        )  # fmt: skip
        data = audits.audit_dict(row)
    return as_json(data)


@router.post(
    "/supplier-audits/{audit_id}/findings",
    tags=["suppliers"],
    status_code=201,
    summary="Record a finding of an audit (graded Priority, Major or Minor)",
    response_model=dict[str, Any],
    responses=WRITE_ERRORS,
)
def add_finding(audit_id: AuditId, body: FindingBody, write: WriterDep) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        finding = audits.add_finding(
            session, audit_id, grade=body.grade, family=body.family, text=body.text,
            actor=user.username,
        )  # fmt: skip
        data = audits.finding_dict(finding, audits.get_audit(session, audit_id))
    return _created(data)


@router.post(
    "/supplier-findings/{finding_id}/move",
    tags=["suppliers"],
    summary="Move a finding to its next state (plan, approval, rejection, verified closure)",
    response_model=dict[str, Any],
    responses=WRITE_ERRORS,
)
def move_finding(finding_id: FindingId, body: FindingMoveBody, write: WriterDep) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        finding = audits.move_finding(
            session, finding_id, body.state, actor=user.username, version=body.version,
            on=body.on, root_cause=body.root_cause, corrective=body.corrective,
            preventive=body.preventive, planned_completion=body.planned_completion,
        )  # fmt: skip
        data = audits.finding_dict(finding, audits.get_audit(session, finding.audit_id))
    return as_json(data)


@router.post(
    "/supplier-screenings",
    tags=["suppliers"],
    summary="Screen suppliers at the onboarding gate (default policy) and store the results",
    response_model=list[dict[str, Any]],
    responses=WRITE_ERRORS,
)
def record_screenings(body: SuppliersBody, write: WriterDep) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        ids = known_ids(session, body.suppliers or None)
        data = [r.as_dict() for r in screen(session, DEFAULT, ids, on=body.on, actor=user.username)]
    return as_json(data)


@router.post(
    "/supplier-tiers",
    tags=["suppliers"],
    summary="Score risk tiers (default policy); a tier is stored when it changes",
    response_model=list[dict[str, Any]],
    responses=WRITE_ERRORS,
)
def record_supplier_tiers(body: SuppliersBody, write: WriterDep) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        found = record_tiers(
            session, DEFAULT, on=body.on, actor=user.username,
            supplier_ids=body.suppliers or None,
        )  # fmt: skip
        data = [r.as_dict() for r in found]
    return as_json(data)


@router.post(
    "/supplier-questionnaires/{name}/links",
    tags=["suppliers"],
    status_code=201,
    summary="Send a questionnaire: one-time links for suppliers (tokens shown once)",
    response_model=list[dict[str, str]],
    responses=WRITE_ERRORS,
)
def send_questionnaire(
    name: Annotated[str, Path(max_length=100, description="Questionnaire name.")],
    body: SendBody,
    write: WriterDep,
) -> Response:
    with write() as (session, user):
        require(user, "suppliers.write")
        issued = saq.send(
            session, name, list(body.suppliers), days=body.days, actor=user.username,
            reissue=body.reissue,
        )  # fmt: skip
    return _created(issued)


@router.post(
    "/supplier-imports/{kind}",
    tags=["suppliers"],
    summary="Add and update register rows from a CSV/XLSX file, all or nothing",
    description="As `esg suppliers import KIND FILE`: a refused file is a 422 naming each bad "
    "row and column, and nothing is stored.",
    response_model=dict[str, Any],
    responses=UPLOAD_ERRORS,
)
def import_register_file(
    request: Request,
    kind: Kind,
    write: WriterDep,
    file: Annotated[UploadFile, File(description="CSV or XLSX file.")],
    sheet: Annotated[str | None, Form(max_length=100, description="XLSX sheet.")] = None,
) -> Response:
    user = write.principal()
    require(user, "suppliers.write")
    with uploaded(file, suffixes=(".csv", ".xlsx")) as path:
        result = import_register(
            request.app.state.db, path, kind=kind, actor=user.username, sheet=sheet or None
        )
    return as_json(result.as_dict())


@router.post(
    "/suppliers/{supplier_id}/declarations",
    tags=["suppliers"],
    summary="Check and store a supplier's CMRT/EMRT file, all or nothing",
    description="As `esg suppliers cmrt import SUPPLIER FILE`: a refused file is a 422 naming "
    "sheet, row and column of each problem; warnings are stored with the declaration.",
    response_model=dict[str, Any],
    responses=UPLOAD_ERRORS,
)
def import_cmrt_file(
    request: Request,
    supplier_id: Annotated[str, Path(max_length=64, description="Supplier id.")],
    write: WriterDep,
    file: Annotated[UploadFile, File(description="The CMRT or EMRT XLSX file.")],
) -> Response:
    user = write.principal()
    require(user, "suppliers.write")
    with uploaded(file, suffixes=(".xlsx",)) as path:
        result = import_declaration(
            request.app.state.db, path, supplier=supplier_id, actor=user.username
        )
    return as_json(result.as_dict())
