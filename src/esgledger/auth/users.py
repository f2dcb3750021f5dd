"""Users and their entity grants; loading a :class:`Principal` for permission checks.

Every change is an audit event. Nothing is deleted: a user who leaves is disabled, so the
audit log and the requests they owned keep naming a real account.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.password_rules import check_password
from esgledger.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from esgledger.auth.permissions import ROLES, PermissionDenied, Principal
from esgledger.catalog.messages import N_
from esgledger.catalog.translations import LANGS
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ledger import audit
from esgledger.ledger.entities import get_entity, subtree
from esgledger.ledger.models import utcnow
from esgledger.ledger.workflow_models import ApiToken, EntityGrant, User, WebSession

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def add_user(
    session: Session,
    *,
    username: str,
    role: str,
    display_name: str = "",
    email: str = "",
    password: str | None = None,
    actor: str,
) -> User:
    """Create an active user; without a password the user can sign in only with a token."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput(
            f"username {username!r}: use 2-64 lower-case letters, digits, '.', '_' or '-'"
        )
    if role not in ROLES:
        raise InvalidInput(f"role {role!r} is not one of {', '.join(ROLES)}")
    if email and not EMAIL.match(email):
        raise InvalidInput(f"{email!r} is not an e-mail address")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(f"user {username!r} already exists; `esg user list` lists users")
    if password:
        check_password(password, username=username)
    user = User(
        username=username,
        role=role,
        display_name=display_name.strip(),
        email=email.strip(),
        password_hash=hash_password(password) if password else "",
        created_by=actor,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.add",
        subject=f"user:{username}",
        payload={
            "role": role,
            "display_name": user.display_name,
            "email": user.email,
            "password": bool(password),
        },
    )
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise worded(
            NotFound(f"unknown user {username!r}; `esg user list` lists users"),
            N_("unknown user %(user)r"),
            {"user": username},
        )
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_active(session: Session, username: str, active: bool, *, actor: str) -> User:
    """Disable (or re-enable) a user. Disabling revokes the user's API tokens for good, so
    re-enabling brings none back (issue new ones); the password simply stops working."""
    user = get_user(session, username)
    if user.active == active:
        return user
    user.active = active
    revoked = [] if active else _revoke_tokens(session, user, actor=actor)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.enable" if active else "user.disable",
        subject=f"user:{user.username}",
        payload={"revoked_tokens": revoked} if revoked else {},
    )
    return user


def _revoke_tokens(session: Session, user: User, *, actor: str) -> list[int]:
    live = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for row in live:
        row.revoked_at = utcnow()
        row.revoked_by = actor
    return [row.id for row in live]


def set_role(session: Session, username: str, role: str, *, actor: str) -> User:
    """Give a user another role; their signed-in tokens and sessions carry it from their
    next request (a kept sign-in ends with any ``user.*`` event but logins and logouts)."""
    if role not in ROLES:
        raise InvalidInput(f"role {role!r} is not one of {', '.join(ROLES)}")
    return _change(session, username, "role", role, action="user.role", actor=actor)


def _change(
    session: Session, username: str, field: str, value: str, *, action: str, actor: str
) -> User:
    """Set one field of a user, with an event naming the value before and after (no event
    when the value is unchanged)."""
    user = get_user(session, username)
    before = getattr(user, field)
    if before == value:
        return user
    setattr(user, field, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=action,
        subject=f"user:{user.username}",
        payload={"from": before, "to": value},
    )
    return user


def set_password(session: Session, username: str, password: str, *, actor: str) -> None:
    user = get_user(session, username)
    check_password(password, username=user.username)
    user.password_hash = hash_password(password)
    # a new password ends every browser session signed in with the old one
    for row in session.scalars(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.ended_at.is_(None))
    ):
        row.ended_at = utcnow()
    session.flush()
    audit.record(
        session, actor=actor, action="user.password", subject=f"user:{user.username}", payload={}
    )


def set_language(session: Session, username: str, lang: str, *, actor: str) -> User:
    """The language of the user's pages; "" leaves it to the browser (#19)."""
    if lang and lang not in LANGS:
        raise InvalidInput(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return _change(session, username, "lang", lang, action="user.language", actor=actor)


def authenticate(session: Session, username: str, password: str) -> Principal:
    """The principal for a correct password; one message for every failure (no user probing).

    Call inside a write session: an outdated hash is upgraded on success.
    """
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    usable = user is not None and user.active and bool(user.password_hash)
    # Every attempt costs one argon2 check, so the answer's timing tells nothing about
    # which usernames exist or are disabled.
    stored = user.password_hash if user is not None and usable else None
    matches = verify_password(stored or dummy_hash(), password)
    if user is None or not usable or not matches:
        raise PermissionDenied("wrong username or password, or the user is disabled")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.flush()
    return principal_of(session, user)


# ---------------------------------------------------------------------------------------------
# Grants


def grant(session: Session, username: str, entity_id: str, *, actor: str) -> EntityGrant:
    """Let a data owner work on an entity and everything below it."""
    user = get_user(session, username)
    get_entity(session, entity_id)
    if user.role != "data_owner":
        raise InvalidInput(
            f"{user.username} is {user.role}; entity grants apply to data owners only "
            "(other roles are not limited to entities)"
        )
    existing = session.get(EntityGrant, (user.id, entity_id))
    if existing is not None:
        return existing
    row = EntityGrant(user_id=user.id, entity_id=entity_id, granted_by=actor)
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.grant",
        subject=f"user:{user.username}",
        payload={"entity": entity_id},
    )
    return row


def revoke_grant(session: Session, username: str, entity_id: str, *, actor: str) -> None:
    user = get_user(session, username)
    row = session.get(EntityGrant, (user.id, entity_id))
    if row is None:
        raise NotFound(f"{user.username} has no grant on {entity_id!r}")
    session.delete(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.ungrant",
        subject=f"user:{user.username}",
        payload={"entity": entity_id},
    )


def granted_entities(session: Session, user: User) -> list[str]:
    """The entities granted directly (not expanded)."""
    return list(
        session.scalars(
            select(EntityGrant.entity_id)
            .where(EntityGrant.user_id == user.id)
            .order_by(EntityGrant.entity_id)
        )
    )


def principal_of(session: Session, user: User) -> Principal:
    """The user with grants expanded to subtrees, as of now (entities added later count)."""
    scope: set[str] = set()
    for root in granted_entities(session, user):
        scope.update(subtree(session, root))
    return Principal(
        username=user.username,
        role=user.role,
        active=user.active,
        scope=frozenset(scope),
        user_id=user.id,
        lang=user.lang or "",
    )


def principal(session: Session, username: str) -> Principal:
    return principal_of(session, get_user(session, username))


def user_dict(session: Session, user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "active": user.active,
        "password": bool(user.password_hash),
        "grants": granted_entities(session, user),
        "created_at": user.created_at.isoformat(timespec="seconds"),
    }
