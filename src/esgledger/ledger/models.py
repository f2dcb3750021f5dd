"""SQLAlchemy table models: what was said, stored as given.

Schema changes happen only through Alembic migrations in ``ledger/migrations``; a test checks
that the models and the migrations agree.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# BIGINT ids on PostgreSQL; SQLite needs INTEGER PRIMARY KEY for its rowid alias.
BigId = BigInteger().with_variant(Integer, "sqlite")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Naive UTC to the microsecond: stored identically by SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Entity(Base):
    """A node of the organisation tree: group, legal entity, site or park, department."""

    __tablename__ = "entities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"), index=True)
    country: Mapped[str] = mapped_column(String(2))
    subdivision: Mapped[str | None] = mapped_column(String(6))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class Boundary(Base):
    """Which entities count for a reporting year and data family, and on what basis."""

    __tablename__ = "boundaries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    family: Mapped[str] = mapped_column(String(32))
    approach: Mapped[str] = mapped_column(String(32))
    basis: Mapped[str] = mapped_column(Text, default="")
    change_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class BoundaryMember(Base):
    __tablename__ = "boundary_members"

    boundary_id: Mapped[int] = mapped_column(ForeignKey("boundaries.id"), primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), primary_key=True)
    share: Mapped[float] = mapped_column(Float, default=1.0)


class ImportBatch(Base):
    """One accepted file: where it came from, its digest, how many rows it added."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ActivityRecord(Base):
    """What happened, as given: quantity and unit are converted only by the calculation."""

    __tablename__ = "activity_records"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column(Date)
    activity: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    attributes: Mapped[str] = mapped_column(Text, default="")  # canonical JSON or ""
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))

    __table_args__ = (
        Index("ix_activity_records_entity_start", "entity_id", "start"),
        Index("ix_activity_records_batch", "batch_id"),
    )


class KpiValue(Base):
    """A reported value of a metric for an entity and year; restatements keep the old row."""

    __tablename__ = "kpi_values"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    year: Mapped[int] = mapped_column(Integer)
    metric_id: Mapped[str] = mapped_column(String(80))
    dims: Mapped[str] = mapped_column(String(200), default="")  # "age_band=18-30;gender=female"
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="reported")
    qualifier: Mapped[str] = mapped_column(String(20), default="exact")
    preliminary: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    restates_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_values.id"))
    restatement_reason: Mapped[str] = mapped_column(Text, default="")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}
    __table_args__ = (
        Index(
            "uq_kpi_values_current",
            "entity_id",
            "year",
            "metric_id",
            "dims",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
        Index("ix_kpi_values_year_metric", "year", "metric_id"),
    )


class AuditEvent(Base):
    """Append-only, hash-chained record of every write."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("hash"),)
