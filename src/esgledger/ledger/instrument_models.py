"""The contractual instruments a calculation run rejected: one row per instrument row (runs
stored before ``0034_calc7``), or one row per group of them.

GHG Protocol Scope 2 Guidance (2015), ch. 7, Table 7.1: an instrument failing a Scope 2
Quality Criterion covers no electricity, and the run names each criterion it failed and
why. A run used to keep that list inside its totals JSON: at 10⁷ activity rows with half a
million attribute-less certificates, 318 MB that every reader of the totals parsed. The rows
live here, written once with the run and covered by its ``run:`` digest; the totals keep
counts per activity and criterion (#18).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, BigId


class CalculationInstrumentRejection(Base):
    """One instrument row of a run that meets not every Scope 2 Quality Criterion."""

    __tablename__ = "calculation_instrument_rejections"

    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"), primary_key=True)
    # a ledger row or an activity-store row (one id sequence): no foreign key
    activity_id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    activity: Mapped[str] = mapped_column(String(64))
    instrument: Mapped[str] = mapped_column(Text)
    mwh: Mapped[float] = mapped_column(Float)
    failed: Mapped[str] = mapped_column(Text)  # canonical JSON: [{criterion, why}, …]


class CalculationInstrumentRejectionGroup(Base):
    """The instrument rows of a run of one entity, activity type, instrument and findings
    that meet not every Scope 2 Quality Criterion: each a row of the run's list still.

    A run at 10⁷ activity rows rejected half a million attribute-less certificates, each a
    row repeating the same ~500 bytes of findings: 300 MB and 4–5 CPU s a run to write,
    digest and commit. Runs stored since ``0034_calc7`` keep one row per group with the
    count, the activity ids and each row's MWh in id order; runs stored before keep their
    rows in ``calculation_instrument_rejections`` (#18)."""

    __tablename__ = "calculation_instrument_rejection_groups"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"), index=True)
    entity_id: Mapped[str] = mapped_column(String(64))
    activity: Mapped[str] = mapped_column(String(64))
    instrument: Mapped[str] = mapped_column(Text)
    failed: Mapped[str] = mapped_column(Text)  # canonical JSON: [{criterion, why}, …]
    row_count: Mapped[int] = mapped_column(BigInteger)
    # the smallest id, so a page of the first rows by id need not expand every group
    first_activity_id: Mapped[int] = mapped_column(BigId)
    activity_ids: Mapped[str] = mapped_column(Text)  # "3-7,12,15-16": ids in ascending order
    # each row's MWh in the order of its id: the shortest text reading back to the same float
    mwh: Mapped[str] = mapped_column(Text)
