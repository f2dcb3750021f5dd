"""Tables of the OHS safety registers (#17): hazards with their risk assessment, emergency
drills, and the workers assigned to special operations with their certificates.

Like the other registers' tables, each row carries the import batch that wrote it, so the
batch's data digest covers it. Migration ``0027_reg2`` creates them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, utcnow


class Hazard(Base):
    """A hazard identified at an entity and the risk level its assessment gave, open until
    its correction is completed."""

    __tablename__ = "ohs_hazards"
    __table_args__ = (Index("ix_ohs_hazards_entity_id_id", "entity_id", "id"),)  # #17, 0033_regsort

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    identified_on: Mapped[dt.date] = mapped_column(Date, index=True)
    category: Mapped[str] = mapped_column(String(16))  # GB/T 13861-2022 top classes
    risk_level: Mapped[str] = mapped_column(
        String(16), index=True
    )  # major | significant | general | low
    description: Mapped[str] = mapped_column(Text, default="")
    corrected_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    def open_on(self, day: dt.date) -> bool:
        """Identified by ``day`` and not corrected by then."""
        return self.identified_on <= day and (self.corrected_on is None or self.corrected_on > day)


class Drill(Base):
    """An emergency drill held at an entity: its scenario and how many took part."""

    __tablename__ = "ohs_drills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    scenario: Mapped[str] = mapped_column(String(24))
    participants: Mapped[int] = mapped_column(Integer, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SpecialOperator(Base):
    """A worker's post in a special (high-risk) operation at an entity, from assignment to
    leaving, with the operation certificate they hold (none: ``certificate`` is empty). The
    worker is named by an HR id, never by name."""

    __tablename__ = "ohs_special_operators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    person: Mapped[str] = mapped_column(String(64), index=True)
    operation: Mapped[str] = mapped_column(String(24), index=True)
    assigned_on: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    certificate: Mapped[str] = mapped_column(String(64), default="")
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("entity_id", "person", "operation"),
        Index("ix_ohs_special_operators_entity_id_id", "entity_id", "id"),  # #17, 0033_regsort
    )

    def in_post_on(self, day: dt.date) -> bool:
        """Assigned by ``day`` and not left by then."""
        return self.assigned_on <= day and (self.left_on is None or self.left_on > day)

    def certified_on(self, day: dt.date) -> bool:
        """Holding a certificate in force that day."""
        return (
            bool(self.certificate)
            and self.issued_on is not None
            and self.expires_on is not None
            and self.issued_on <= day <= self.expires_on
        )


OHS_SAFETY_TABLES = ("ohs_hazards", "ohs_drills", "ohs_special_operators")
