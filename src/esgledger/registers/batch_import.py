"""One register import's frame, shared so the registers' imports cannot drift apart: the
file validated against a read, then under the write lock the caller's guard (permissions,
locks), a re-check of what another writer may have changed meanwhile, one import batch, the
rows written, and the batch closed with its summary (one audit event whose digest covers the
rows). Any refusal raised on the way writes nothing.

Used by the OHS hours and incidents, the NPS answers and the staged registers (complaints,
vulnerabilities: :func:`esgledger.registers.staged.import_file`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ingest.readers import Table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write

Guard = Callable[[Session, pl.DataFrame], None]  # refuses validated rows in the write
Write = Callable[[Session, pl.DataFrame, int], int]  # (session, rows, batch id) → replaced


@dataclass(frozen=True)
class Imported:
    batch_id: int
    added: int
    replaced: int

    def as_dict(self) -> dict[str, int]:
        return {"batch_id": self.batch_id, "added": self.added, "replaced": self.replaced}


def import_batch(
    db: Database,
    table: Table,
    *,
    kind: str,
    actor: str,
    validate: Callable[[Session], pl.DataFrame],
    write: Write,
    guard: Guard | None = None,
    recheck: Guard | None = None,
) -> Imported:
    """``table`` validated, then written as one batch of ``kind``: ``guard`` (the caller's)
    and ``recheck`` (the register's) may refuse the rows before the batch opens; ``write``
    stores them under the batch and answers how many replaced stored rows."""
    store = partial(
        _store, table=table, kind=kind, actor=actor, write=write, checks=(guard, recheck)
    )
    return validate_then_write(db, validate, store)


def _store(
    session: Session,
    rows: pl.DataFrame,
    *,
    table: Table,
    kind: str,
    actor: str,
    write: Write,
    checks: tuple[Guard | None, ...],
) -> Imported:
    for check in checks:
        if check is not None:
            check(session, rows)
    batch = open_batch(session, kind=kind, table=table, rows=rows.height, actor=actor)
    replaced = write(session, rows, batch.id)
    result = Imported(batch.id, rows.height - replaced, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result
