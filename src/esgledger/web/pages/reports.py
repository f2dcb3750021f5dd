"""Reports: the published editions kept in the ledger, and previews on demand.

A published file (``esg report`` archives every publication) is sent byte for byte, its
SHA-256 checked first. A preview runs the disclose pipeline
(:func:`esgledger.disclose.publish.publish_report`) for a year into a temporary folder and
sends the one file asked for, with the ledger's current figures; it is not archived.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.api.downloads import attachment
from esgledger.auth.permissions import require
from esgledger.disclose.archive import MEDIA_TYPES, get_published, list_published, published_dict
from esgledger.disclose.publish import publish_report
from esgledger.errors import InvalidInput
from esgledger.web import views
from esgledger.web.deps import UserDep, database
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


@router.get("/reports/download")
def download(request: Request, user: UserDep, year: Text = None, format: Text = None) -> Response:
    """The report of ``year`` in ``format`` (html, pdf or xlsx), as an attachment."""
    require(user, "reports.read")
    chosen = views.query_int(year, "year", 1900, 2100)
    if chosen is None:
        raise InvalidInput("give the report's year, e.g. /reports/download?year=2025&format=pdf")
    kind = (format or "html").strip().lower()
    if kind not in MEDIA_TYPES:
        raise InvalidInput(f"format {format!r}: use html, pdf or xlsx")
    with tempfile.TemporaryDirectory(prefix="esg-report-") as tmp:
        written = publish_report(database(request), chosen, out=Path(tmp), formats=[kind])
        path = Path(written["files"][kind])
        body = path.read_bytes()
    return Response(
        body,
        media_type=MEDIA_TYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="{path.name}"'},
    )
