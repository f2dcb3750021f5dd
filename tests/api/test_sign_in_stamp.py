"""Issue #14, "the token check after a write": a token's sign-in is kept until something a
sign-in depends on changes — an account, a token, a grant or the entity tree, each written
with a ``user.*``, ``token.*`` or ``import.entities`` audit event — not merely until the next
write of data. These tests hold both halves on SQLite and PostgreSQL:

- a data write by anyone leaves the kept sign-in in place (no token, user or grant query on
  the next read, nor inside the next write's transaction);
- a revoked token, a disabled user, a changed role, a withdrawn grant and an expired token
  are each refused on the very next request — a read, a replayed read and a write — when
  the change was made by another connection or another process, and after data writes
  that kept the sign-in.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from esgledger.auth import recheck
from esgledger.auth.tokens import issue_token, list_tokens, revoke_token
from esgledger.auth.users import revoke_grant, set_active, set_role
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.models import utcnow
from esgledger.ledger.state_signin import SESSION_ONLY_ACTIONS, SIGN_IN_ACTIONS
from esgledger.settings import get_settings
from tests.api.conftest import YEAR, Api, problem
from tests.api.test_read_statements import statements

pytestmark = pytest.mark.usefixtures("one_recheck_window")

KPIS = f"/kpis?year={YEAR}&years=2"
ACCOUNT_TABLES = ("api_tokens", "users", "entity_grants")
NO_REQUEST = "/requests/999999/value"  # a write that passes sign-in, then finds nothing
WRITE_BODY = {"version": 1, "value": 1.0, "unit": "t"}


def _data_write(api: Api, tmp_path: Path, value: float) -> None:
    """A KPI value imported by another connection (the fixture's own engine)."""
    path = tmp_path / f"k-{value}.csv"
    path.write_text(
        f"entity,year,metric,value,unit\nHQ,{YEAR},packaging.plastics,{value},t\n",
        encoding="utf-8",
    )
    import_kpis(api.db, path, actor="ada")


def _account_queries(seen: list[str]) -> list[str]:
    return [s for s in seen if any(f"FROM {t}" in s for t in ACCOUNT_TABLES)]


def _signed_in_everywhere(api: Api, user: str) -> None:
    """Read, replayed read and write all pass sign-in (the write then finds no request)."""
    assert api.call(user, "GET", "/me").status_code == 200
    for _ in range(2):  # the replay learns the path, then keeps the answer
        assert api.call(user, "GET", KPIS).status_code == 200
    problem(api.call(user, "POST", NO_REQUEST, json=WRITE_BODY), 404)


def _refused_everywhere(api: Api, user: str) -> None:
    problem(api.call(user, "GET", KPIS), 401)
    problem(api.call(user, "GET", "/me"), 401)
    problem(api.call(user, "POST", NO_REQUEST, json=WRITE_BODY), 401)


def test_a_data_write_keeps_the_sign_in(api: Api, tmp_path: Path) -> None:
    _signed_in_everywhere(api, "mia")
    _data_write(api, tmp_path, 41.0)
    with statements(api) as seen:
        assert api.ok("mia", "GET", "/me")["username"] == "mia"
        assert api.call("mia", "GET", KPIS).status_code == 200
        problem(api.call("mia", "POST", NO_REQUEST, json=WRITE_BODY), 404)
    assert _account_queries(seen) == []
    assert any("audit_events" in s for s in seen)  # the sign-in's stamp was asked


def _revoke(session: Session) -> None:
    for row in list_tokens(session, "mia"):
        revoke_token(session, row.id, actor="ada")


def _disable(session: Session) -> None:
    set_active(session, "mia", False, actor="ada")


CHANGES: dict[str, Callable[[Session], None]] = {"revoke": _revoke, "disable": _disable}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_lost_sign_in_is_refused_on_the_next_request_after_data_writes(
    api: Api, tmp_path: Path, change: str
) -> None:
    _signed_in_everywhere(api, "mia")
    _data_write(api, tmp_path, 42.0)
    _signed_in_everywhere(api, "mia")  # kept across the data write
    with api.db.write() as session:  # another connection
        CHANGES[change](session)
    _refused_everywhere(api, "mia")


def test_a_token_revoked_by_another_process_is_refused_on_the_next_request(
    api: Api, tmp_path: Path
) -> None:
    _signed_in_everywhere(api, "rita")
    _data_write(api, tmp_path, 43.0)
    _signed_in_everywhere(api, "rita")
    with api.db.read() as session:
        [token] = list_tokens(session, "rita")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-m", "esgledger.cli", "user", "revoke", str(token.id),
         "--db", api.db.url],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    _refused_everywhere(api, "rita")
    assert api.ok("mia", "GET", "/me")["username"] == "mia"  # others keep theirs


def test_a_changed_role_and_a_withdrawn_grant_apply_on_the_next_request(
    api: Api, tmp_path: Path
) -> None:
    _signed_in_everywhere(api, "mia")
    assert api.ok("olga", "GET", "/me")["scope"] == ["HQ", "SZ1"]
    _data_write(api, tmp_path, 44.0)
    assert api.ok("olga", "GET", "/me")["scope"] == ["HQ", "SZ1"]
    with api.db.write() as session:
        set_role(session, "mia", "respondent", actor="ada")
        revoke_grant(session, "olga", "HQ", actor="ada")
    assert api.ok("mia", "GET", "/me")["role"] == "respondent"
    problem(api.call("mia", "GET", KPIS), 403)  # a respondent may not read KPIs
    assert api.ok("olga", "GET", "/me")["scope"] == []


def test_an_expired_token_is_refused_on_the_next_request(api: Api) -> None:
    """A token that expires while its sign-in is kept: refused as soon as it expired, not at
    the end of a cache window (waits about five seconds for the expiry)."""
    lifetime = dt.timedelta(days=get_settings().token_days)
    with api.db.write() as session:
        token, row = issue_token(
            session, "mia", actor="ada", now=utcnow() - lifetime + dt.timedelta(seconds=5)
        )
        expires_at = row.expires_at
    api.tokens["short"] = token
    _signed_in_everywhere(api, "short")
    while utcnow() < expires_at:
        time.sleep(0.1)
    _refused_everywhere(api, "short")


def test_every_account_action_is_known_to_the_sign_in_stamp() -> None:
    """A new ``user.*`` or ``token.*`` audit action must say whether it can change a token's
    principal (then kept sign-ins end with it) or only a browser session."""
    import re

    import esgledger

    sources = [p.read_text("utf-8") for p in Path(esgledger.__file__).parent.rglob("*.py")]
    written = {
        found
        for text in sources
        if "audit.record(" in text  # modules that write audit events
        for found in re.findall(r'"((?:user|token)\.[a-z_.]+)"', text)
    }
    assert {"user.disable", "user.enable", "user.role"} <= written  # the search finds them
    assert written <= set(SIGN_IN_ACTIONS) | set(SESSION_ONLY_ACTIONS)


def test_a_new_recheck_window_looks_the_sign_in_up_again(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window bounds what a hand edit of the database (no audit event) could leave
    kept: in a new window the token, user and grants are read again."""
    _signed_in_everywhere(api, "mia")
    monkeypatch.setattr(recheck, "RECHECK_SECONDS", 1e-9)  # every request in a new window
    with statements(api) as seen:
        assert api.ok("mia", "GET", "/me")["username"] == "mia"
    assert any("FROM api_tokens" in s for s in _account_queries(seen))
