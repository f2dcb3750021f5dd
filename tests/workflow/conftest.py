"""A workspace with the test entity tree and one user per role, for workflow tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from esgledger.auth.permissions import Principal
from esgledger.auth.users import add_user, grant, principal
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.workflow.requests import issue_requests
from tests.factories import entities_file
from tests.filled import filled_db

YEAR = 2025
DUE = dt.date(2026, 3, 31)
ISSUED = dt.date(2026, 1, 5)  # seeded history: the day the requests went out


@dataclass
class Org:
    """The acting principals: an admin, a manager, two owners, two reviewers, an auditor."""

    db: Database
    admin: Principal
    manager: Principal
    olga: Principal  # data owner of HQ (and so SZ1 below it)
    otto: Principal  # data owner of WH1
    rita: Principal  # reviewer
    rex: Principal  # second reviewer
    aldo: Principal  # auditor

    def reload(self, name: str) -> Principal:
        with self.db.read() as session:
            return principal(session, name)


USERS = [
    ("ada", "admin"), ("mia", "esg_manager"), ("olga", "data_owner"),
    ("otto", "data_owner"), ("rita", "reviewer"), ("rex", "reviewer"), ("aldo", "auditor"),
]  # fmt: skip


def fill_org(db: Database, folder: Path) -> bool:
    """The test entity tree and :data:`USERS`, with the owners' grants; True once done."""
    import_entities(db, entities_file(folder), actor="setup")
    with db.write() as session:
        for name, role in USERS:
            add_user(session, username=name, role=role, actor="setup")
        grant(session, "olga", "HQ", actor="setup")
        grant(session, "otto", "WH1", actor="setup")
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """As the suite's ``db``; for a test of ``org``, a copy of a workspace :func:`fill_org`
    filled once per run (#20: ~0.05 CPU s of every such test)."""
    if "org" not in request.fixturenames:
        yield request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")
        return
    yield from filled_db(request, tmp_path, "org", fill_org)


@pytest.fixture
def org(db: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Org:
    if not getattr(request.node, "filled", {}).get("org"):  # a workspace not copied from the fill
        fill_org(db, tmp_path)
    with db.read() as session:
        p = {name: principal(session, name) for name, _ in USERS}
    return Org(db, p["ada"], p["mia"], p["olga"], p["otto"], p["rita"], p["rex"], p["aldo"])


def issue(
    org: Org, metrics: list[str], entities: list[str], owner: str = "olga", **kw
) -> list[int]:
    """Issue requests as the manager; returns the new ids."""
    with org.db.write() as session:
        result = issue_requests(
            session, org.manager, year=kw.pop("year", YEAR), metrics=metrics, owner=owner,
            due=kw.pop("due", DUE), entities=entities, reviewer=kw.pop("reviewer", "rita"),
            issued_on=kw.pop("issued_on", ISSUED), **kw,
        )  # fmt: skip
    return result["ids"]
