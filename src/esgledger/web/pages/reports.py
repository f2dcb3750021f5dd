"""Reports: the published editions kept in the ledger, and previews on demand.

A published file (``esg report`` archives every publication) is sent byte for byte, its
SHA-256 checked first. A preview runs the disclose pipeline for a year with the ledger's
current figures, in the background (:mod:`esgledger.web.previews`): the download link
starts the job, or joins the one for the same ledger state, and a status page refreshes
itself until the file is ready. A year without data is refused with a page saying so.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from esgledger.auth.permissions import require
from esgledger.disclose.archive import MEDIA_TYPES, get_published, list_published, published_dict
from esgledger.errors import InvalidInput, NotFound
from esgledger.http_shared.downloads import attachment
from esgledger.settings import get_settings
from esgledger.web import views
from esgledger.web.deps import UserDep, database
from esgledger.web.previews import Preview, PreviewJobs
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query()]


@router.get("/reports")
def reports(request: Request, user: UserDep) -> Response:
    """Years with data, each with its report in every format."""
    require(user, "reports.read")
    with database(request).read() as session:
        _year, years = views.pick_year(session, None)
        published = [published_dict(r) for r in list_published(session)]
    context = {"years": years, "formats": list(MEDIA_TYPES), "published": published}
    return render(request, "reports.html", context)


@router.get("/reports/{report_id}/file")
def published_file(request: Request, user: UserDep, report_id: str) -> Response:
    """One published file as it was published."""
    require(user, "reports.read")
    number = views.query_int(report_id, "report file id", 1, 2**31 - 1)
    with database(request).read() as session:
        row = get_published(session, number or 0)
        return Response(
            row.content,
            media_type=row.media_type,
            headers={**attachment(row.filename), "X-Content-SHA256": row.sha256},
        )


_JOBS_LOCK = threading.Lock()
FAILED_STATUS = 422  # the status page of a preview that could not be rendered


def preview_jobs(request: Request) -> PreviewJobs:
    """The app's preview jobs, made on first use."""
    with _JOBS_LOCK:
        jobs = getattr(request.app.state, "previews", None)
        if jobs is None:
            jobs = PreviewJobs(database(request), get_settings().preview_workers)
            request.app.state.previews = jobs
    return jobs


def _asked(year: str | None, format: str | None) -> tuple[int, str]:
    chosen = views.query_int(year, "year", 1900, 2100)
    if chosen is None:
        raise InvalidInput("give the report's year, e.g. /reports/download?year=2025&format=pdf")
    kind = (format or "html").strip().lower()
    if kind not in MEDIA_TYPES:
        raise InvalidInput(f"format {format!r}: use html, pdf or xlsx")
    return chosen, kind


def _status_url(job: Preview) -> str:
    return f"/reports/preview/{job.id}"


@router.get("/reports/download")
def download(request: Request, user: UserDep, year: Text = None, format: Text = None) -> Response:
    """The preview of ``year`` in ``format`` (html, pdf or xlsx): the file when this ledger
    state's preview is ready, else its status page (the job starts if none runs)."""
    require(user, "reports.read")
    chosen, kind = _asked(year, format)
    with database(request).read() as session:
        _year, years = views.pick_year(session, None)
    if chosen not in years:
        offered = ", ".join(str(y) for y in years) or "none yet"
        raise InvalidInput(
            f"no report for {chosen}: the ledger has no KPI values, activity data or "
            f"calculation run for that year (years with data: {offered})"
        )
    job = preview_jobs(request).start(chosen, kind)
    if job.state == "done":
        return _file(job)
    return RedirectResponse(_status_url(job), status_code=303)


def _job(request: Request, ident: str) -> Preview:
    job = preview_jobs(request).get(ident)
    if job is None:
        raise NotFound("no such preview (the server may have restarted); start it again "
                       "from the reports page")  # fmt: skip
    return job


@router.get("/reports/preview/{ident}")
def preview_status(request: Request, user: UserDep, ident: str) -> Response:
    """Where a preview stands; refreshes itself until it is ready or has failed."""
    require(user, "reports.read")
    job = _job(request, ident)
    status = FAILED_STATUS if job.state == "failed" else 200
    context = {"job": job, "file_url": f"{_status_url(job)}/file"}
    return render(request, "reports_preview.html", context, status=status)


@router.get("/reports/preview/{ident}/file")
def preview_file(request: Request, user: UserDep, ident: str) -> Response:
    """The finished preview file; its status page while it is not ready."""
    require(user, "reports.read")
    job = _job(request, ident)
    if job.state != "done":
        return RedirectResponse(_status_url(job), status_code=303)
    return _file(job)


def _file(job: Preview) -> Response:
    assert job.path is not None
    return FileResponse(
        job.path, media_type=MEDIA_TYPES[job.format], headers=attachment(job.filename)
    )
