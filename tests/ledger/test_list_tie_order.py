"""#14: the giving, audit log, data request and supplier lists order ties by id in the sort's
direction, as the register pages do (:func:`esgledger.ledger.listing.page_order`; the requests
since 0037_reqsort gave each sort a (column, id) index, by year, due, entity, metric before): a
descending page is the ascending one read backwards, so one index on (column, id) can serve
both. With most rows tied, pages of two rows by OFFSET and by keyset (each read after the last
row's key, as the CSV exports read) must give every row once, in the same order; the requests'
export (one ordered query) too. On SQLite and PostgreSQL (which place NULLs apart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from esgledger.auth.users import add_user, principal
from esgledger.catalog import metrics
from esgledger.ledger import audit_list
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.listing import ListParams, Page
from esgledger.registers.giving import DONATION_SORT, import_donations, page_donations
from esgledger.suppliers import register as suppliers
from esgledger.suppliers.register_import import import_register
from esgledger.workflow import request_list
from esgledger.workflow.request_list import RequestFilter, export_rows, page_requests
from esgledger.workflow.requests import issue_requests
from tests.factories import entities_file, write_csv
from tests.registers.test_giving_register import DONATION_HEADER
from tests.suppliers.factories import SUPPLIER_HEADER

Fetch = Callable[[Any, ListParams], Page[Any]]
ENTITIES = ["SZ1", "WH1", "VN1", "HQ"]
METRICS = [m.id for m in metrics().values() if m.kind != "derived"][:4]


def _load(db: Database, tmp_path: Path) -> None:
    """Rows tied on every sorted column but their id (NULLs among them)."""
    import_entities(db, entities_file(tmp_path), actor="setup")
    donations = [[f"D{i:02d}", ENTITIES[i % 2], f"2025-0{1 + i % 2}-10", "Schools", "education",
                  "cash", "1000", "CNY"] for i in range(9)]  # fmt: skip
    for part in range(3):  # three imports: more audit events tied on actor and action
        chunk = donations[part * 3 : part * 3 + 3]
        import_donations(
            db, write_csv(tmp_path / f"d{part}.csv", DONATION_HEADER, chunk), actor="s"
        )
    rows = [[f"S{i:02d}", "Same name" if i % 3 else f"Name {i}", "CN" if i % 2 else "VN", "",
             "tin", "" if i % 4 == 0 else "5000", "" if i % 4 == 0 else "CNY", "", ""]
            for i in range(9)]  # fmt: skip
    import_register(db, write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, rows), kind="suppliers",
                    actor="s")  # fmt: skip
    with db.write() as session:
        add_user(session, username="mia", role="esg_manager", actor="setup")
    with db.write() as session:
        issue_requests(session, principal(session, "mia"), year=2025, metrics=METRICS,
                       owner="mia", due=dt.date(2026, 3, 31), entities=ENTITIES,
                       issued_on=dt.date(2025, 1, 2))  # fmt: skip


def _requests(session: Any, params: ListParams) -> Page[Any]:
    return page_requests(session, principal(session, "mia"), RequestFilter(), params)


LISTS: dict[str, tuple[list[str], Fetch, bool]] = {  # keys, a page, read by keyset too
    "giving": (list(DONATION_SORT), page_donations, True),
    "audit": (list(audit_list.SORT_KEYS), audit_list.page_events, True),
    "suppliers": (list(suppliers.SORT), suppliers.page_suppliers, True),
    "requests": (list(request_list.SORT_KEYS), _requests, True),
}
# a request's value for each sort key (every request here is owned by mia)
REQUEST_KEY: dict[str, Callable[[Any], Any]] = {
    "id": lambda r: r.id, "year": lambda r: r.year, "due": lambda r: r.due_date,
    "entity": lambda r: r.entity_id, "metric": lambda r: r.metric_id,
    "state": lambda r: r.state, "owner": lambda r: "mia", "updated": lambda r: r.updated_at,
}  # fmt: skip


def _id(row: Any) -> Any:
    return (row.get("id") or row["ref"]) if isinstance(row, dict) else row.id


def _by_offset(db: Database, fetch: Fetch, sort: str, descending: bool) -> list[Any]:
    """Every row's id, reading pages of two by number; the walk's length is checked
    against the list's count."""
    ids: list[Any] = []
    with db.read() as session:
        page = 1
        while True:
            found = fetch(session, ListParams(2, page, sort, descending))
            ids += [_id(r) for r in found.rows]
            if not found.has_next:
                assert len(ids) == found.total, (sort, ids)
                return ids
            page += 1


def _by_keyset(db: Database, fetch: Fetch, sort: str, descending: bool) -> list[Any]:
    ids: list[Any] = []
    with db.read() as session:
        after: tuple[Any, ...] = ()
        while True:
            found = fetch(session, ListParams(2, 1, sort, descending, after=after))
            ids += [_id(r) for r in found.rows]
            if len(found.rows) < 2 or found.last_key is None:
                return ids
            after = found.last_key


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_descending_list_is_the_ascending_one_read_backwards(
    db: Database, tmp_path: Path, name: str
) -> None:
    _load(db, tmp_path)
    keys, fetch, keyset = LISTS[name]
    for sort in keys:
        ascending = _by_offset(db, fetch, sort, False)
        descending = _by_offset(db, fetch, sort, True)
        assert len(ascending) == len(set(ascending)) >= 8, (sort, ascending)
        assert descending == ascending[::-1], sort
        if keyset:
            assert _by_keyset(db, fetch, sort, False) == ascending, sort
            assert _by_keyset(db, fetch, sort, True) == descending, sort


def test_the_requests_export_is_the_pages_order(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path)
    for sort in request_list.SORT_KEYS:
        for descending in (False, True):
            paged = _by_offset(db, _requests, sort, descending)
            with db.read() as session:
                params = ListParams(2, 1, sort, descending)
                total, rows = export_rows(session, principal(session, "mia"), RequestFilter(),
                                          params)  # fmt: skip
                exported = [r["id"] for r in rows]
            assert total == len(paged) == len(ENTITIES) * len(METRICS)
            assert exported == paged, (sort, descending)


def test_tied_requests_follow_their_id_in_the_sorts_direction(db: Database, tmp_path: Path) -> None:
    """Requests tied on the sorted key come by id, ascending in an ascending sort and
    descending in a descending one: the order one (column, id) index gives both ways."""
    _load(db, tmp_path)
    assert set(REQUEST_KEY) == set(request_list.SORT_KEYS)
    with db.read() as session:
        every = _requests(session, ListParams(500, 1, "id", False)).rows
        rows = {r.id: {sort: get(r) for sort, get in REQUEST_KEY.items()} for r in every}
    tied = {s for s in REQUEST_KEY if len({v[s] for v in rows.values()}) < len(rows)}
    assert {"due", "owner", "state", "year", "entity", "metric"} <= tied, tied
    for sort in REQUEST_KEY:
        wanted = sorted(rows, key=lambda i: (rows[i][sort], i))
        assert _by_offset(db, _requests, sort, False) == wanted, sort
        assert _by_offset(db, _requests, sort, True) == wanted[::-1], sort
