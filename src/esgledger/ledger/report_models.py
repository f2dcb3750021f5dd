"""Published report files, kept byte for byte: what readers and auditors received.

A report is rendered from the ledger, but the ledger moves on (restatements, late data); the
file that was published must stay retrievable and verifiable, so each publication stores
every file with its SHA-256. Publishing a year again adds a new edition; nothing is replaced.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, utcnow


class PublishedReport(Base):
    """One file of one publication of a year's report (html, pdf or xlsx)."""

    __tablename__ = "published_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    edition: Mapped[int] = mapped_column(Integer)  # 1 for the first publication of the year
    format: Mapped[str] = mapped_column(String(8))
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (UniqueConstraint("year", "edition", "format"),)
