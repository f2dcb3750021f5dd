"""The offline path: download the XLSX collection template, upload it filled.

The same services as ``esg template`` and ``esg request upload``: the workbook is written by
:func:`build_template`, and the upload goes through :func:`upload_values`, all or nothing,
so a bad file is refused whole with the first problems on one line and nothing stored.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from esgledger.auth.permissions import MATRIX, Principal, require
from esgledger.errors import Conflict, ImportRejected, InvalidInput, NotFound
from esgledger.http_shared.downloads import attachment
from esgledger.web.deps import FormDep, UserDep, database
from esgledger.web.language import chosen, page_gettext
from esgledger.web.page_messages import page_error, refused_workbook
from esgledger.web.templating import render
from esgledger.workflow.file_names import file_name
from esgledger.workflow.templates import build_template, open_years
from esgledger.workflow.values import upload_values

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN = 3  # problems spelled out in the one-line refusal
COUNTS = ("added", "updated", "restated", "unchanged")


def owner_scope(user: Principal) -> str | None:
    """Whose requests a template covers: a data owner gets their own; managers and admins
    (who may enter anywhere) all open requests; everyone else is refused."""
    grants = MATRIX.get(user.role)
    if grants is not None and "request.enter" in grants.scoped:
        return user.username
    require(user, "request.enter")
    return None


def _page(
    request: Request,
    user: Principal,
    *,
    year: str = "",
    flash: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    """The form; the year offered first is the newest with the user's open requests (the
    one being collected), never a guess from the calendar."""
    with database(request).read() as session:
        years = open_years(session, owner=owner_scope(user))
    context: dict[str, Any] = {
        "years": years,
        "year": year or (str(years[0][0]) if years else ""),
        "flash": error or flash,
        "flash_kind": "error" if error else "ok",
    }
    return render(request, "requests_upload.html", context, status=status)


def _nothing_open(year: str, owner: str | None) -> str:
    """Why there is no template, in words for an owner (no command to run)."""
    whose = "of yours " if owner else ""
    return (
        f"no open data requests {whose}for {year}: nothing to fill; "
        "the ESG team issues requests, and returned ones reopen here"
    )


def _uploaded_message(request: Request) -> str:
    params = request.query_params
    if params.get("done") != "uploaded":
        return ""
    counts = {k: params.get(k, "") for k in COUNTS}
    if not all(v.isdigit() for v in counts.values()):
        return ""
    return page_gettext(
        request,
        "Workbook stored: %(added)s added, %(updated)s updated, %(restated)s restated, "
        "%(unchanged)s unchanged.",
        **{k: int(v) for k, v in counts.items()},
    )


@router.get("/upload")
def upload_form(request: Request, user: UserDep) -> Response:
    owner_scope(user)
    return _page(request, user, flash=_uploaded_message(request))


@router.get("/template")
def template_download(request: Request, user: UserDep) -> Response:
    owner = owner_scope(user)
    year = (request.query_params.get("year") or "").strip()
    if not year.isdigit():
        return _page(
            request,
            user,
            year=year,
            error=page_gettext(request, "choose the reporting year"),
            status=422,
        )
    try:
        with database(request).read() as session:
            wb = build_template(session, year=int(year), owner=owner)
    except NotFound:
        return _page(request, user, year=year, error=_nothing_open(year, owner), status=404)
    buffer = io.BytesIO()
    wb.save(buffer)
    name = f"esg-template-{year}{'-' + owner if owner else ''}.xlsx"
    return Response(buffer.getvalue(), media_type=XLSX, headers=attachment(name))


@router.post("/upload")
def upload_submit(request: Request, user: UserDep, form: FormDep) -> Response:
    owner_scope(user)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(
            request,
            user,
            error=page_gettext(request, "choose the filled workbook to upload"),
            status=422,
        )
    try:
        name = file_name(upload.filename)
    except InvalidInput as exc:
        return _page(request, user, error=str(exc), status=422)
    if name.strip(".") == "":
        name = "upload.xlsx"
    try:
        with tempfile.TemporaryDirectory(prefix="esg-upload-") as folder:
            path = Path(folder) / name
            path.write_bytes(upload.file.read())
            with database(request).write() as session:
                result = upload_values(session, user, path)
    except ImportRejected as exc:
        return _page(request, user, error=refused_workbook(exc, chosen(request), SHOWN), status=422)
    except (InvalidInput, Conflict, NotFound) as exc:
        status = 409 if isinstance(exc, Conflict) else 422
        first = page_error(exc, chosen(request)).splitlines()[0]
        return _page(request, user, error=first, status=status)
    query = "&".join(f"{k}={result[k]}" for k in COUNTS)
    return RedirectResponse(f"/upload?done=uploaded&{query}", status_code=303)
