"""The registry of the Parquet activity store: one row per file, written with its import.

Very large activity data (meter readings, spend lines) is kept as Parquet files partitioned
by year and entity instead of ledger rows (:mod:`esgledger.ledger.activity_store`). Each file
is registered here by the import that wrote it, in the same transaction as the import's
audit event, with its row count and SHA-256: the batch's data digest covers these rows, so
the audit chain vouches for the files, and ``esg audit verify --deep`` re-hashes them. The
rows carry an id range taken from the activity-row ids, so a year's rows keep one id order
whether they sit in the ledger or in the store.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, BigId


class ActivityFile(Base):
    """One Parquet file of the activity store: the rows of one batch, year and entity."""

    __tablename__ = "activity_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    path: Mapped[str] = mapped_column(String(500), unique=True)  # relative to the store root
    rows: Mapped[int] = mapped_column(Integer)
    first_id: Mapped[int] = mapped_column(BigId)
    last_id: Mapped[int] = mapped_column(BigId)
    sha256: Mapped[str] = mapped_column(String(64))
