"""The Scope 3 screening: per year, each of the 15 categories relevant or not, and why.

Each import of a year's screening is one import batch (digested and audit-logged like any
batch) and its rows are never changed: the year's screening is the newest batch's rows, the
older ones stay as its history.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base


class Scope3Screening(Base):
    """One category's screening in one year (one batch holds all 15)."""

    __tablename__ = "scope3_screenings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[int] = mapped_column(Integer)  # 1 … 15
    relevant: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(32))  # catalog.scope3_screening.REASONS
    note: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str | None] = mapped_column(String(32))
    data_quality: Mapped[int | None] = mapped_column(Integer)  # 1 very good … 5 very poor

    __table_args__ = (
        UniqueConstraint("batch_id", "category"),
        Index("ix_scope3_screenings_year", "year"),
    )
