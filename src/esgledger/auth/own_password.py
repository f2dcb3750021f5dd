"""A signed-in user changing their own password: one service for the web page and the API.

The current password is checked as a sign-in is (rate-limited, a failure recorded and
audited), so a borrowed session or token cannot be used to guess it. The new one meets the
rules of :func:`~esgledger.auth.password_rules.check_password`. A change ends every browser
session of the user and revokes every API token except the one making the change (if it
was a token), so whoever held the old credentials is out at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import SessionPolicy, check_password_of
from esgledger.auth.tokens import token_hash
from esgledger.auth.users import get_user, set_password
from esgledger.ledger import audit
from esgledger.ledger.models import utcnow
from esgledger.ledger.workflow_models import ApiToken

WRONG_CURRENT = "the current password is not right; nothing was changed"


def change_own_password(
    session: Session,
    username: str,
    *,
    current: str,
    new: str,
    client: str,
    policy: SessionPolicy,
    keep_token: str | None = None,
) -> bool:
    """Change the password; False (failure recorded, nothing else done) when ``current`` is wrong.

    Commit the session in both cases: a wrong guess must stay counted.
    """
    try:
        check_password_of(session, username, current, client=client, policy=policy, now=utcnow())
    except PermissionDenied:
        return False
    set_password(session, username, new, actor=username)
    _revoke_other_tokens(session, username, keep=token_hash(keep_token) if keep_token else None)
    return True


def _revoke_other_tokens(session: Session, username: str, *, keep: str | None) -> None:
    user = get_user(session, username)
    now: dt.datetime = utcnow()
    revoked = []
    for row in session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ):
        if row.token_hash != keep:
            row.revoked_at, row.revoked_by = now, username
            revoked.append(row.id)
    if revoked:
        session.flush()
        audit.record(
            session,
            actor=username,
            action="token.revoke",
            subject=f"user:{username}",
            payload={"revoked_tokens": revoked, "reason": "password changed"},
        )
