"""API tokens: random, shown once, stored only as SHA-256, revocable.

A token is ``esg_`` + 43 URL-safe characters (256 random bits). That much entropy makes a
plain SHA-256 safe to store (no salt or slow hash needed, unlike passwords) and lets
:func:`authenticate_token` find the row by an indexed equality. ``prefix`` (the first
characters) is kept to tell tokens apart in lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.auth.users import get_user, principal_of
from esgledger.errors import Conflict, NotFound
from esgledger.ledger import audit
from esgledger.ledger.models import utcnow
from esgledger.ledger.workflow_models import ApiToken, User
from esgledger.settings import get_settings

PREFIX = "esg_"
SHOWN = 12  # characters of the token kept as its visible prefix
REFUSED = "invalid, revoked or expired token"  # one message for every failure


def token_hash(token: str) -> str:
    return hashlib.sha256(token.strip().encode("utf-8")).hexdigest()


def one_time_token() -> str:
    """A link token for someone without an account (survey respondent, supplier,
    whistle-blower): 192 random bits, URL-safe, never starting with "-" so that a command
    line (``esg suppliers saq answer TOKEN FILE``) does not read it as an option."""
    while (token := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return token


def issue_token(
    session: Session,
    username: str,
    *,
    name: str = "",
    actor: str,
    now: dt.datetime | None = None,
) -> tuple[str, ApiToken]:
    """A new token for ``username``, valid ``ESG_TOKEN_DAYS``: the plain text is returned
    here and never again."""
    user = get_user(session, username)
    if not user.active:
        raise Conflict(f"user {user.username!r} is disabled; enable it before issuing a token")
    plain = PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    expires_at = now + dt.timedelta(days=get_settings().token_days)
    row = ApiToken(
        created_at=now,
        expires_at=expires_at,
        user_id=user.id,
        name=name.strip(),
        prefix=plain[:SHOWN],
        token_hash=token_hash(plain),
        created_by=actor,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="token.issue",
        subject=f"user:{user.username}",
        payload={
            "token_id": row.id,
            "prefix": row.prefix,
            "name": row.name,
            "expires_at": expires_at.isoformat(timespec="seconds"),
        },
    )
    return plain, row


def revoke_token(session: Session, token_id: int, *, actor: str) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"no token {token_id}; `esg user tokens USERNAME` lists them")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        row.revoked_by = actor
        session.flush()
        owner = session.get(User, row.user_id)
        audit.record(
            session,
            actor=actor,
            action="token.revoke",
            subject=f"user:{owner.username if owner else row.user_id}",
            payload={"token_id": row.id, "prefix": row.prefix},
        )
    return row


def authenticate_token(
    session: Session, token: str, *, now: dt.datetime | None = None
) -> Principal:
    """The principal a bearer token stands for; one message for every failure."""
    return token_sign_in(session, token, now=now)[0]


def token_sign_in(
    session: Session, token: str, *, now: dt.datetime | None = None
) -> tuple[Principal, dt.datetime]:
    """:func:`authenticate_token` and the moment the token expires (naive UTC), for a
    caller that keeps the sign-in and must refuse the token from that moment on."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token)))
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or row.revoked_at is not None or user is None or not user.active:
        raise PermissionDenied(REFUSED)
    if row.expires_at is None or (now or utcnow()) >= row.expires_at:
        raise PermissionDenied(REFUSED)
    return principal_of(session, user), row.expires_at


def list_tokens(session: Session, username: str) -> list[ApiToken]:
    user = get_user(session, username)
    return list(
        session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id))
    )


def token_dict(row: ApiToken) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "prefix": row.prefix,
        "created_at": row.created_at.isoformat(timespec="seconds"),
        "created_by": row.created_by,
        "revoked_at": row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else None,
        "expires_at": row.expires_at.isoformat(timespec="seconds") if row.expires_at else None,
    }
