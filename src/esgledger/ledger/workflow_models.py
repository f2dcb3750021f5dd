"""Workflow and access tables: users, entity grants, API tokens, data requests, reviewer
comments and evidence files.

Same conventions as :mod:`esgledger.ledger.models`: naive UTC datetimes from ``utcnow``,
only column types the backup archive knows (evidence bytes are ``LargeBinary``, which the
archive stores as base64). Secrets are never stored: passwords as argon2id hashes, API tokens
as their SHA-256. Rows that people edit carry ``version`` for optimistic locking.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, utcnow

# ---------------------------------------------------------------------------------------------
# Access


class User(Base):
    """A person (or service) who signs in; the role decides what they may do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str] = mapped_column(String(200), default="")  # "" = tokens only
    lang: Mapped[str] = mapped_column(String(8), default="", server_default="")  # "" = browser's
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class EntityGrant(Base):
    """A data owner's right to an entity and everything below it in the tree."""

    __tablename__ = "entity_grants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), primary_key=True)
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    granted_by: Mapped[str] = mapped_column(String(100))


class ApiToken(Base):
    """A bearer token for the API: only its SHA-256 is kept; revoked tokens stay listed."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists to tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str] = mapped_column(String(100), default="")
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # None: issued before 0007


# ---------------------------------------------------------------------------------------------
# Data collection


class DataRequest(Base):
    """One value to collect: metric × entity × year (× breakdown) → owner, reviewer, due date.

    ``value_id`` is the KPI value this request entered itself (edited in place while the
    request is draft or returned); ``submitted_value_id`` is the ledger's current value at
    submission, and approval and locking check that the ledger still holds exactly that one.
    """

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    metric_id: Mapped[str] = mapped_column(String(80))
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"))
    dims: Mapped[str] = mapped_column(String(200), default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))  # indexed with id, below
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    due_date: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    value_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_values.id"))
    submitted_value_id: Mapped[int | None] = mapped_column(ForeignKey("kpi_values.id"))
    instructions: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    # One step is one version, however often it flushes: the workflow bumps it explicitly
    # (esgledger.workflow.requests.touch); SQLAlchemy still checks it on every UPDATE.
    __mapper_args__: ClassVar[dict[str, object]] = {
        "version_id_col": version,
        "version_id_generator": False,
    }
    __table_args__ = (
        UniqueConstraint("year", "metric_id", "entity_id", "dims"),
        Index("ix_data_requests_state_due", "state", "due_date"),
        # the request and review lists (migration 0010)
        Index("ix_data_requests_year_due", "year", "due_date"),
        Index("ix_data_requests_reviewer_state", "reviewer_id", "state"),
        # "entered by a request not yet approved?", asked per KPI value (migration 0013_scale)
        Index("ix_data_requests_value", "value_id"),
        # the request list's sorts, ties by id, either way (migration 0037_reqsort); the
        # (updated_at, id) one answers the API's freshness question too
        *(
            Index(f"ix_data_requests_{column}_id", column, "id")
            for column in ("due_date", "metric_id", "updated_at", "entity_id", "state", "year")
        ),
        # the list sorted by owner, read an owner at a time by id (0038_actsort; in place of
        # the index on owner_id alone)
        Index("ix_data_requests_owner_id_id", "owner_id", "id"),
    )


class RequestComment(Base):
    """What a reviewer (or owner) said about a request: returns, restatements, notes."""

    __tablename__ = "request_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_requests.id"), index=True)
    author: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # comment | return | restate
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class EvidenceFile(Base):
    """A file backing a request's value, stored byte for byte in the database."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("data_requests.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("request_id", "sha256"),)


# ---------------------------------------------------------------------------------------------
# Web sign-in


class WebSession(Base):
    """A signed-in browser: the cookie carries the token, only its SHA-256 is kept here.

    Sessions end on logout, after ``idle`` minutes without a request, or at ``expires_at``
    whatever the activity; the CSRF token is per session and checked on every form post.
    """

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    client: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """A failed sign-in, kept for the rate limit (per username and per client address)."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    client: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class AppSecret(Base):
    """A workspace secret made on first use (the cookie-signing key), never shown."""

    __tablename__ = "app_secrets"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
