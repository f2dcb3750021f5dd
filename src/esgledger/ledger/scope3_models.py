"""The Scope 3 screening: per year, each of the 15 categories relevant or not, and why.

Each import of a year's screening is one import batch (digested and audit-logged like any
batch) and its rows are never changed: the year's screening is the newest batch's rows, the
older ones stay as its history.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class Scope3ScreeningExclusion(Base):
    """An activity type a year's screening leaves out of a relevant category, for want of a
    cited factor (e.g. T&D losses of a grid no open source covers); the screening's note says
    why. Its unresolved rows are then reported as left out, not as a gap (#15)."""

    __tablename__ = "scope3_screening_exclusions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    category: Mapped[int] = mapped_column(Integer)  # 1 … 15
    activity: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("batch_id", "category", "activity"),
        Index("ix_scope3_screening_exclusions_batch", "batch_id"),
    )


class CalculationScope3Line(Base):
    """One Scope 3 line of a run: a row group under one method (#15).

    Kept out of the run's totals JSON (several MB for a group selling in a hundred countries,
    which every reader of the totals would parse); written once with the run and covered by
    its ``run:`` digest. The columns readers filter on are columns; the rest of the line
    (row ids, factors, rule, flags, product details) is its canonical JSON ``detail``.
    """

    __tablename__ = "calculation_scope3_lines"

    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)  # order of the engine
    category: Mapped[str] = mapped_column(String(8))  # cat1 … cat15
    entity_id: Mapped[str] = mapped_column(String(64))
    activity: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(64))
    used: Mapped[bool] = mapped_column(Boolean)
    tco2e: Mapped[float] = mapped_column(Float)
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON
