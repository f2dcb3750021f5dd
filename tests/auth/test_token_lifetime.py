"""Issue #14: API tokens expire, and disabling a user revokes them for good (re-enabling the
user used to bring every old token back to life)."""

from __future__ import annotations

import datetime as dt

import pytest

from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.tokens import authenticate_token, issue_token, list_tokens
from esgledger.auth.users import add_user, set_active
from esgledger.ledger.db import Database
from esgledger.settings import get_settings

T0 = dt.datetime(2026, 1, 5, 9, 0, 0)


def test_a_token_expires(db: Database) -> None:
    days = get_settings().token_days
    with db.write() as session:
        add_user(session, username="bot", role="auditor", actor="t")
        plain, row = issue_token(session, "bot", actor="t", now=T0)
        assert row.expires_at == T0 + dt.timedelta(days=days)
    with db.read() as session:
        assert authenticate_token(session, plain, now=T0 + dt.timedelta(days=days - 1)).username
        with pytest.raises(PermissionDenied, match="expired"):
            authenticate_token(session, plain, now=T0 + dt.timedelta(days=days))


def test_disabling_a_user_revokes_their_tokens_for_good(db: Database) -> None:
    with db.write() as session:
        add_user(session, username="bot", role="auditor", actor="t")
        plain, _row = issue_token(session, "bot", actor="t")
    with db.write() as session:
        set_active(session, "bot", False, actor="ada")
    with db.write() as session:
        set_active(session, "bot", True, actor="ada")
    with db.read() as session:
        with pytest.raises(PermissionDenied, match="revoked"):
            authenticate_token(session, plain)
        [row] = list_tokens(session, "bot")
        assert row.revoked_at is not None and row.revoked_by == "ada"
