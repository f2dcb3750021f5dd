"""A run's row tables written in bulk, each table's data digest taken from its frame.

A run's ``run:N`` digest used to read every row it had just written back from the database
(a million issue rows at 10⁷ activity rows). The frames are in hand, so each table's digest
is taken from the frame as it is inserted (``ledger.frame_digest``); a table whose frame
cannot be spelled with certainty is left to the read-back, as before. ``esg audit verify
--deep`` reads the rows and must find the same digest.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger import digests
from esgledger.ledger.bulk import insert_frame
from esgledger.ledger.frame_digest import claim_ids, frame_digest
from esgledger.ledger.models import Base


def insert_digested(
    session: Session, table: str, frame: pl.DataFrame, known: digests.Known
) -> None:
    """Insert ``frame`` into ``table`` (its ``id`` given here when the table has an integer
    ``id`` key the frame lacks, in frame order as the database would give it) and, when the
    frame holds every digested column, put the table's ``[rows, sha256]`` in ``known``."""
    columns = Base.metadata.tables[table]
    if "id" in columns.c and "id" not in frame.columns and columns.c.id.primary_key:
        first = claim_ids(session, table, frame.height) if frame.height else 1
        frame = frame.with_columns(
            pl.int_range(first, first + frame.height, dtype=pl.Int64).alias("id")
        )
    insert_frame(session, table, frame)
    covered = [c.name for c in digests.covered_columns(columns)]
    if set(covered) <= set(frame.columns):
        found = frame_digest(columns, frame, covered)
        if found is not None:
            known[table] = found
