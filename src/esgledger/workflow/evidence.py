"""Evidence files behind a request's value (invoices, meter readings, certificates).

The bytes are stored in the database (table ``evidence_files``, column ``content``), with
name, size, media type and SHA-256, so backups, restores and PostgreSQL replicas carry them
along with the figures and no folder beside the database can drift from it. Files are
added while the request can be edited and never deleted; the same bytes twice on one
request are stored once.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from esgledger.auth.permissions import Principal, require
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ledger.workflow_models import EvidenceFile
from esgledger.workflow.file_names import file_name
from esgledger.workflow.requests import get_request, load_for_edit, log_step
from esgledger.workflow.states import EDITABLE, STATE_WORDS

MAX_BYTES = 50 * 1024 * 1024


def add_evidence(
    session: Session,
    user: Principal,
    request_id: int,
    *,
    name: str,
    content: bytes,
    media_type: str = "",
) -> EvidenceFile:
    """Attach ``content`` as file ``name``; returns the stored row (the existing one if the
    same bytes are already attached)."""
    req = load_for_edit(session, request_id, None, user=user, action="evidence.add")
    if req.state not in EDITABLE:
        raise worded(
            Conflict(
                f"cannot add evidence to request {req.id}: it is {req.state}; evidence is added "
                "while the request is draft or returned"
            ),
            N_(
                "cannot add evidence to request %(id)s: it is %(state)s; evidence is added "
                "while the request is draft or returned"
            ),
            {"id": req.id},
            {"state": STATE_WORDS.get(req.state, req.state)},
        )
    name = file_name(name)
    if not content:
        raise worded(
            InvalidInput(f"evidence file {name!r} is empty"),
            N_("evidence file %(name)r is empty"),
            {"name": name},
        )
    if len(content) > MAX_BYTES:
        size, limit = len(content) / 1e6, MAX_BYTES // (1024 * 1024)
        raise worded(
            InvalidInput(f"evidence file {name!r} is {size:.1f} MB; the limit is {limit} MB"),
            N_("evidence file %(name)r is %(size).1f MB; the limit is %(limit)s MB"),
            {"name": name, "size": size, "limit": limit},
        )
    digest = hashlib.sha256(content).hexdigest()
    existing = session.scalar(
        select(EvidenceFile).where(EvidenceFile.request_id == req.id, EvidenceFile.sha256 == digest)
    )
    if existing is not None:
        return existing
    row = EvidenceFile(
        request_id=req.id,
        name=name,
        media_type=media_type or mimetypes.guess_type(name)[0] or "application/octet-stream",
        size=len(content),
        sha256=digest,
        content=bytes(content),
        uploaded_by=user.username,
    )
    session.add(row)
    session.flush()
    log_step(
        session,
        user,
        req,
        "evidence",
        req.state,
        evidence_id=row.id,
        name=name,
        size=row.size,
        sha256=digest,
    )
    return row


def add_evidence_file(
    session: Session, user: Principal, request_id: int, path: str | Path
) -> EvidenceFile:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"file not found: {path}")
    return add_evidence(session, user, request_id, name=path.name, content=path.read_bytes())


def list_evidence(session: Session, user: Principal, request_id: int) -> list[EvidenceFile]:
    req = get_request(session, request_id)
    require(user, "evidence.read", entity=req.entity_id)
    return list(
        session.scalars(
            select(EvidenceFile)
            .where(EvidenceFile.request_id == request_id)
            .options(defer(EvidenceFile.content))
            .order_by(EvidenceFile.id)
        )
    )


def get_evidence(session: Session, user: Principal, evidence_id: int) -> EvidenceFile:
    """One file with its bytes; the reader must be allowed to read the request's evidence."""
    row = session.get(EvidenceFile, evidence_id)
    if row is None:
        raise NotFound(f"no evidence file {evidence_id}; `esg request evidence list` lists them")
    require(user, "evidence.read", entity=get_request(session, row.request_id).entity_id)
    if hashlib.sha256(row.content).hexdigest() != row.sha256:
        raise Conflict(f"evidence file {evidence_id} does not match its SHA-256; restore a backup")
    return row


def evidence_dict(row: EvidenceFile) -> dict[str, Any]:
    return {
        "id": row.id,
        "request": row.request_id,
        "name": row.name,
        "media_type": row.media_type,
        "size": row.size,
        "sha256": row.sha256,
        "uploaded_by": row.uploaded_by,
        "uploaded_at": row.uploaded_at.isoformat(timespec="seconds"),
    }
