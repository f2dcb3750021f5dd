"""Data requests over HTTP: list and read them, issue, enter, review, lock, evidence, templates.

Every endpoint calls the same workflow service as ``esg request …`` (which checks the
permission, the version seen and the state machine) and answers with the same dict as
``--json``. Writes run in one transaction per request (:data:`~esgledger.api.deps.WriterDep`)
that commits before the response is sent: a 2xx means the change is stored, an error means
nothing was.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, Response, UploadFile

from esgledger.api import schemas as s
from esgledger.api.deps import (
    SessionDep,
    UserDep,
    Writer,
    WriterDep,
    as_json,
    require_some,
    uploaded,
)
from esgledger.auth.permissions import Principal, can, require
from esgledger.http_shared.downloads import attachment
from esgledger.http_shared.paging import list_query, with_page_headers
from esgledger.ledger.listing import ListParams
from esgledger.workflow import evidence as ev
from esgledger.workflow import review
from esgledger.workflow.held_answer import Held, held_answer, with_names
from esgledger.workflow.request_list import (
    DEFAULT_SORT,
    SORT_KEYS,
    RequestFilter,
    page_requests,
    request_dicts,
)
from esgledger.workflow.requests import (
    get_request,
    issue_requests,
    owner_id_for,
    request_dict,
    request_history,
)
from esgledger.workflow.templates import build_template
from esgledger.workflow.values import enter_value, upload_values

router = APIRouter(tags=["requests"])

RequestId = Annotated[
    int, Path(ge=1, le=s.MAX_ID, description="Request id (from `GET /requests`).")
]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Only this reporting year.")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ_ERRORS = s.problems(401, 403, 404, 422)
WRITE_ERRORS = s.problems(400, 401, 403, 404, 409, 422)


def _answer(write: Writer, req_id: int, held: Held | None = None) -> Response:
    """The request after a write, read once the write committed: shaping the answer (names,
    the current value) need not hold the writer's lock, and the answer is the stored state.
    ``held``: the fields the write held (:mod:`esgledger.workflow.held_answer`), so only the
    names are read."""
    with write.database.read() as session:
        if held is not None:
            return as_json(with_names(session, held))
        return as_json(request_dict(session, get_request(session, req_id)))


RequestList = Annotated[ListParams, Depends(list_query(tuple(SORT_KEYS), DEFAULT_SORT))]
PAGED = "One page (`limit`, `page`); `Link` (RFC 8288) and `X-Total-Count` headers page on."


@router.get(
    "/requests",
    summary="Data requests you may read, with state, value and version, one page at a time",
    description=PAGED,
    response_model=list[s.DataRequest],
    responses=READ_ERRORS,
)
def requests_list(
    request: Request,
    session: SessionDep,
    user: UserDep,
    params: RequestList,
    year: Year = None,
    state: Annotated[str | None, Query(max_length=20, description="Only this state.")] = None,
    owner: Annotated[str | None, Query(max_length=64, description="Only this owner's.")] = None,
    entity: Annotated[
        str | None, Query(max_length=100, description="Only this entity's subtree.")
    ] = None,
    metric: Annotated[str | None, Query(max_length=200, description="Only this metric.")] = None,
) -> Response:
    require_some(user, "requests.read")
    wanted = RequestFilter(
        year=year, state=state, entity=entity, metric=metric,
        owner_id=owner_id_for(session, user, owner) if owner else None,
    )  # fmt: skip
    found = page_requests(session, user, wanted, params)
    return with_page_headers(as_json(request_dicts(session, found.rows)), request.url, found)


@router.get(
    "/requests/overdue",
    summary="Requests past their due date and not yet approved, one page at a time",
    description=PAGED,
    response_model=list[s.DataRequest],
    responses=READ_ERRORS,
)
def requests_overdue(
    request: Request,
    session: SessionDep,
    user: UserDep,
    params: RequestList,
    year: Year = None,
    today: Annotated[dt.date | None, Query(description="Count from this date.")] = None,
) -> Response:
    require_some(user, "requests.read")
    wanted = RequestFilter(year=year, overdue_on=today or dt.date.today())
    found = page_requests(session, user, wanted, params)
    body = as_json(request_dicts(session, found.rows, today=today))
    return with_page_headers(body, request.url, found)


@router.get(
    "/requests/template",
    summary="The XLSX collection template of open requests (an owner's or an entity's)",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "The workbook."}, **READ_ERRORS},
)
def requests_template(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int, Query(ge=1900, le=2100, description="Reporting year.")],
    owner: Annotated[
        str | None, Query(max_length=64, description="Only this owner's (data owners: own).")
    ] = None,
    entity: Annotated[
        str | None, Query(max_length=100, description="Only this entity and below.")
    ] = None,
) -> Response:
    _may_template(user, owner, entity)
    if not can(user, "requests.read") and owner is None and entity is None:
        owner = user.username
    wb = build_template(session, year=year, owner=owner, entity=entity)
    buffer = io.BytesIO()
    wb.save(buffer)
    name = f"requests-{year}{'-' + owner if owner else ''}{'-' + entity if entity else ''}.xlsx"
    return Response(buffer.getvalue(), media_type=XLSX, headers=attachment(name))


def _may_template(user: Principal, owner: str | None, entity: str | None) -> None:
    """Readers of every request may fetch any template; a data owner their own or a granted
    entity's (the template lists the requests and last year's values)."""
    if can(user, "requests.read"):
        return
    if entity is not None:
        require(user, "requests.read", entity=entity)
    elif owner is not None and owner.strip().lower() != user.username:
        require(user, "requests.read")
    else:
        require_some(user, "requests.read")


@router.get(
    "/requests/{request_id}",
    summary="One request with its value, comments, evidence files and history",
    response_model=s.DataRequestDetail,
    responses=READ_ERRORS,
)
def request_one(request_id: RequestId, session: SessionDep, user: UserDep) -> Response:
    req = get_request(session, request_id)
    require(user, "requests.read", entity=req.entity_id)
    files = [ev.evidence_dict(f) for f in ev.list_evidence(session, user, request_id)]
    return as_json(
        {
            **request_dict(session, req),
            "comments": review.comments(session, request_id),
            "evidence": files,
            "history": request_history(session, request_id),
        }
    )


@router.post(
    "/requests",
    status_code=201,
    summary="Issue requests for every metric × entity (existing ones are left as they are)",
    response_model=s.IssueResult,
    responses=WRITE_ERRORS,
)
def requests_issue(body: s.IssueBody, write: WriterDep) -> Response:
    with write() as (session, user):
        result = issue_requests(
            session,
            user,
            year=body.year,
            metrics=body.metrics,
            owner=body.owner,
            due=body.due,
            entities=body.entities,
            boundary=body.boundary,
            subtree_of=body.subtree,
            reviewer=body.reviewer,
            breakdowns=body.breakdowns,
            instructions=body.instructions,
        )
    out = as_json(result)
    out.status_code = 201
    return out


@router.post(
    "/requests/{request_id}/value",
    summary="Enter or correct the value of a draft or returned request",
    response_model=s.DataRequest,
    responses=WRITE_ERRORS,
)
def request_enter(request_id: RequestId, body: s.ValueBody, write: WriterDep) -> Response:
    with write() as (session, user):
        req = enter_value(
            session,
            user,
            request_id,
            version=body.version,
            value=body.value,
            unit=body.unit,
            status=body.status,
            qualifier=body.qualifier,
            preliminary=body.preliminary,
            note=body.note,
            source=body.source,
            reason=body.reason,
        )
        held = held_answer(session, req)  # no SQL: what the write holds
    return _answer(write, request_id, held)


def _step(name: str, summary: str) -> None:
    def endpoint(request_id: RequestId, body: s.VersionBody, write: WriterDep) -> Response:
        with write() as (session, user):
            getattr(review, name)(session, user, request_id, version=body.version)
        return _answer(write, request_id)

    endpoint.__name__ = f"request_{name}"
    endpoint.__doc__ = summary
    router.post(
        f"/requests/{{request_id}}/{name}",
        summary=summary,
        response_model=s.DataRequest,
        responses=WRITE_ERRORS,
    )(endpoint)


_step("submit", "Submit the current value for review")
_step("approve", "Approve a submitted value (the assigned reviewer or an admin; not your own)")
_step("lock", "Lock an approved value: later changes must be restatements")


@router.post(
    "/requests/{request_id}/return",
    summary="Return a submitted or approved request to its owner with a comment",
    response_model=s.DataRequest,
    responses=WRITE_ERRORS,
)
def request_return(request_id: RequestId, body: s.ReturnBody, write: WriterDep) -> Response:
    with write() as (session, user):
        review.return_request(session, user, request_id, version=body.version, comment=body.comment)
    return _answer(write, request_id)


@router.post(
    "/requests/{request_id}/restate",
    summary="Restate a locked value with a reason: the old one stays as history",
    response_model=s.DataRequest,
    responses=WRITE_ERRORS,
)
def request_restate(request_id: RequestId, body: s.RestateBody, write: WriterDep) -> Response:
    with write() as (session, user):
        review.restate(
            session,
            user,
            request_id,
            version=body.version,
            value=body.value,
            unit=body.unit,
            reason=body.reason,
            status=body.status,
            note=body.note,
        )
    return _answer(write, request_id)


@router.post(
    "/requests/{request_id}/comments",
    status_code=201,
    summary="Add a comment to a request (no state change)",
    response_model=s.Comment,
    responses=WRITE_ERRORS,
)
def request_comment(request_id: RequestId, body: s.CommentBody, write: WriterDep) -> Response:
    with write() as (session, user):
        row = review.comment(session, user, request_id, body.body)
        result: dict[str, Any] = {
            "author": row.author,
            "kind": row.kind,
            "body": row.body,
            "at": row.created_at.isoformat(timespec="seconds"),
        }
    out = as_json(result)
    out.status_code = 201
    return out


@router.post(
    "/requests/lock-year",
    summary="Lock every approved request of a year (closing the collection)",
    response_model=s.Locked,
    responses=WRITE_ERRORS,
)
def requests_lock_year(body: s.LockYearBody, write: WriterDep) -> Response:
    with write() as (session, user):
        ids = review.lock_year(session, user, body.year)
    return as_json({"locked": ids})


@router.post(
    "/requests/upload",
    summary="Enter every row of a filled template (or KPI file) into its request, all or nothing",
    response_model=s.UploadResult,
    responses=WRITE_ERRORS,
)
def requests_upload(
    write: WriterDep,
    file: Annotated[UploadFile, File(description="A filled template (.xlsx) or a KPI file.")],
    sheet: Annotated[str | None, Form(max_length=100, description="XLSX sheet.")] = None,
) -> Response:
    with write() as (session, user):
        require_some(user, "request.enter")
        with uploaded(file, suffixes=(".xlsx", ".csv")) as path:
            result = upload_values(session, user, path, sheet=sheet or None)
    return as_json(result)


# ---------------------------------------------------------------------------------------------
# Evidence


@router.get(
    "/requests/{request_id}/evidence",
    tags=["evidence"],
    summary="A request's evidence files (without their bytes)",
    response_model=list[s.Evidence],
    responses=READ_ERRORS,
)
def evidence_list(request_id: RequestId, session: SessionDep, user: UserDep) -> Response:
    return as_json([ev.evidence_dict(f) for f in ev.list_evidence(session, user, request_id)])


@router.post(
    "/requests/{request_id}/evidence",
    tags=["evidence"],
    status_code=201,
    summary="Attach a file to a draft or returned request (stored in the database)",
    response_model=s.Evidence,
    responses=WRITE_ERRORS,
)
def evidence_add(
    request_id: RequestId,
    write: WriterDep,
    file: Annotated[UploadFile, File(description="The evidence file.")],
) -> Response:
    content = file.file.read(ev.MAX_BYTES + 1)
    with write() as (session, user):
        row = ev.add_evidence(
            session,
            user,
            request_id,
            name=file.filename or "",
            content=content,
            media_type=_media_type(file.content_type),
        )
        result = ev.evidence_dict(row)
    out = as_json(result)
    out.status_code = 201
    return out


def _media_type(given: str | None) -> str:
    """The client's media type unless it is the generic one (then guessed from the name)."""
    if not given or given == "application/octet-stream" or len(given) > 100:
        return ""
    return given


@router.get(
    "/evidence/{evidence_id}",
    tags=["evidence"],
    summary="Download an evidence file, byte for byte (its SHA-256 is checked first)",
    response_class=Response,
    responses={
        200: {
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The file, with the media type it was uploaded with.",
        },
        **s.problems(401, 403, 404, 409, 422),
    },
)
def evidence_get(
    evidence_id: Annotated[int, Path(ge=1, le=s.MAX_ID, description="Evidence id.")],
    session: SessionDep,
    user: UserDep,
) -> Response:
    row = ev.get_evidence(session, user, evidence_id)
    headers = {**attachment(row.name), "X-Content-SHA256": row.sha256}
    return Response(row.content, media_type=row.media_type, headers=headers)
