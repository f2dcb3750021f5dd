"""Issue #14 (passwords): common, breached, username-like and one-key passwords are refused
on every path that sets one; the length rule stays."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from esgledger.auth.password_rules import check_password, common_passwords
from esgledger.auth.users import add_user, authenticate, set_password
from esgledger.cli.main import app
from esgledger.errors import InvalidInput
from esgledger.ledger.db import Database
from esgledger.ledger.workflow_models import User
from tests.conftest import Cli

GOOD = "correct horse battery"
REFUSED = [
    ("short1!", "at least 10 characters"),
    ("aaaaaaaaaa", "different characters"),
    ("abababababab", "different characters"),
    ("password123", "most common"),
    ("qwertyuiop", "most common"),
    ("1q2w3e4r5t", "most common"),
    ("QWERTYUIOP", "most common"),
    ("Sunshine2024!!", "most common"),  # a common word with digits and symbols after it
    ("monkey1234567", "most common"),
    ("mia.wagner", "username"),
    ("MIA.WAGNER", "username"),
    ("my-mia.wagner-pass", "username"),
]


def test_the_shipped_list_cites_its_source_and_holds_the_top_passwords() -> None:
    common = common_passwords()
    assert len(common) >= 9_900
    assert {"123456", "password", "qwerty", "letmein", "1234567890"} <= common
    assert GOOD not in common


@pytest.mark.parametrize(("password", "reason"), REFUSED)
def test_weak_passwords_are_refused_saying_why(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        check_password(password, username="mia.wagner")


def test_good_passwords_pass() -> None:
    for password in (GOOD, "Tr4m-lines blue", "kettle-orbit-saffron-7"):
        check_password(password, username="mia.wagner")
    check_password("al-pine meadow", username="al")  # a 2-letter username inside is chance


def test_every_service_path_refuses_a_weak_password_and_writes_nothing(db: Database) -> None:
    with pytest.raises(InvalidInput, match="most common"), db.write() as session:
        add_user(session, username="mia", role="auditor", password="password123", actor="t")
    with db.read() as session:
        assert session.scalar(select(User).where(User.username == "mia")) is None
    with db.write() as session:
        add_user(session, username="mia", role="auditor", password=GOOD, actor="t")
    with pytest.raises(InvalidInput, match="username"), db.write() as session:
        set_password(session, "mia", "mia-mia-mia-2024", actor="t")
    with db.write() as session:  # the old password still works: nothing was written
        assert authenticate(session, "mia", GOOD).username == "mia"


def test_cli_refuses_a_weak_password_with_one_line(cli: Cli, db: Database) -> None:
    cli("user", "add", "olga", "--role", "data_owner")
    weak = cli.runner.invoke(
        app, ["user", "password", "olga", "--db", db.url], input="olga123456\nolga123456\n"
    )
    assert weak.exit_code == 2, weak.output
    assert "must not contain the username" in weak.output and "Traceback" not in weak.output
    added = cli.runner.invoke(
        app,
        ["user", "add", "mia", "--role", "auditor", "--password", "--db", db.url],
        input="aaaaaaaaaaaa\naaaaaaaaaaaa\n",
    )
    assert added.exit_code == 2 and "different characters" in added.output
    with db.read() as session:
        assert session.scalar(select(User).where(User.username == "mia")) is None
        olga = session.scalar(select(User).where(User.username == "olga"))
        assert olga is not None and olga.password_hash == ""
