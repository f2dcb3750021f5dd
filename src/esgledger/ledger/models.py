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
    func,
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
    # A voided row stays (history, lineage of past runs) but no longer counts anywhere.
    voided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    voided_by: Mapped[str | None] = mapped_column(String(100))
    void_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_activity_records_entity_start", "entity_id", "start"),
        Index("ix_activity_records_batch", "batch_id"),
        # The activity list's sorts, ties by id in the sort's direction (#14, 0038_actsort)
        Index("ix_activity_records_activity_id", "activity", "id"),
        Index("ix_activity_records_entity_id_id", "entity_id", "id"),
        Index("ix_activity_records_start_id", "start", "id"),
        # The natural key: the database itself refuses a second live copy of a row.
        Index(
            "uq_activity_records_key",
            "entity_id",
            "start",
            "end",
            "activity",
            "attributes",
            unique=True,
            sqlite_where=text("voided_at IS NULL"),
            postgresql_where=text("voided_at IS NULL"),
        ),
    )


# The year's activity sums in grouping order (#18), the natural key's order within a group:
# SUM adds a group's rows in the order it did before (``kpi.calculated``). Declared apart
# from the class so the year expression is each dialect's own, as the query writes it.
Index(
    "ix_activity_records_sums",
    func.extract("year", ActivityRecord.start),
    ActivityRecord.activity,
    ActivityRecord.entity_id,
    ActivityRecord.unit,
    ActivityRecord.start,
    ActivityRecord.end,
    ActivityRecord.attributes,
    ActivityRecord.quantity,
    ActivityRecord.voided_at,  # always NULL here; listed so the index covers the query
    sqlite_where=text("voided_at IS NULL"),
    postgresql_where=text("voided_at IS NULL"),
)


# The stored values a check rule reads by itself besides the group root's (#18,
# ``checks.rule_rows``): history, notes, restatements, labels. A few hundred of millions; the
# read says this condition word for word so both databases take the partial index holding
# only them (0036_kpisums).
RULE_ROW_MARKS = "NOT is_current OR note <> '' OR restates_id IS NOT NULL OR status <> 'reported'"


class KpiValue(Base):
    """A reported value of a metric for an entity and year; restatements keep the old row."""

    __tablename__ = "kpi_values"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    year: Mapped[int] = mapped_column(Integer)
    metric_id: Mapped[str] = mapped_column(String(80))
    dims: Mapped[str] = mapped_column(String(200), default="")  # "age_band=18-30;gender=female"
    value: Mapped[float | None] = mapped_column(Float)
    # Decimals the value was printed with (12,983.6 → 1): its rounding tolerance. None: unknown.
    decimals: Mapped[int | None] = mapped_column(Integer)
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
        # The members' values in the KPI tables' grouping order, covering (#18,
        # ``kpi.member_groups``): read without a sort of the span's values.
        Index(
            "ix_kpi_values_grouping",
            "is_current",
            "year",
            "metric_id",
            "dims",
            "unit",
            "decimals",
            "qualifier",
            "preliminary",
            text("(restates_id IS NOT NULL)"),
            "id",
            "entity_id",
            "value",
        ),
        Index(
            "ix_kpi_values_rare",
            "year",
            "id",
            sqlite_where=text(RULE_ROW_MARKS),
            postgresql_where=text(RULE_ROW_MARKS),
        ),
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

    __table_args__ = (
        UniqueConstraint("hash"),
        # the audit log filtered by subject or action (migration 0010)
        Index("ix_audit_events_subject", "subject"),
        Index("ix_audit_events_action", "action"),
    )


# the log sorted by time or actor, ties newest first in an ascending sort: pages in index
# order, read forwards or backwards (#14, 0035_listsort)
Index("ix_audit_events_ts_id", AuditEvent.ts, AuditEvent.id.desc())
Index("ix_audit_events_actor_id", AuditEvent.actor, AuditEvent.id.desc())


class FactorEdition(Base):
    """A user-imported, immutable factor edition (shipped editions live in the catalog)."""

    __tablename__ = "factor_editions"

    edition: Mapped[str] = mapped_column(String(80), primary_key=True)
    series: Mapped[str] = mapped_column(String(80))
    publisher: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    title_original: Mapped[str] = mapped_column(Text, default="")
    document_no: Mapped[str] = mapped_column(String(200), default="")
    edition_label: Mapped[str] = mapped_column(String(100), default="")
    signed_date: Mapped[dt.date | None] = mapped_column(Date)
    issued_date: Mapped[dt.date | None] = mapped_column(Date)
    public_date: Mapped[dt.date | None] = mapped_column(Date)
    effective_date: Mapped[dt.date | None] = mapped_column(Date)
    data_year: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(40), default="")
    citation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="unverified")
    supersedes: Mapped[str] = mapped_column(String(80), default="")
    source_ref: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))


