"""Tables of the registers behind social and governance figures (#17).

Each register has its own typed table; rows carry the import batch that wrote them (or none
when entered one by one), so the batch's data digest (:mod:`esgledger.ledger.digests`)
covers them, and a ``state`` whose allowed transitions are data in
:mod:`esgledger.registers.states`. Migrations ``0011_registers`` (OHS) and
``0017_registers`` (whistleblowing), ``0022_registers`` (board and training) and
``0023_regcomp`` (complaints, NPS answers, vulnerabilities, SLA settings) create them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, utcnow


class OhsHours(Base):
    """Hours worked at an entity in a year by one worker type: the denominator of OHS rates,
    and what says the register covers the entity that year."""

    __tablename__ = "ohs_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    worker_type: Mapped[str] = mapped_column(String(16))
    hours: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("entity_id", "year", "worker_type"),)


class OhsIncident(Base):
    """A work-related injury, fatality or occupational disease, from report to closure."""

    __tablename__ = "ohs_incidents"
    __table_args__ = (Index("ix_ohs_incidents_state_id", "state", "id"),)  # #17, 0033_regsort

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    occurred_on: Mapped[dt.date] = mapped_column(Date, index=True)
    worker_type: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(
        String(24), index=True
    )  # injury | fatality | occupational_disease
    high_consequence: Mapped[bool] = mapped_column(default=False)
    lost_days: Mapped[int] = mapped_column(Integer, default=0, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(24))  # "corrective_action" is 17 characters
    state_changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)


class WhistleLink(Base):
    """A one-time intake link for an anonymous report: which entity and channel it serves.
    Only the SHA-256 of its token is kept; ``used_at`` locks it once a report came in."""

    __tablename__ = "whistle_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    channel: Mapped[str] = mapped_column(String(16))
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class WhistleCase(Base):
    """A whistleblowing or grievance case, from intake to closure and the non-retaliation
    follow-up. Its content is read only by compliance officers; the reporter follows it up
    with the case code and a passphrase (argon2 hash kept, like passwords)."""

    __tablename__ = "whistle_cases"
    __table_args__ = (  # #17, 0033_regsort: ties held in page order
        Index("ix_whistle_cases_entity_id_id", "entity_id", "id"),
        Index("ix_whistle_cases_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)  # the case code
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    channel: Mapped[str] = mapped_column(String(16))
    case_type: Mapped[str] = mapped_column(String(16), index=True)
    description: Mapped[str] = mapped_column(Text)
    passphrase_hash: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    state: Mapped[str] = mapped_column(String(24))
    state_changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    investigator: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(16), default="")  # substantiated | unsubstantiated
    corrective_action: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    retaliation_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)


class WhistleMessage(Base):
    """A message on a case: from the reporter (through the follow-up page) or to them."""

    __tablename__ = "whistle_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("whistle_cases.id"), index=True)
    author: Mapped[str] = mapped_column(String(16))  # reporter | compliance
    body: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class BoardMember(Base):
    """A director of an entity's board: who, which seat and committees, from appointment to
    leaving. Year-end composition (size, independence, women, age, tenure) is read from here."""

    __tablename__ = "board_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    ref: Mapped[str] = mapped_column(String(64))  # the member's own id in the register
    name: Mapped[str] = mapped_column(String(128), index=True)
    role: Mapped[str] = mapped_column(String(24), index=True)  # chair | vice_chair | director
    executive: Mapped[bool] = mapped_column(default=False)
    independent: Mapped[bool] = mapped_column(default=False)
    gender: Mapped[str] = mapped_column(String(8))  # male | female | unknown
    birth_year: Mapped[int] = mapped_column(Integer, index=True)
    appointed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    committees: Mapped[str] = mapped_column(String(200), default="")  # "audit; nomination"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("entity_id", "ref"),
        Index("ix_board_members_entity_id_id", "entity_id", "id"),  # #17, 0033_regsort
    )

    def serves_on(self, day: dt.date) -> bool:
        """On the board that day: appointed by then and not left by then."""
        return self.appointed_on <= day and (self.left_on is None or self.left_on > day)


class BoardAttendance(Base):
    """One member's attendance at one meeting of the board or a committee."""

    __tablename__ = "board_attendance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    meeting_ref: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(24))  # board or a committee
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    member_ref: Mapped[str] = mapped_column(String(64))
    attendance: Mapped[str] = mapped_column(String(8))  # present | proxy | absent
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("entity_id", "meeting_ref", "member_ref"),)


