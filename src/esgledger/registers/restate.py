"""Writing a register file whose rows may restate stored ones: one batch, one audit event,
and the batches that held a restated row digested again (their rows changed).

Shared by the registers whose rows have a natural key (certificates by body and number,
engagements and donations by ref, volunteering by entity, year and programme, rates by pair
and start). Only the stored rows the file names are read, a slice at a time, so memory
follows the file, not the register.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from esgledger.ingest.readers import Table
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.import_steps import IDS_PER_SELECT
from esgledger.ledger.models import Base
from esgledger.registers.ohs import Imported


def stored_rows(
    session: Session, model: type[Base], key: tuple[str, ...], keys: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Any]:
    """The stored rows with these keys (read a slice at a time: memory follows the file,
    not the register)."""
    columns = tuple_(*(getattr(model, k) for k in key))
    out: dict[tuple[Any, ...], Any] = {}
    unique = sorted(set(keys), key=repr)
    for start in range(0, len(unique), IDS_PER_SELECT):
        chunk = unique[start : start + IDS_PER_SELECT]
        for r in session.scalars(select(model).where(columns.in_(chunk))):
            out[tuple(getattr(r, k) for k in key)] = r
    return out


def restate(
    session: Session,
    rows: pl.DataFrame,
    *,
    model: type[Base],
    key: tuple[str, ...],
    columns: dict[str, str],
    kind: str,
    table: Table,
    actor: str,
) -> Imported:
    """Add each row, or restate the stored row with the same ``key`` attributes; one batch
    and one audit event, and the batches that held restated rows digested again."""
    stored = stored_rows(
        session, model, key, list(rows.select([columns[k] for k in key]).iter_rows())
    )
    batch = open_batch(session, kind=kind, table=table, rows=rows.height, actor=actor)
    replaced, moved_from = 0, set()
    for row in rows.iter_rows(named=True):
        values = {attr: row[column] for attr, column in columns.items()}
        known = stored.get(tuple(values[k] for k in key))
        if known is None:
            session.add(model(batch_id=batch.id, **values))
            continue
        moved_from.add(known.batch_id)
        for attr, value in values.items():
            setattr(known, attr, value)
        known.batch_id = batch.id
        replaced += 1
    session.flush()
    digests.touch_batches(session, *sorted(moved_from, key=lambda b: b or 0))
    result = Imported(batch.id, rows.height - replaced, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result
