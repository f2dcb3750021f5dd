"""The sign-in stamp: the newest audit event that can change what a token stands for.

A token stands for a principal made of the token row (revoked? expiring when?), its user
(active, role, language), the user's grants and the entity tree below them (a grant covers
entities added later). Every change to those is written with one of :data:`SIGN_IN_ACTIONS`
in the audit log, in the same transaction, so the newest such event (its id and hash) names
everything a sign-in depends on except the clock (a token's expiry, checked on every use).

Keeping sign-ins per this stamp rather than per the whole ledger's
(:func:`esgledger.ledger.state.sign_in_state`) lets a data write leave them in place: the
read after a write, and the next write, do not look the token, user and grants up again.
Logins, logouts and failed or throttled logins (:data:`SESSION_ONLY_ACTIONS`) start or end
browser sessions and change no token's principal, so a storm of them does not empty the
kept sign-ins; ``tests/api/test_sign_in_stamp.py`` holds that every ``user.*`` and
``token.*`` action the code writes is in one list or the other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from esgledger.ledger.models import AuditEvent

SIGN_IN_ACTIONS = (
    "import.entities",  # the tree a grant covers
    "token.issue",
    "token.revoke",
    "user.add",
    "user.disable",
    "user.enable",
    "user.grant",
    "user.language",
    "user.password",
    "user.role",
    "user.ungrant",
)
SESSION_ONLY_ACTIONS = ("user.login", "user.login_failed", "user.login_throttled", "user.logout")


def sign_in_columns() -> tuple[Any, Any]:
    """The newest sign-in event's id and hash, as two scalar subqueries: an index lookup per
    action (``ix_audit_events_action``), however long the log."""
    newest_id = (
        select(func.max(AuditEvent.id))
        .where(AuditEvent.action.in_(SIGN_IN_ACTIONS))
        .scalar_subquery()
    )
    newest_hash = select(AuditEvent.hash).where(AuditEvent.id == newest_id).scalar_subquery()
    return newest_id, newest_hash
