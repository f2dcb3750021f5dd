"""The registry of the Parquet activity store: one row per file, written with its import.

Very large activity data (meter readings, spend lines) is kept as Parquet files partitioned
by year and entity instead of ledger rows (:mod:`esgledger.ledger.activity_store`). Each file
is registered here by the import that wrote it, in the same transaction as the import's
audit event, with its row count and SHA-256: the batch's data digest covers these rows, so
the audit chain vouches for the files, and ``esg audit verify --deep`` re-hashes them. The
rows carry an id range taken from the activity-row ids, so a year's rows keep one id order
whether they sit in the ledger or in the store. Each file also records the least and greatest
start date and activity of its rows (``0040_storeranges``), so a list page sorted by them
opens only the files that can hold its rows (``ledger.store_page``); these are not part of the
batch's digest (files imported before them would no longer verify), and
``esg audit verify --deep`` checks them against the files' rows instead. None: not recorded
(the file could not be read when the migration filled them), and every page reads the file.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
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
    first_start: Mapped[dt.date | None] = mapped_column(Date)
    last_start: Mapped[dt.date | None] = mapped_column(Date)
    first_activity: Mapped[str | None] = mapped_column(String(64))
    last_activity: Mapped[str | None] = mapped_column(String(64))


RANGE_COLUMNS = ("first_start", "last_start", "first_activity", "last_activity")
# what a batch's digest covers of a file's row: every column but the ranges, as before them
DIGESTED_COLUMNS = (
    "id", "batch_id", "year", "entity_id", "path", "rows", "first_id", "last_id", "sha256",
)  # fmt: skip
