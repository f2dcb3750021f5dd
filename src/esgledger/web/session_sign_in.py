"""Browser sign-ins, kept while nothing they depend on changed (as tokens' are, see
:mod:`esgledger.api.sign_in`).

A page view reads its session row (logged out? expired? idle?) in a read transaction, then
takes the session's principal — user, role, language and granted entities — kept per
(session, :func:`~esgledger.ledger.state.sign_in_state`). The stamp moves with every event
that can change a principal (a new role, password, grant, a disablement, the entity tree)
and is read before the principal, so such a change counts on the very next page from any
process. A logout or a new password ends the session row itself, read on every view.

Only a session that must change — ended for idling, age or a disabled user, or its
``last_seen_at`` due for a refresh — takes a write transaction (:func:`resume`), so most
page views never wait for the SQLite writer's turn. A ten-second window bounds what a hand
edit of the database outside the application (no audit event) could leave kept.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal
from esgledger.auth.recheck import recheck_window
from esgledger.auth.sessions import (
    TOUCH_EVERY,
    SessionEnded,
    SessionPolicy,
    SignedIn,
    session_row,
)
from esgledger.auth.users import principal_of
from esgledger.ledger.models import utcnow
from esgledger.ledger.state import sign_in_state
from esgledger.ledger.state_cache import StateCache
from esgledger.ledger.workflow_models import User

MAX_SIGN_INS = 1024

_kept: StateCache[Principal] = StateCache(MAX_SIGN_INS)


def _principal(session: Session, user_id: int) -> Principal:
    user = session.get(User, user_id)
    if user is None:
        raise SessionEnded("not signed in; please log in")
    return principal_of(session, user)


def resume_kept(session: Session, token: str, *, policy: SessionPolicy) -> SignedIn | None:
    """The live session for a cookie token without writing, or None when the session must
    change first (end it or refresh it: :func:`esgledger.auth.sessions.resume`).

    Raises :class:`SessionEnded` for a token of no session or an ended one.
    """
    stamp = sign_in_state(session)  # before the principal: a change after it moves it
    row = session_row(session, token)
    if row is None or row.ended_at is not None:
        raise SessionEnded("not signed in; please log in")
    now = utcnow()
    if now >= row.expires_at or now - row.last_seen_at >= min(policy.idle, TOUCH_EVERY):
        return None
    window = recheck_window()
    user_id = row.user_id
    who = _kept.get((stamp, window, row.id), lambda: _principal(session, user_id))
    if not who.active:
        return None
    return SignedIn(who, row.id, row.csrf_token, token)
