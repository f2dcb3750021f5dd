"""Tables of the certification, assurance and giving registers (#17).

Like the other registers' tables (:mod:`esgledger.ledger.register_models`), each row carries
the import batch that wrote it, so the batch's data digest covers it. Migration
``0025_regcert`` creates them.
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

# The entity kinds that are sites: a site figure counts these (a park is a site of several
# buildings; a legal entity or the group is not a site).
SITE_KINDS = ("site", "park")


class Certificate(Base):
    """A management-system or product certificate held by an entity (a site, a legal entity,
    the group) or for one of its product models: standard, body, number, validity and the
    surveillance audits passed. Whether a site is certified on a day is read from here."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    standard: Mapped[str] = mapped_column(String(64), index=True)  # "ISO 14001", "SA8000"
    number: Mapped[str] = mapped_column(String(64))  # the body's certificate number
    body: Mapped[str] = mapped_column(String(128))  # the certification body
    product_model: Mapped[str] = mapped_column(String(64), default="")  # "" = the entity
    scope: Mapped[str] = mapped_column(Text, default="")
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    expires_on: Mapped[dt.date] = mapped_column(Date, index=True)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)  # suspended or withdrawn
    surveillance: Mapped[str] = mapped_column(String(200), default="")  # "2025-06-03; …"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("body", "number"),)

    def valid_on(self, day: dt.date) -> bool:
        """In force that day: issued by then, not expired and not withdrawn by then."""
        return self.issued_on <= day <= self.expires_on and (
            self.withdrawn_on is None or self.withdrawn_on > day
        )


class AssuranceEngagement(Base):
    """An external assurance engagement over a report year: who assured what, to which
    standard and level, and the statement they signed (kept as an evidence file)."""

    __tablename__ = "assurance_engagements"
    # sorted by few-value columns: (column, ref) holds ties in page order (#17, 0033_regsort)
    __table_args__ = (
        Index("ix_assurance_engagements_year_ref", "year", "ref"),
        Index("ix_assurance_engagements_provider_ref", "provider", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    year: Mapped[int] = mapped_column(Integer)  # the reporting year assured
    provider: Mapped[str] = mapped_column(String(128))
    standard: Mapped[str] = mapped_column(
        String(24), index=True
    )  # isae_3000 | isae_3410 | aa1000as_v3
    level: Mapped[str] = mapped_column(
        String(16), index=True
    )  # limited | reasonable | moderate | high
    metrics: Mapped[str] = mapped_column(Text)  # "ghg.scope1; ghg.scope2_market"
    entities: Mapped[str] = mapped_column(Text, default="")  # "" = the whole boundary
    signed_on: Mapped[dt.date] = mapped_column(Date, index=True)
    statement: Mapped[str] = mapped_column(String(300), default="")  # the statement's file
    statement_sha256: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Donation(Base):
    """One donation, cash or in kind, in the currency it was given in (converted only when
    figures are counted, with a rate the user imported)."""

    __tablename__ = "donations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    ref: Mapped[str] = mapped_column(String(64), unique=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    given_on: Mapped[dt.date] = mapped_column(Date, index=True)
    programme: Mapped[str] = mapped_column(String(128))
    recipient_type: Mapped[str] = mapped_column(String(24))
    form: Mapped[str] = mapped_column(String(8))  # cash | in_kind
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3))  # ISO 4217
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class VolunteerHours(Base):
    """Volunteer hours and participations of an entity's people in a programme in a year."""

    __tablename__ = "volunteer_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    year: Mapped[int] = mapped_column(Integer, index=True)
    programme: Mapped[str] = mapped_column(String(128))
    participations: Mapped[int] = mapped_column(Integer)
    hours: Mapped[float] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("entity_id", "year", "programme"),)


class CurrencyRate(Base):
    """A user-imported exchange rate: one unit of ``currency`` is ``rate`` units of ``quote``
    from ``valid_from`` to ``valid_to``, with the public source it was taken from."""

    __tablename__ = "currency_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    rate: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("currency", "quote", "valid_from"),)


REGCERT_TABLES = (
    "certificates",
    "assurance_engagements",
    "donations",
    "volunteer_hours",
    "currency_rates",
)