class Factor(Base):
    """One value of a user-imported edition, with everything needed to cite and apply it."""

    __tablename__ = "factors"

    factor_id: Mapped[str] = mapped_column(String(160), primary_key=True)
    edition: Mapped[str] = mapped_column(ForeignKey("factor_editions.edition"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    activity: Mapped[str] = mapped_column(String(64))
    parameter: Mapped[str] = mapped_column(String(32))
    gas: Mapped[str] = mapped_column(String(20), default="")
    region: Mapped[str] = mapped_column(String(40))
    variant: Mapped[str] = mapped_column(String(40), default="")
    value: Mapped[float] = mapped_column(Float)
    value_min: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    choice_reason: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(60))
    volume_basis: Mapped[str] = mapped_column(String(20), default="")
    table_ref: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="unverified")
    notes: Mapped[str] = mapped_column(Text, default="")


class CalculationRun(Base):
    """One calculation: its options, the editions it used and a digest of its inputs."""

    __tablename__ = "calculation_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    year: Mapped[int] = mapped_column(Integer, index=True)
    boundary_code: Mapped[str] = mapped_column(String(64), default="")
    profile: Mapped[str] = mapped_column(String(64))
    options: Mapped[str] = mapped_column(Text)  # canonical JSON
    editions: Mapped[str] = mapped_column(Text)  # canonical JSON: edition → content digest
    input_digest: Mapped[str] = mapped_column(String(64))
    totals: Mapped[str] = mapped_column(Text)  # canonical JSON
    activity_rows: Mapped[int] = mapped_column(Integer)
    unresolved: Mapped[int] = mapped_column(Integer)


class CalculationCoefficient(Base):
    """How one unit of an activity became a result in a run: factors, multiplier, rule."""

    __tablename__ = "calculation_coefficients"

    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"), primary_key=True)
    coef_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    quantity: Mapped[str] = mapped_column(String(32))  # energy_direct, scope1, scope2_location…
    gas: Mapped[str] = mapped_column(String(20), default="")
    k: Mapped[float] = mapped_column(Float)  # result per activity unit
    unit: Mapped[str] = mapped_column(String(20))  # tce, or t of the gas
    gwp: Mapped[float | None] = mapped_column(Float)
    factor_ids: Mapped[str] = mapped_column(Text)  # ";"-joined
    rule: Mapped[str] = mapped_column(Text)
    multiplier: Mapped[float] = mapped_column(Float)  # activity unit × factor units → result unit
    flags: Mapped[str] = mapped_column(Text, default="")


class CalculationResult(Base):
    """One activity × quantity × gas figure of a run, pointing at its coefficient."""

    __tablename__ = "calculation_results"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"))
    # a ledger row or an activity-store row (one id sequence): no foreign key (#18)
    activity_id: Mapped[int] = mapped_column(BigId)
    entity_id: Mapped[str] = mapped_column(String(64))
    coef_id: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)  # in the coefficient's unit
    co2e: Mapped[float | None] = mapped_column(Float)  # tCO2e, for GHG rows
    covered: Mapped[float | None] = mapped_column(Float)  # market-based: share under instruments

    __table_args__ = (
        Index("ix_calculation_results_run_entity", "run_id", "entity_id"),
        Index("ix_calculation_results_activity", "activity_id"),
    )


class CalculationIssue(Base):
    """An activity the run could not turn into a figure: never a silent zero."""

    __tablename__ = "calculation_issues"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("calculation_runs.id"), index=True)
    # a ledger row or an activity-store row (one id sequence): no foreign key (#18)
    activity_id: Mapped[int] = mapped_column(BigId)
    entity_id: Mapped[str] = mapped_column(String(64))
    activity: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)


# Assessment tables live in their own module; imported here so Base.metadata has them.
from esgledger.ledger import assess_models as _assess_models  # noqa: E402, F401

# The certificate ids instrument rows claim (#15), likewise.
from esgledger.ledger import claim_models as _claim_models  # noqa: E402, F401

# The instrument rows a run rejected (#18), likewise.
from esgledger.ledger import instrument_models as _instrument_models  # noqa: E402, F401

# A run's unresolved rows, grouped (#18), likewise.
from esgledger.ledger import issue_models as _issue_models  # noqa: E402, F401

# OHS hazards, drills and special-operation workers (#17), likewise.
from esgledger.ledger import ohs_models as _ohs_models  # noqa: E402, F401

# Product models of Scope 3 categories 11 and 12, likewise.
from esgledger.ledger import product_models as _product_models  # noqa: E402, F401

# Certification, assurance and giving registers (#17), likewise.
from esgledger.ledger import regcert_models as _regcert_models  # noqa: E402, F401

# Registers behind social and governance figures (#17), likewise.
from esgledger.ledger import register_models as _register_models  # noqa: E402, F401

# Published report files, likewise.
from esgledger.ledger import report_models as _report_models  # noqa: E402, F401

# The Scope 3 screening of each year, likewise.
from esgledger.ledger import scope3_models as _scope3_models  # noqa: E402, F401

# The registry of the Parquet activity store (#18), likewise.
from esgledger.ledger import store_models as _store_models  # noqa: E402, F401

# The supplier register (#16), likewise.
from esgledger.ledger import supplier_models as _supplier_models  # noqa: E402, F401

# Workflow and access tables (users, grants, tokens, data requests, evidence), likewise.
from esgledger.ledger import workflow_models as _workflow_models  # noqa: E402, F401
