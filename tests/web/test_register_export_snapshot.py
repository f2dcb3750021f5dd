"""#17: a register's CSV export is one snapshot of the register. It is read a page at a time,
so before, another writer committing between two reads could leave the export half before and
half after that commit (rows of one page old, of the next new; a row moved past the reads'
position missed). The export now reads every page in one read transaction (REPEATABLE READ
on PostgreSQL, one transaction on SQLite): here a writer commits a change to every row right
after the export's first page is read, and the export must be exactly the one taken before.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, literal, select, update
from sqlalchemy.engine import Engine

from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.regcert_models import Donation
from esgledger.ledger.supplier_models import Supplier
from esgledger.suppliers.audits import add_finding
from esgledger.web import listing
from tests.suppliers.factories import tiered_register
from tests.web.conftest import log_in, make_user
from tests.web.test_register_csv_exports import EXPORTS, Export, _csv, loaded_or_fresh
from tests.web.test_register_export_keyset import IN_MEMORY, _name
from tests.web.test_supplier_audits_page import _audits

EXPORT_PAGE = 2  # rows per read of the export, so that it takes several reads


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """For a test of ``loaded``, a copy of every register's rows filled once per run, where
    each test filled its own (tests/web/test_register_csv_exports.py's ``_load``, #20)."""
    yield from loaded_or_fresh(request, tmp_path)


@pytest.fixture
def loaded(db: Database) -> None:
    """The test's ``db`` holds what ``_load`` writes: every register, and one text a register
    turned into a formula."""


@contextmanager
def _writer_after_first_page(
    db: Database, table: str, change: Any, *, counted: bool = False
) -> Iterator[list[str]]:
    """Commit ``change`` (an UPDATE, or a call given the write session) from another
    connection right after the export's first page of ``table`` (its count, then its first
    rows; ``counted`` for a read that does not count: right after its first read of
    ``table``); yields the statements read after that commit."""
    after: list[str] = []
    state = {"armed": True, "writing": False, "counted": counted}

    def read(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if state["writing"]:
            return
        if not state["armed"]:
            after.append(statement)
            return
        lowered = statement.lower()
        if f"from {table}" in lowered and "count(" in lowered:
            state["counted"] = True  # the export's first read counts the list
        elif f"from {table}" in lowered and state["counted"]:
            state.update(armed=False, writing=True)
            try:
                with db.write() as session:
                    change(session) if callable(change) else session.execute(change)
            finally:
                state["writing"] = False

    event.listen(Engine, "after_cursor_execute", read)
    try:
        yield after
    finally:
        event.remove(Engine, "after_cursor_execute", read)


def _everything(export: Export) -> str:
    view = {k: v for k, v in export.query.items() if k == "view"}
    return export.path + "?" + "".join(f"{k}={v}&" for k, v in view.items()) + "format=csv"


@pytest.mark.parametrize(
    "export", [e for e in EXPORTS if e.path not in IN_MEMORY], ids=_name
)  # training's coverage is computed whole in one read before it is paged
def test_a_write_between_two_pages_is_not_seen_by_the_export(
    web: TestClient,
    db: Database,
    export: Export,
    monkeypatch: pytest.MonkeyPatch,
    loaded: None,
) -> None:
    monkeypatch.setattr(listing, "MAX_LIMIT", EXPORT_PAGE)
    log_in(web, export.reader)
    before = _csv(web, _everything(export))
    assert len(before) > EXPORT_PAGE  # two reads or more
    column = export.poisoned[0]
    table = column.class_.__tablename__
    change = update(column.class_).values({column.key: literal("changed ") + column})
    with _writer_after_first_page(db, table, change) as later:
        during = _csv(web, _everything(export))
    assert any(f"from {table}" in q.lower() for q in later), "the write came after every read"
    assert during == before
    assert all(r[export.poisoned[1]].startswith("changed ") for r in _csv(web, _everything(export)))


def test_the_giving_export_is_a_snapshot_too(
    web: TestClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.test_register_csv_exports import (
        test_the_giving_page_exports_every_listed_donation,
    )

    test_the_giving_page_exports_every_listed_donation(web, db, tmp_path)  # 71 donations
    monkeypatch.setattr(listing, "MAX_LIMIT", 7)
    before = _csv(web, "/registers/giving?format=csv")
    change = update(Donation).values(programme=literal("changed ") + Donation.programme)
    with _writer_after_first_page(db, Donation.__tablename__, change) as later:
        during = _csv(web, "/registers/giving?format=csv")
    assert any("from donations" in q.lower() for q in later)
    assert during == before and len(before) == 71


def test_the_audit_log_export_is_a_snapshot_too(
    web: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch, loaded: None
) -> None:
    """Oldest first, an event recorded during the export would be read on its last page."""
    monkeypatch.setattr(listing, "MAX_LIMIT", 10)
    log_in(web, "aldo")
    before = _csv(web, "/audit?format=csv&sort=id")
    assert len(before) > 20
    with db.read() as session:
        chain = session.scalar(select(func.max(AuditEvent.id)))

    class Recorded:  # one event recorded by another writer, as a write statement
        def __call__(self, session: Any) -> None:
            audit.record(session, actor="setup", action="note.test", subject="x", payload={})

    with _writer_after_first_page(db, "audit_events", Recorded()) as later:
        during = _csv(web, "/audit?format=csv&sort=id")
    with db.read() as session:
        assert session.scalar(select(func.max(AuditEvent.id))) == (chain or 0) + 1
    assert any("from audit_events" in q.lower() for q in later)
    assert during == before


def test_the_suppliers_export_is_a_snapshot_too(
    web: TestClient, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supplier register (3 suppliers) read two at a time: a rename committed after the
    first page is not in the second."""
    tiered_register(db, tmp_path)
    monkeypatch.setattr(listing, "MAX_LIMIT", 2)
    log_in(web, make_user(db, "sam", "supplier_manager"))
    before = _csv(web, "/suppliers?format=csv")
    assert len(before) == 3
    change = update(Supplier).values(name=literal("changed ") + Supplier.name)
    with _writer_after_first_page(db, "suppliers", change) as later:
        during = _csv(web, "/suppliers?format=csv")
    assert any("from suppliers" in q.lower() for q in later), "the write came after every read"
    assert during == before
    assert all(r["name"].startswith("changed ") for r in _csv(web, "/suppliers?format=csv"))


def test_the_supplier_audits_export_is_a_snapshot_too(
    web: TestClient, db: Database, tmp_path: Path
) -> None:
    """The audits are read, then their findings: a finding added in between is in neither
    (the audit's counts are those of the findings read with it)."""
    _audits(db, tmp_path)
    log_in(web, make_user(db, "aldo", "auditor"))
    before = _csv(web, "/suppliers/audits?format=csv")
    assert [(r["id"], r["findings"]) for r in before] == [("1", "2"), ("2", "0")]

    def found(session: Any) -> None:
        add_finding(session, 1, grade="Minor", family="other", text="late", actor="setup")

    with _writer_after_first_page(db, "supplier_audits", found, counted=True) as later:
        during = _csv(web, "/suppliers/audits?format=csv")
    assert any("from supplier_findings" in q.lower() for q in later), "the write came last"
    assert during == before
    assert [r["findings"] for r in _csv(web, "/suppliers/audits?format=csv")] == ["3", "0"]
