"""Bearer-token sign-ins, kept while nothing they depend on changed.

Checking a token costs a token lookup, its user, the user's grants and the entity tree
below them. A sign-in is kept per :func:`~esgledger.ledger.state_signin.sign_in_state` —
the newest audit event that can change a token's principal (an account, a token, a grant,
the entity tree) — so a data write by anyone leaves it in place, while disabling a user,
revoking a token, a changed role or grant is seen by the very next request, from any
process: the stamp is read in that request's own transaction (on SQLite only after a
commit, see :mod:`esgledger.ledger.state`). The token's expiry is checked on every use, so
an expired token is refused the moment it expires. A ten-second window
(:mod:`esgledger.auth.recheck`) bounds what a hand edit of the database outside the
application (no audit event) could leave kept.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session

from esgledger.auth.permissions import PermissionDenied, Principal
from esgledger.auth.recheck import recheck_window
from esgledger.auth.tokens import token_hash, token_sign_in
from esgledger.http_shared.errors import Unauthorized
from esgledger.ledger.state import sign_in_state
from esgledger.ledger.state_cache import StateCache

MAX_SIGN_INS = 1024


@dataclass(frozen=True)
class SignIn:
    """Who a token stands for, and until when (seconds since the epoch)."""

    who: Principal
    until: float

    def live(self) -> bool:
        return time.time() < self.until


_signed_in: StateCache[SignIn] = StateCache(MAX_SIGN_INS)


def _bearer(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("missing bearer token; send `Authorization: Bearer <token>`")
    return credentials.credentials


def _check(session: Session, token: str) -> SignIn:
    try:
        who, expires_at = token_sign_in(session, token)
    except PermissionDenied as exc:
        raise Unauthorized(str(exc)) from None
    return SignIn(who, expires_at.replace(tzinfo=dt.UTC).timestamp())


def _key(session: Session, token: str) -> tuple[object, ...]:
    return (sign_in_state(session), recheck_window(), token_hash(token))


def sign_in(session: Session, credentials: HTTPAuthorizationCredentials | None) -> SignIn:
    """The token's sign-in, kept per sign-in stamp; 401 when missing, unknown, revoked,
    expired or its user disabled."""
    token = _bearer(credentials)
    kept = _signed_in.get(_key(session, token), lambda: _check(session, token))
    return kept if kept.live() else _check(session, token)  # expired since: refused


def sign_in_known(
    session: Session, credentials: HTTPAuthorizationCredentials | None
) -> SignIn | None:
    """The token's kept sign-in at the current stamp, still live, else None (check it)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        return None
    kept = _signed_in.peek(_key(session, credentials.credentials))
    return kept if kept is not None and kept.live() else None
