"""Published reports over HTTP: the archive of every publication, file by file.

The files are the ones ``esg report`` published, byte for byte (their SHA-256 is checked
before sending); every endpoint needs ``reports.read``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from esgledger.api import schemas as s
from esgledger.api.deps import SessionDep, UserDep, as_json
from esgledger.auth.permissions import require
from esgledger.disclose.archive import get_published, list_published, published_dict
from esgledger.http_shared.downloads import attachment

router = APIRouter()


@router.get(
    "/reports",
    tags=["reports"],
    summary="Published report files, newest publication first",
    response_model=list[s.PublishedReportOut],
    responses=s.problems(401, 403, 422),
)
def reports(
    session: SessionDep,
    user: UserDep,
    year: Annotated[int | None, Query(ge=1900, le=2100, description="Only this year.")] = None,
) -> Response:
    require(user, "reports.read")
    return as_json([published_dict(r) for r in list_published(session, year)])


@router.get(
    "/reports/{report_id}/file",
    tags=["reports"],
    summary="Download a published report file, byte for byte",
    response_class=Response,
    responses={
        200: {
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("text/html", "application/pdf", "application/octet-stream")
            },
            "description": "The file as published; `X-Content-SHA256` carries its digest.",
        },
        **s.problems(401, 403, 404, 422),
    },
)
def report_file(
    report_id: Annotated[int, Path(ge=1, le=s.MAX_ID, description="Published file id.")],
    session: SessionDep,
    user: UserDep,
) -> Response:
    require(user, "reports.read")
    row = get_published(session, report_id)
    headers = {**attachment(row.filename), "X-Content-SHA256": row.sha256}
    return Response(row.content, media_type=row.media_type, headers=headers)