class TrainingCampaign(Base):
    """An integrity commitment to sign or a training to attend in a year, and who must: the
    worker types (``"employee; outsourced; intern"``) at the listed entities and below."""

    __tablename__ = "training_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # commitment | training
    topic: Mapped[str] = mapped_column(String(24))  # anti_corruption | compliance | …
    year: Mapped[int] = mapped_column(Integer, index=True)
    worker_types: Mapped[str] = mapped_column(String(64))
    entities: Mapped[str] = mapped_column(Text, default="")  # "" = the whole group
    pass_score: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class TrainingRecord(Base):
    """One person's assignment to a campaign as the LMS exported it: completed (signed or
    attended) on a day or not, with the test score and learning hours when there are any."""

    __tablename__ = "training_records"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("training_campaigns.id"), index=True)
    person: Mapped[str] = mapped_column(String(64))  # the LMS's person id, not a name
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    role: Mapped[str] = mapped_column(String(64), default="")
    worker_type: Mapped[str] = mapped_column(String(16))
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    score: Mapped[float | None] = mapped_column(Float)
    hours: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("campaign_id", "person"),)


class RegisterSla(Base):
    """A register's SLA for one severity and state, as the workspace set it: how many hours a
    row of that severity may stay in that state (complaints), or take to be fixed
    (vulnerabilities, state ``to_fix``). Changing one is audit-logged."""

    __tablename__ = "register_slas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register: Mapped[str] = mapped_column(String(24))
    severity: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(24))
    hours: Mapped[float] = mapped_column(Float)
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("register", "severity", "state"),)


class Complaint(Base):
    """A customer complaint from acceptance to closure; each state's entry time is kept, so
    every state's SLA clock (and whether it was breached) can be read back."""

    __tablename__ = "complaints"
    __table_args__ = (  # #17, 0033_regsort: ties held in page order
        Index("ix_complaints_entity_id_id", "entity_id", "id"),
        Index("ix_complaints_severity_id", "severity", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    channel: Mapped[str] = mapped_column(String(16))
    product_line: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))  # low | medium | high
    description: Mapped[str] = mapped_column(Text, default="")
    accepted_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    assigned_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    processing_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    return_visit_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    filed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    state: Mapped[str] = mapped_column(String(24), index=True)
    state_changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)


class NpsAnswer(Base):
    """One customer's answer (0-10) to the would-you-recommend question of a survey."""

    __tablename__ = "nps_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    segment: Mapped[str] = mapped_column(String(32))
    answered_on: Mapped[dt.date] = mapped_column(Date, index=True)
    score: Mapped[int] = mapped_column(Integer)


class Vulnerability(Base):
    """A product-security vulnerability from intake to its published advisory; the CVSS v3.1
    base score fixes its severity, and each state's entry time is kept for the SLA."""

    __tablename__ = "vulnerabilities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    product_line: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(24))  # researcher | internal | third_party_test
    cvss_score: Mapped[float] = mapped_column(Float, index=True)
    severity: Mapped[str] = mapped_column(String(16))  # none | low | medium | high | critical
    title: Mapped[str] = mapped_column(Text, default="")
    cve_id: Mapped[str] = mapped_column(String(32), default="")
    intake_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    triage_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    fixing_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    fixed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    advisory_published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    state: Mapped[str] = mapped_column(String(24), index=True)
    state_changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once)
