"""Import batches: every accepted file becomes one batch and one audit event."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from esgledger.ingest.readers import Table
from esgledger.ledger import audit, digests
from esgledger.ledger.models import ImportBatch


def open_batch(session: Session, *, kind: str, table: Table, rows: int, actor: str) -> ImportBatch:
    batch = ImportBatch(kind=kind, source=table.source, sha256=table.sha256, rows=rows, actor=actor)
    session.add(batch)
    session.flush()
    return batch


def close_batch(
    session: Session,
    batch: ImportBatch,
    *,
    actor: str,
    summary: dict[str, Any],
    known: digests.Known | None = None,
) -> None:
    """The batch's audit event with its digest (``known``: tables not read back)."""
    digests.touch(session, digests.batch_scope(batch.id), known)
    audit.record(
        session,
        actor=actor,
        action=f"import.{batch.kind}",
        subject=f"batch:{batch.id}",
        payload={"source": batch.source, "sha256": batch.sha256, **summary},
    )
