"""Issue #14: failed logins slow the guesser, never lock the owner out, and do not tell
whether a username exists.

Five wrong passwords from anywhere used to lock any username (admin included) for 15
minutes. Now the address that failed waits out the window; the account itself only gets a
growing pause between attempts, never longer than :data:`MAX_PAUSE`, so its owner gets in.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from esgledger.auth import users
from esgledger.auth.permissions import PermissionDenied
from esgledger.auth.sessions import MAX_PAUSE, SessionPolicy, TooManyAttempts, login
from esgledger.auth.users import add_user, set_active
from esgledger.ledger.db import Database

PASSWORD = "correct horse battery"
POLICY = SessionPolicy(
    idle=dt.timedelta(minutes=30),
    max_age=dt.timedelta(hours=12),
    max_failures=5,
    window=dt.timedelta(minutes=15),
)
T0 = dt.datetime(2026, 1, 5, 9, 0, 0)


@pytest.fixture(autouse=True)
def real_password_hashing() -> None:
    """Here the throttle is under test, not the hash (tests/auth/conftest.py's fixture of this
    name undone): the suite's cheap argon2id parameters serve, still real argon2id strings
    hashed and verified, where each of the module's ~50 password checks took ~0.24 CPU s
    with the product's (#20)."""


def _try(db: Database, username: str, password: str, client: str, at: dt.datetime) -> str:
    """'ok', 'wrong' or 'wait N' for one login attempt at ``at`` (failures committed)."""
    try:
        with db.write() as session:
            try:
                login(session, username, password, client=client, policy=POLICY, now=at)
            except PermissionDenied:
                return "wrong"
    except TooManyAttempts as exc:
        return f"wait {exc.retry_after}"
    return "ok"


def _seconds(n: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=n)


@pytest.fixture
def admin(db: Database) -> Database:
    with db.write() as session:
        add_user(session, username="admin", role="admin", password=PASSWORD, actor="t")
    return db


def test_a_guesser_cannot_lock_the_owner_out(admin: Database) -> None:
    for i in range(5):  # the attacker's address is spent
        assert _try(admin, "admin", f"guess {i}", "10.0.0.66", _seconds(i)) == "wrong"
    assert _try(admin, "admin", "guess 5", "10.0.0.66", _seconds(10)).startswith("wait ")
    assert _try(admin, "someone", "guess", "10.0.0.66", _seconds(11)).startswith("wait "), (
        "the address waits out the window whatever name it tries"
    )
    # The owner, from their own address, gets in after at most a short pause.
    answer = _try(admin, "admin", PASSWORD, "10.0.0.7", _seconds(4.5))
    assert answer.startswith("wait ") and int(answer.split()[1]) <= MAX_PAUSE.total_seconds()
    assert _try(admin, "admin", PASSWORD, "10.0.0.7", _seconds(20)) == "ok"


def test_many_addresses_only_slow_the_account_down(admin: Database) -> None:
    at, refused = 0.0, 0
    for i in range(12):  # a botnet guessing from a new address each time
        answer = _try(admin, "admin", f"guess {i}", f"10.1.0.{i}", _seconds(at))
        if answer.startswith("wait "):
            refused += 1
            at += int(answer.split()[1])
            continue
        assert answer == "wrong"
        at += 0.5
    assert refused > 0, "the account's pause grew with the failures"
    answer = _try(admin, "admin", PASSWORD, "10.0.0.7", _seconds(at))
    if answer.startswith("wait "):
        assert int(answer.split()[1]) <= MAX_PAUSE.total_seconds()
        at += int(answer.split()[1])
        answer = _try(admin, "admin", PASSWORD, "10.0.0.7", _seconds(at))
    assert answer == "ok", "the owner is never locked out for the whole window"


def test_unknown_and_disabled_users_cost_a_password_check(
    admin: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Answering an unknown name without hashing took 12-25 ms against 575-811 ms for a real
    one: the time told which usernames exist. Every attempt now verifies one argon2 hash."""
    checked: list[str] = []
    real = users.verify_password

    def counting(stored: str, password: str) -> bool:  # the real check, counted
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(users, "verify_password", counting)
    with admin.write() as session:
        add_user(session, username="gone", role="auditor", password=PASSWORD, actor="t")
        set_active(session, "gone", False, actor="t")
    for name in ("admin", "nobody", "gone"):
        with pytest.raises(PermissionDenied), admin.write() as session:
            _authenticate(session, name)
    assert len(checked) == 3 and all(h.startswith("$argon2id$") for h in checked)


def _authenticate(session: Session, name: str) -> None:
    users.authenticate(session, name, "not the password")
