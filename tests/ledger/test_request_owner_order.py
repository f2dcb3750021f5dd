"""#14: the request list sorted by owner reads an index, not a sort of every request.

The order stays the owner's user name, ties by id in the sort's direction; the list is read
an owner at a time in the owners' name order (:func:`request_list.page_by_owner`), each
owner's requests by (owner_id, id) (``0038_actsort``). With owners whose names do not follow
their ids and requests interleaved between them, pages by number and by keyset, both
directions, and the CSV export's rows must give every request once, in that order, on SQLite
and PostgreSQL; each read's plan walks the index (PostgreSQL's on a large table:
``tests/ledger/test_list_sort_indexes.py``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from esgledger.auth.users import add_user, principal
from esgledger.catalog import metrics
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.listing import ListParams, Page
from esgledger.ledger.workflow_models import DataRequest, User
from esgledger.workflow.request_list import RequestFilter, export_rows, owner_read, page_requests
from esgledger.workflow.requests import issue_requests
from tests.factories import entities_file

ENTITIES = ["SZ1", "WH1", "VN1", "HQ"]
METRICS = [m.id for m in metrics().values() if m.kind != "derived"][:6]
OWNERS = ["zoe", "adam", "mia"]  # made in this order: ids 1‥3 (after the manager), names not


def _load(db: Database, tmp_path: Path) -> None:
    import_entities(db, entities_file(tmp_path), actor="setup")
    with db.write() as session:
        add_user(session, username="boss", role="esg_manager", actor="setup")
        for name in OWNERS:
            add_user(session, username=name, role="esg_manager", actor="setup")
    for n, metric in enumerate(METRICS):  # owners interleaved in id order
        with db.write() as session:
            issue_requests(session, principal(session, "boss"), year=2025, metrics=[metric],
                           owner=OWNERS[n % 3], due=dt.date(2026, 3, 31), entities=ENTITIES,
                           issued_on=dt.date(2025, 1, 2))  # fmt: skip


def _page(session: Any, params: ListParams) -> Page[Any]:
    return page_requests(session, principal(session, "boss"), RequestFilter(), params)


def _by_number(db: Database, descending: bool) -> list[int]:
    ids: list[int] = []
    with db.read() as session:
        page = 1
        while True:
            found = _page(session, ListParams(5, page, "owner", descending))
            ids += [r.id for r in found.rows]
            if not found.has_next:
                assert len(ids) == found.total
                return ids
            page += 1


def _by_key(db: Database, descending: bool) -> list[int]:
    ids: list[int] = []
    with db.read() as session:
        key: tuple[Any, ...] = ()
        while True:
            found = _page(session, ListParams(5, 1, "owner", descending, after=key))
            ids += [r.id for r in found.rows]
            if len(found.rows) < 5:
                return ids
            assert found.last_key is not None
            key = found.last_key


def test_requests_by_owner_page_and_export_in_name_then_id_order(
    db: Database, tmp_path: Path
) -> None:
    _load(db, tmp_path)
    with db.read() as session:
        every = _page(session, ListParams(500, 1, "id", False)).rows
        users = dict(session.execute(select(User.id, User.username)).all())
        names = {r.id: users[r.owner_id] for r in every}
    assert len(names) == len(METRICS) * len(ENTITIES) and set(names.values()) == set(OWNERS)
    wanted = sorted(names, key=lambda i: (names[i], i))
    assert wanted != sorted(names, key=lambda i: (every[0].owner_id, i))  # not the id order
    assert _by_number(db, False) == wanted
    assert _by_number(db, True) == wanted[::-1]
    assert _by_key(db, False) == wanted
    assert _by_key(db, True) == wanted[::-1]
    for descending in (False, True):
        with db.read() as session:
            total, rows = export_rows(session, principal(session, "boss"), RequestFilter(),
                                      ListParams(2, 1, "owner", descending))  # fmt: skip
            exported = [r["id"] for r in rows]
        assert total == len(wanted)
        assert exported == (wanted[::-1] if descending else wanted)
    with db.read() as session:  # the search and a filter apply alike
        found = page_requests(session, principal(session, "boss"), RequestFilter(entity="WH1"),
                              ListParams(100, 1, "owner", False, search="ad"))  # fmt: skip
    assert [r.id for r in found.rows] == [i for i in wanted if names[i] == "adam"
                                          and i in {r.id for r in every if r.entity_id == "WH1"}]  # fmt: skip


def test_an_owners_read_on_sqlite_walks_an_index(sqlite_db: Database) -> None:
    for descending in (False, True):
        for after_id in (None, 7):
            stmt = owner_read(select(DataRequest), 2, descending, after_id).limit(100)
            with sqlite_db.read() as session:
                compiled = stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
                rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
            plan = " | ".join(str(r[-1]) for r in rows)
            assert "TEMP B-TREE" not in plan and "ix_data_requests_owner_id_id" in plan, plan
