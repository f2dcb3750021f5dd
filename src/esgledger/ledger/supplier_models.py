"""Supplier register tables (#16): suppliers, their sites, contacts, signed agreements and
certifications, stored as imported.

Every row carries the import batch that last wrote it; the whole register is one data scope
(``suppliers:register`` in :mod:`esgledger.ledger.digests`), digested by each event that
changes it, so ``esg audit verify --deep`` detects an edit made behind the ledger's back.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, BigId, utcnow


class Supplier(Base):
    """A supplier, keyed by the code the purchasing system gives it."""

    __tablename__ = "suppliers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_group: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    commodities: Mapped[str] = mapped_column(String(400), default="")  # ";"-separated
    spend: Mapped[float | None] = mapped_column(Float)  # imported annual spend, if given
    spend_unit: Mapped[str | None] = mapped_column(String(8))  # currency of ``spend``
    entity_id: Mapped[str | None] = mapped_column(ForeignKey("entities.id"), index=True)
    onboarded_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)  # the cooperation's last day
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking
    # the register sorted by name, country or spend, ties by id in the sort's direction:
    # pages in index order, read forwards or backwards (#14, 0035_listsort)
    __table_args__ = (
        Index("ix_suppliers_name_id", "name", "id"),
        Index("ix_suppliers_country_id", "country", "id"),
        Index("ix_suppliers_spend_id", "spend", "id"),
    )


class SupplierSite(Base):
    """A production or service site of a supplier (where an audit takes place)."""

    __tablename__ = "supplier_sites"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(String(400), default="")
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("supplier_id", "name"),)
    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking


class SupplierContact(Base):
    """A person at a supplier who receives questionnaires and audit reports."""

    __tablename__ = "supplier_contacts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(100), default="")
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("supplier_id", "email"),)
    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking


class SupplierAgreement(Base):
    """A signed agreement: CSR commitment, integrity agreement or NDA, with its evidence."""

    __tablename__ = "supplier_agreements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    signed_on: Mapped[dt.date] = mapped_column(Date)
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("supplier_id", "kind", "signed_on"),)
    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking


class SupplierCertification(Base):
    """A management-system or product certificate (ISO 14001, IATF 16949 …) with its expiry."""

    __tablename__ = "supplier_certifications"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    standard: Mapped[str] = mapped_column(String(100))
    certificate: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    expires_on: Mapped[dt.date] = mapped_column(Date)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (UniqueConstraint("supplier_id", "standard", "certificate"),)
    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking


class SupplierScreening(Base):
    """One pass of the onboarding gate: which criteria the supplier met on a day, and whether
    environmental and social criteria were among those checked (GRI 308-1, 414-1)."""

    __tablename__ = "supplier_screenings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    screened_on: Mapped[dt.date] = mapped_column(Date)
    passed: Mapped[bool] = mapped_column(Boolean)
    environmental: Mapped[bool] = mapped_column(Boolean)
    social: Mapped[bool] = mapped_column(Boolean)
    unmet: Mapped[str] = mapped_column(Text, default="")  # canonical JSON list of reasons
    policy_sha256: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(100))


class SupplierTier(Base):
    """A supplier's risk tier from a given day on; the rows of one supplier are its history."""

    __tablename__ = "supplier_tiers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    tier: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    dimensions: Mapped[str] = mapped_column(Text)  # canonical JSON: dimension → score or reason
    policy_sha256: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(100))


class SupplierAudit(Base):
    """An audit of a supplier (or one of its sites): planned, then done with a final report."""

    __tablename__ = "supplier_audits"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("supplier_sites.id"))
    mode: Mapped[str] = mapped_column(String(16))  # on-site | remote
    state: Mapped[str] = mapped_column(String(16))  # planned | done
    planned_on: Mapped[dt.date] = mapped_column(Date)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    report_on: Mapped[dt.date | None] = mapped_column(Date)  # the final report's date
    auditor: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking


