"""The archive of published reports: store each publication's files, list and fetch them.

``esg report`` (and the demo) publish: the files are written to the folder asked for and
kept in the ledger as a new edition of the year, with an audit event naming each file's
SHA-256. A preview rendered on demand (a web download of the current figures) is not a
publication and is not archived.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.errors import IntegrityFailure, NotFound
from esgledger.ledger import audit, digests
from esgledger.ledger.report_models import PublishedReport

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def archive_files(
    session: Session, year: int, files: dict[str, str | Path], *, actor: str
) -> list[PublishedReport]:
    """Keep the files of one publication as the year's next edition."""
    last = session.scalar(
        select(func.max(PublishedReport.edition)).where(PublishedReport.year == year)
    )
    edition = (last or 0) + 1
    rows = []
    for kind, path in sorted(files.items()):
        content = Path(path).read_bytes()
        row = PublishedReport(
            year=year,
            edition=edition,
            format=kind,
            filename=Path(path).name,
            media_type=MEDIA_TYPES.get(kind.rpartition(".")[2], "application/octet-stream"),
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            published_by=actor,
        )
        session.add(row)
        rows.append(row)
    session.flush()
    digests.touch(session, digests.report_scope(year, edition))
    audit.record(
        session,
        actor=actor,
        action="report.publish",
        subject=f"report:{year}",
        payload={
            "edition": edition,
            "files": [{"id": r.id, "file": r.filename, "sha256": r.sha256} for r in rows],
        },
    )
    return rows


def list_published(session: Session, year: int | None = None) -> list[PublishedReport]:
    """Newest publication first; within one, by format."""
    stmt = select(PublishedReport).order_by(
        PublishedReport.year.desc(), PublishedReport.edition.desc(), PublishedReport.format
    )
    if year is not None:
        stmt = stmt.where(PublishedReport.year == year)
    return list(session.scalars(stmt))


def get_published(session: Session, report_id: int) -> PublishedReport:
    """One archived file, its bytes checked against the SHA-256 stored with them.

    Bytes that no longer match are damaged data (:class:`IntegrityFailure`), not a missing
    file: the message names the file and both digests, as an operator's log needs them.
    """
    row = session.get(PublishedReport, report_id)
    if row is None:
        raise NotFound(f"no published report file {report_id}; /reports lists them")
    found = hashlib.sha256(row.content).hexdigest()
    if found != row.sha256:
        raise IntegrityFailure(
            f"published report file {report_id} ({row.filename}, {row.year} edition "
            f"{row.edition}) does not match its SHA-256: published {row.sha256}, stored bytes "
            f"hash to {found}; it was not sent; restore the workspace from a backup"
        )
    return row


def published_dict(row: PublishedReport) -> dict[str, Any]:
    return {
        "id": row.id,
        "year": row.year,
        "edition": row.edition,
        "format": row.format,
        "file": row.filename,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "published_at": row.published_at.isoformat(timespec="seconds"),
        "published_by": row.published_by,
    }
