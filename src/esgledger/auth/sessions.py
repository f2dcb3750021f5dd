"""Web sign-in: password login with a rate limit, server-side sessions, CSRF tokens.

A browser holds a random session token in a cookie signed with the workspace's key
(:func:`signing_key`); the ledger keeps only the token's SHA-256, so a stolen database
gives no usable cookie and a logout or an expiry ends the session for good. Each session
has its own CSRF token that every form posts back.

Failed logins are counted per client address and per username, differently, so that a
guesser slows down without locking anyone out:

- an address that failed ``max_failures`` times in the window waits the window out, whatever
  username it tries next (the guesser's own address);
- a username that failed ``max_failures`` times in the window, from any addresses, gets a
  pause after each further failure, doubling from one second up to :data:`MAX_PAUSE`; its
  owner, from their own address, waits at most that long, never the whole window.

Refused attempts are answered without checking the password and are not counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, Signer
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.auth.users import authenticate, get_user, principal_of
from esgledger.errors import EsgError
from esgledger.ledger import audit
from esgledger.ledger.models import utcnow
from esgledger.ledger.workflow_models import AppSecret, LoginFailure, User, WebSession
from esgledger.settings import get_settings

SIGNING_KEY = "session-signing-key"
TOUCH_EVERY = dt.timedelta(seconds=30)  # refresh last_seen_at at most this often
MAX_PAUSE = dt.timedelta(seconds=30)  # the longest an account waits between attempts


class TooManyAttempts(EsgError):
    """Too many failed logins for this username or client address (HTTP 429)."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        wait = (
            f"{retry_after} second(s)"
            if retry_after < 120
            else f"{retry_after // 60 + 1} minute(s)"
        )
        super().__init__(f"too many failed logins; try again in {wait}")


class SessionEnded(EsgError):
    """The cookie is missing, forged, logged out or expired: sign in again."""


@dataclass(frozen=True)
class SessionPolicy:
    """How long sign-ins last and how many failed logins the rate limit allows."""

    idle: dt.timedelta
    max_age: dt.timedelta
    max_failures: int
    window: dt.timedelta

    @classmethod
    def from_settings(cls) -> SessionPolicy:
        s = get_settings()
        return cls(
            idle=dt.timedelta(minutes=s.session_idle_minutes),
            max_age=dt.timedelta(hours=s.session_max_hours),
            max_failures=s.login_max_failures,
            window=dt.timedelta(minutes=s.login_window_minutes),
        )


@dataclass(frozen=True)
class SignedIn:
    """A live session: who, the session's CSRF token, and the plain cookie token."""

    principal: Principal
    session_id: int
    csrf_token: str
    token: str


def session_token_hash(token: str) -> str:
    """What the ledger keeps of a cookie token (its SHA-256), to find the session by."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_row(session: Session, token: str) -> WebSession | None:
    """The session a cookie token stands for, live or ended."""
    return session.scalar(
        select(WebSession).where(WebSession.token_hash == session_token_hash(token))
    )


def signing_key(session: Session) -> str:
    """The workspace's cookie-signing key, made on first use and kept in the ledger."""
    row = session.get(AppSecret, SIGNING_KEY)
    if row is not None:
        return row.value
    try:
        with session.begin_nested():
            session.add(AppSecret(name=SIGNING_KEY, value=secrets.token_urlsafe(48)))
    except IntegrityError:  # another process made it first: use theirs
        pass
    row = session.get(AppSecret, SIGNING_KEY)
    assert row is not None
    return row.value


def sign(key: str, token: str) -> str:
    return Signer(key, salt="esg-session").sign(token).decode("ascii")


def unsign(key: str, cookie: str) -> str | None:
    """The token in a cookie, or None for a cookie this workspace did not sign."""
    try:
        return Signer(key, salt="esg-session").unsign(cookie).decode("ascii")
    except (BadSignature, UnicodeError):
        return None


def _check_rate(
    session: Session, username: str, client: str, policy: SessionPolicy, now: dt.datetime
) -> None:
    since = now - policy.window
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(
            LoginFailure.client == client, LoginFailure.at > since
        )
    ).one()
    if count >= policy.max_failures:
        _refuse(oldest + policy.window - now)
    count, last = session.execute(
        select(func.count(), func.max(LoginFailure.at)).where(
            LoginFailure.username == username, LoginFailure.at > since
        )
    ).one()
    if count >= policy.max_failures:
        doubling = 2 ** min(count - policy.max_failures, 16)
        pause = min(dt.timedelta(seconds=doubling), MAX_PAUSE)
        if last + pause > now:
            _refuse(last + pause - now)


def check_attempts(
    session: Session,
    key: str,
    *,
    client: str,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> None:
    """The login rate limit for another secret (a case code's passphrase): raise
    :class:`TooManyAttempts` when ``key`` or ``client`` failed too often in the window."""
    policy = policy or SessionPolicy.from_settings()
    _check_rate(session, key[:64], client[:100], policy, now or utcnow())


def count_failure(
    session: Session, key: str, *, client: str, now: dt.datetime | None = None
) -> None:
    """Count a wrong secret for ``key`` from ``client`` (as a failed login is counted)."""
    session.add(LoginFailure(username=key[:64], client=client[:100], at=now or utcnow()))
    session.flush()


def forget_failures(session: Session, key: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.username == key[:64]))


