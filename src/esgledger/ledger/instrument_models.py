"""The contractual instruments a calculation run rejected, one row per instrument row.

GHG Protocol Scope 2 Guidance (2015), ch. 7, Table 7.1: an instrument failing a Scope 2
Quality Criterion covers no electricity, and the run names each criterion it failed and
why. A run used to keep that list inside its totals JSON: at 10⁷ activity rows with half a
million attribute-less certificates, 318 MB that every reader of the totals parsed. The rows
live here, written once with the run and covered by its ``run:`` digest; the totals keep
counts per activity and criterion (#18).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, String, Text
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
