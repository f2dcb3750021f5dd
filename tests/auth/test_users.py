"""Users on a real database: argon2 passwords, hashed and revocable tokens, grants, the CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from esgledger.auth.passwords import hash_password, needs_rehash, verify_password
from esgledger.auth.permissions import PermissionDenied, can
from esgledger.auth.tokens import authenticate_token, issue_token, revoke_token
from esgledger.auth.users import add_user, authenticate, grant, principal, set_active
from esgledger.cli.main import app
from esgledger.errors import Conflict, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.workflow_models import ApiToken, User
from tests.conftest import Cli
from tests.factories import entities_file

PASSWORD = "correct horse battery"


def test_argon2_hashes_verify_and_wrong_passwords_fail() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("$argon2id$") and PASSWORD not in first
    assert first != second, "each hash has its own salt"
    assert verify_password(second, PASSWORD)
    assert not verify_password(first, PASSWORD.upper())
    assert not verify_password("", PASSWORD), "no password set: nothing verifies"
    assert not verify_password("not a hash", PASSWORD)
    assert not needs_rehash(first)


def test_sign_in_with_password(db: Database) -> None:
    with db.write() as session:
        add_user(session, username="Mia", role="esg_manager", password=PASSWORD, actor="t")
    with db.write() as session:
        stored = session.scalar(select(User.password_hash))
        assert stored.startswith("$argon2id$")
        who = authenticate(session, "mia", PASSWORD)
        assert (who.username, who.role) == ("mia", "esg_manager")
    for name, password in [("mia", "wrong password!"), ("nobody", PASSWORD)]:
        with pytest.raises(PermissionDenied, match="wrong username or"), db.write() as session:
            authenticate(session, name, password)
    with db.write() as session:
        set_active(session, "mia", False, actor="t")
    with pytest.raises(PermissionDenied), db.write() as session:
        authenticate(session, "mia", PASSWORD)


def test_tokens_are_stored_hashed_and_revocable(db: Database) -> None:
    with db.write() as session:
        add_user(session, username="bot", role="auditor", actor="t")
        plain, row = issue_token(session, "bot", name="ci", actor="t")
        token_id = row.id
    assert plain.startswith("esg_") and len(plain) > 40
    with db.engine.connect() as conn:  # the plain token is nowhere in the database
        dump = " ".join(str(v) for r in conn.execute(text("SELECT * FROM api_tokens")) for v in r)
        events = " ".join(r[0] for r in conn.execute(text("SELECT payload FROM audit_events")))
    assert plain not in dump and plain not in events
    assert hashlib.sha256(plain.encode()).hexdigest() in dump
    with db.read() as session:
        assert authenticate_token(session, plain).username == "bot"
        assert authenticate_token(session, f"  {plain}\n").username == "bot"
        with pytest.raises(PermissionDenied, match="invalid, revoked or expired token"):
            authenticate_token(session, plain[:-1] + ("A" if plain[-1] != "A" else "B"))
    with db.write() as session:
        revoke_token(session, token_id, actor="t")
    with db.read() as session:
        assert session.get(ApiToken, token_id).revoked_at is not None
        with pytest.raises(PermissionDenied, match="invalid, revoked or expired token"):
            authenticate_token(session, plain)
    with db.write() as session:  # a disabled user's tokens stop working too
        plain, _ = issue_token(session, "bot", actor="t")
        set_active(session, "bot", False, actor="t")
    with pytest.raises(PermissionDenied), db.read() as session:
        authenticate_token(session, plain)
    with pytest.raises(Conflict, match="is disabled"), db.write() as session:
        issue_token(session, "bot", actor="t")


def test_grants_cover_the_subtree_and_user_input_is_checked(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    with db.write() as session:
        add_user(session, username="olga", role="data_owner", actor="t")
        add_user(session, username="rita", role="reviewer", actor="t")
        grant(session, "olga", "HQ", actor="t")
        grant(session, "olga", "HQ", actor="t")  # twice is once
        with pytest.raises(InvalidInput, match="entity grants apply to data owners only"):
            grant(session, "rita", "HQ", actor="t")
    with db.read() as session:
        olga = principal(session, "olga")
        assert olga.scope == {"HQ", "SZ1"}
        assert can(olga, "request.enter", entity="SZ1")
        assert not can(olga, "request.enter", entity="WH1")
        assert not can(olga, "request.enter", entity="GRP"), "a grant does not reach upwards"
        actions = [e.action for e in reversed(audit.events(session, limit=10))]
    assert actions[-3:] == ["user.add", "user.add", "user.grant"]

    with db.write() as session:
        with pytest.raises(InvalidInput, match="role 'boss' is not one of admin, esg_manager"):
            add_user(session, username="x1", role="boss", actor="t")
        with pytest.raises(InvalidInput, match="username 'a b'"):
            add_user(session, username="a b", role="admin", actor="t")
        with pytest.raises(InvalidInput, match="is not an e-mail address"):
            add_user(session, username="x1", role="admin", email="nope", actor="t")
        add_user(session, username="x1", role="admin", actor="t")
        with pytest.raises(Conflict, match="user 'x1' already exists"):
            add_user(session, username="X1", role="admin", actor="t")


def test_user_cli(cli: Cli, db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="t")
    out = cli("user", "add", "olga", "--role", "data_owner", "--name", "Olga", "--json")
    assert json.loads(out.stdout)["role"] == "data_owner"
    result = cli.runner.invoke(
        app,
        ["user", "add", "mia", "--role", "esg_manager", "--password", "--db", db.url],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    cli("user", "grant", "olga", "HQ")
    listed = {u["username"]: u for u in json.loads(cli("user", "list", "--json").stdout)}
    assert listed["olga"]["grants"] == ["HQ"] and listed["mia"]["password"] is True
    issued = json.loads(cli("user", "token", "olga", "--name", "laptop", "--json").stdout)
    tokens = json.loads(cli("user", "tokens", "olga", "--json").stdout)
    assert [t["prefix"] for t in tokens] == [issued["token"][:12]] and "token" not in tokens[0]
    cli("user", "revoke", str(issued["id"]))
    cli("user", "disable", "olga")
    with db.read() as session:
        assert principal(session, "olga").active is False
        assert session.get(ApiToken, issued["id"]).revoked_at is not None
    roles = cli.runner.invoke(app, ["user", "roles", "--json"])
    assert "request.approve" in json.loads(roles.stdout)["actions"]
    err = cli("user", "add", "zed", "--role", "boss", expect=2)
    assert "role 'boss' is not one of" in err.output and "Traceback" not in err.output


def _role_events(db: Database) -> list[tuple[str, str, object]]:
    with db.read() as session:
        return [
            (e.action, e.subject, json.loads(e.payload))
            for e in reversed(audit.events(session, limit=50))
            if e.action == "user.role"
        ]


def test_user_role_cli(cli: Cli, db: Database) -> None:
    cli("user", "add", "rita", "--role", "reviewer")
    changed = json.loads(cli("user", "role", "rita", "esg_manager", "--json").stdout)
    assert changed["username"] == "rita" and changed["role"] == "esg_manager"
    with db.read() as session:
        assert principal(session, "rita").role == "esg_manager"
    assert _role_events(db) == [
        ("user.role", "user:rita", {"from": "reviewer", "to": "esg_manager"})
    ]
    plain = cli("user", "role", "RITA", "auditor")
    assert plain.output.strip() == "User rita is now auditor."

    for args, says in (
        (("user", "role", "rita", "boss"), "role 'boss' is not one of admin, esg_manager"),
        (("user", "role", "nobody", "auditor"), "unknown user 'nobody'"),
    ):
        err = cli(*args, expect=2)
        lines = err.output.strip().splitlines()
        assert len(lines) == 1 and says in lines[0] and "Traceback" not in err.output
    with db.read() as session:
        assert principal(session, "rita").role == "auditor", "a refusal writes nothing"
    assert len(_role_events(db)) == 2