def _refuse(wait: dt.timedelta) -> None:
    raise TooManyAttempts(max(1, math.ceil(wait.total_seconds())))


def check_password_of(
    session: Session,
    username: str,
    password: str,
    *,
    client: str,
    policy: SessionPolicy,
    now: dt.datetime,
) -> Principal:
    """The user, when ``password`` is theirs: rate-limited, failures recorded and audited
    (a sign-in, or a signed-in user confirming their current password)."""
    name = username.strip().lower()
    client = client[:100]
    _check_rate(session, name, client, policy, now)
    try:
        who = authenticate(session, name, password)
    except PermissionDenied:
        session.add(LoginFailure(username=name[:64], client=client, at=now))
        session.flush()
        audit.record(
            session,
            actor=name[:64] or "anonymous",
            action="user.login_failed",
            subject=f"user:{name[:64]}",
            payload={"client": client},
        )
        raise
    session.execute(delete(LoginFailure).where(LoginFailure.username == name))
    return who


def login(
    session: Session,
    username: str,
    password: str,
    *,
    client: str,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> SignedIn:
    """A new session for a correct password; rate-limited; one message for every failure.

    A failure is recorded even though the caller's transaction then raises, so call this in
    a session whose commit does not depend on success (the web layer commits failures).
    """
    policy = policy or SessionPolicy.from_settings()
    now = now or utcnow()
    client = client[:100]
    who = check_password_of(session, username, password, client=client, policy=policy, now=now)
    token = secrets.token_urlsafe(32)
    row = WebSession(
        user_id=who.user_id,
        token_hash=session_token_hash(token),
        csrf_token=secrets.token_urlsafe(32),
        client=client,
        created_at=now,
        last_seen_at=now,
        expires_at=now + policy.max_age,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=who.username,
        action="user.login",
        subject=f"user:{who.username}",
        payload={"session": row.id, "client": client},
    )
    return SignedIn(who, row.id, row.csrf_token, token)


def record_throttled(
    session: Session, username: str, *, client: str, refused: TooManyAttempts
) -> None:
    """Audit a login refused by the rate limit (in its own transaction: the attempt's own
    rolled back)."""
    name = username.strip().lower()[:64]
    audit.record(
        session,
        actor=name or "anonymous",
        action="user.login_throttled",
        subject=f"user:{name}",
        payload={"client": client[:100], "retry_after": refused.retry_after},
    )


def resume(
    session: Session,
    token: str,
    *,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> SignedIn:
    """The live session for a cookie token; ends it if idle or too old. Disabled → ended.

    Raises :class:`SessionEnded` after marking the row ended: the caller commits anyway.
    """
    policy = policy or SessionPolicy.from_settings()
    now = now or utcnow()
    row = session_row(session, token)
    if row is None or row.ended_at is not None:
        raise SessionEnded("not signed in; please log in")
    if now >= row.expires_at or now - row.last_seen_at >= policy.idle:
        row.ended_at = now
        session.flush()
        raise SessionEnded("your session expired; please log in again")
    user = session.get(User, row.user_id)
    assert user is not None
    if not user.active:
        row.ended_at = now
        session.flush()
        raise SessionEnded("this user is disabled")
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.flush()
    return SignedIn(principal_of(session, user), row.id, row.csrf_token, token)


def owner_of(session: Session, token: str) -> str | None:
    """Who a cookie token signed in, live or ended (to return a form only to its author)."""
    return session.scalar(
        select(User.username)
        .join(WebSession, WebSession.user_id == User.id)
        .where(WebSession.token_hash == session_token_hash(token))
    )


def logout(session: Session, token: str) -> None:
    """End the session a cookie token stands for (no error if it already ended)."""
    row = session_row(session, token)
    if row is not None and row.ended_at is None:
        row.ended_at = utcnow()
        user = session.get(User, row.user_id)
        audit.record(
            session,
            actor=user.username if user else "unknown",
            action="user.logout",
            subject=f"user:{user.username if user else row.user_id}",
            payload={"session": row.id},
        )
        session.flush()


def end_sessions_of(session: Session, username: str) -> int:
    """End every live session of a user (on disable or password change)."""
    user = get_user(session, username)
    rows = session.scalars(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
    ).all()
    for row in rows:
        row.ended_at = utcnow()
    session.flush()
    return len(rows)


def csrf_ok(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token and the one a form posted."""
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def prune(session: Session, policy: SessionPolicy, now: dt.datetime | None = None) -> None:
    """Forget failures older than the window and sessions ended or expired long ago."""
    now = now or utcnow()
    session.execute(delete(LoginFailure).where(LoginFailure.at <= now - policy.window))
    session.execute(delete(WebSession).where(WebSession.expires_at <= now - dt.timedelta(days=30)))
