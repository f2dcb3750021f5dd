"""Reports: the ESG report of any year with data, rendered on demand as ``esg report`` does.

The ledger keeps the data, not report files, so a download runs the disclose pipeline
(:func:`esgledger.disclose.publish.publish_report`) for that year into a temporary folder
and sends the one file asked for: the figures are always the ledger's current ones.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from esgledger.auth.permissions import require
from esgledger.disclose.publish import publish_report
from esgledger.errors import InvalidInput
from esgledger.web import views
from esgledger.web.deps import UserDep, database
from esgledger.web.templating import render

router = APIRouter()
Text = Annotated[str | None, Query()]
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@router.get("/reports")
def reports(request: Request, user: UserDep) -> Response:
    """Years with data, each with its report in every format."""
    require(user, "reports.read")
    with database(request).read() as session:
        _year, years = views.pick_year(session, None)
    return render(request, "reports.html", {"years": years, "formats": list(MEDIA_TYPES)})


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