class SupplierFinding(Base):
    """A non-conformance an audit found, and its corrective action up to verified closure."""

    __tablename__ = "supplier_findings"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("supplier_audits.id"), index=True)
    grade: Mapped[str] = mapped_column(String(16))  # Priority | Major | Minor
    family: Mapped[str] = mapped_column(String(16))  # environmental | social | other
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16))
    plan_due: Mapped[dt.date | None] = mapped_column(Date)  # set once the report is dated
    root_cause: Mapped[str] = mapped_column(Text, default="")
    corrective: Mapped[str] = mapped_column(Text, default="")
    preventive: Mapped[str] = mapped_column(Text, default="")
    planned_completion: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = MappingProxyType({"version_id_col": version})  # optimistic locking

    def missed(self, today: dt.date) -> tuple[str, dt.date] | None:
        """The step overdue on ``today`` and its due date: the plan (none accepted after its
        due date) or the verified correction (after the planned completion); else None."""
        if self.state == "verified_closed":
            return None
        if self.state in ("open", "plan_rejected") and self.plan_due and self.plan_due < today:
            return "corrective-action plan", self.plan_due
        if self.planned_completion and self.planned_completion < today:
            return "verified correction", self.planned_completion
        return None


class MineralDeclaration(Base):
    """A supplier's CMRT or EMRT file as accepted: its template, version, scope and the
    warnings its rules raised (canonical JSON list of one-line messages)."""

    __tablename__ = "mineral_declarations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    template: Mapped[str] = mapped_column(String(4))  # CMRT | EMRT
    version: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(255))  # the file's name
    sha256: Mapped[str] = mapped_column(String(64))
    company_name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(16))  # company | products | user_defined
    effective_on: Mapped[dt.date] = mapped_column(Date)
    in_use: Mapped[str] = mapped_column(String(200), default="")  # ";"-separated metals
    products: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[str] = mapped_column(Text, default="[]")
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))

    __table_args__ = (UniqueConstraint("supplier_id", "sha256"),)


class MineralSmelter(Base):
    """A row of a declaration's Smelter List; ``smelter_id`` is the RMI facility id if given."""

    __tablename__ = "mineral_smelters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("mineral_declarations.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    metal: Mapped[str] = mapped_column(String(32))
    smelter_id: Mapped[str | None] = mapped_column(String(9), index=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(200))


class ConformantSmelter(Base):
    """A smelter's status from the conformant-smelter list the user imported last."""

    __tablename__ = "conformant_smelters"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    smelter_id: Mapped[str] = mapped_column(String(9))
    metal: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    assessed_on: Mapped[dt.date | None] = mapped_column(Date)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"))

    __table_args__ = (UniqueConstraint("smelter_id", "metal"),)


class SupplierQuestionnaire(Base):
    """A self-assessment questionnaire (SAQ) as defined: its sections, questions, answer
    types, weights and required evidence, kept as canonical JSON with its SHA-256."""

    __tablename__ = "supplier_questionnaires"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    definition: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SupplierSaqLink(Base):
    """A questionnaire sent to a supplier through a one-time link (only the token's SHA-256
    is kept, like survey links): when it expires, and the answers and score once used."""

    __tablename__ = "supplier_saq_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(ForeignKey("supplier_questionnaires.id"))
    supplier_id: Mapped[str] = mapped_column(ForeignKey("suppliers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    answers: Mapped[str | None] = mapped_column(Text)  # canonical JSON once answered
    score: Mapped[float | None] = mapped_column(Float)  # 0-100 once answered

    __table_args__ = (UniqueConstraint("questionnaire_id", "supplier_id"),)


class SupplierSaqEvidence(Base):
    """A file a supplier uploaded with an answer; its SHA-256 is also in the answers."""

    __tablename__ = "supplier_saq_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("supplier_saq_links.id"), index=True)
    question: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


SUPPLIER_TABLES = (
    "suppliers",
    "supplier_sites",
    "supplier_contacts",
    "supplier_agreements",
    "supplier_certifications",
    "supplier_screenings",
    "supplier_tiers",
    "supplier_audits",
    "supplier_findings",
    "conformant_smelters",  # replaced whole by each list imported
    "supplier_questionnaires",
    "supplier_saq_links",  # evidence bytes are covered by the SHA-256 in the answers
)
# Written once by their import batch, which covers them (a digest of their own per file, so
# a thousand CMRT files do not each re-digest the whole register).
MINERAL_TABLES = ("mineral_declarations", "mineral_smelters")
