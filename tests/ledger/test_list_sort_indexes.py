"""#14: the lists outside the registers — giving, the audit log, data requests, activities and
suppliers — on PostgreSQL, as ``tests/ledger/test_register_sort_indexes.py`` holds the register
pages: which page sorts read an index in its order and which sort the whole table. Each list's
page order is the one its page and API read (:func:`esgledger.ledger.listing.paginate`), on
tables of about 20,000 rows, analysed, first page and a later one, both directions.

What still sorts is listed in :data:`NOT_IN_INDEX_ORDER` with why: what a (column, id) index
does not serve (0035_listsort added those it serves: the audit log's and the suppliers';
0037_reqsort the data requests'; 0038_actsort the activities')."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, select, text

from esgledger.api.routes import ACTIVITY_SORT
from esgledger.auth.users import add_user, principal
from esgledger.catalog import metrics
from esgledger.ledger import activity_pages, audit_list
from esgledger.ledger.activities import import_activities
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.keyset import after, term
from esgledger.ledger.listing import page_order
from esgledger.ledger.models import ActivityRecord, AuditEvent
from esgledger.ledger.regcert_models import Donation
from esgledger.ledger.supplier_models import Supplier
from esgledger.ledger.workflow_models import DataRequest
from esgledger.registers import giving
from esgledger.registers.giving import DONATION_SORT, import_donations
from esgledger.suppliers import register as suppliers
from esgledger.suppliers.register_import import import_register
from esgledger.workflow import request_list
from esgledger.workflow.requests import issue_requests
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv
from tests.ledger.test_register_sort_indexes import (
    ROWS,
    _pg_plan,
    _unique_text,
    _walks_the_index,
)
from tests.registers.test_giving_register import DONATION_HEADER, DONATIONS
from tests.suppliers.factories import SUPPLIER_HEADER, SUPPLIERS


@dataclass(frozen=True)
class Listed:
    """A list as its page reads it: the model, its sort keys, the ties' order (for an
    ascending sort) and whether a descending sort reads the ties backwards too."""

    model: Any
    keys: dict[str, Any]
    then_by: tuple[Any, ...]
    reverse_ties: bool


BY_COLUMN = {k: v for k, v in request_list.SORT_KEYS.items() if k != "owner"}
LISTS = {
    "giving": Listed(Donation, DONATION_SORT, giving.THEN_BY, True),
    "audit": Listed(AuditEvent, audit_list.SORT_KEYS, audit_list.THEN_BY, True),
    # by owner: read an owner at a time, test_requests_by_owner_read_an_index_on_postgresql
    "requests": Listed(DataRequest, BY_COLUMN, request_list.THEN_BY, True),
    # the store's rows are merged in the same order (0038_actsort: ties by id either way)
    "activities": Listed(ActivityRecord, ACTIVITY_SORT, activity_pages.THEN_BY, True),
    "suppliers": Listed(Supplier, suppliers.SORT, (suppliers.SORT["id"],), True),
}
METRICS = [m.id for m in metrics().values() if m.kind != "derived"][:4]
# The (list, sort key)s PostgreSQL does NOT read in index order, in one direction or page at
# least, with why. 0035_listsort mended the audit log's (ts, actor) and the suppliers' (name,
# country, spend); 0037_reqsort the requests' (due, metric, updated, entity, state, year), their
# ties by id since; 0038_actsort the activities' (activity, entity, start), their ties by id
# in the sort's direction since, and the requests' by owner, read an owner at a time; what is
# left needs more than a (column, id) index. Remove
# what an index mends; the test fails when this changes either way.
NOT_IN_INDEX_ORDER: dict[tuple[str, str], str] = {}


def _column(element: Any) -> Column[Any] | None:
    """The table column a sort key is (None for an expression, e.g. the owner's name)."""
    if isinstance(element, Column):
        return element
    prop = getattr(element, "property", None)
    columns = getattr(prop, "columns", None)
    return columns[0] if columns else None


def _order(listed: Listed, element: Any, descending: bool) -> tuple[Any, ...]:
    if listed.reverse_ties:
        return page_order(element, descending, listed.then_by)
    return (element.desc() if descending else element.asc(), *listed.then_by)


def _load(db: Database, tmp_path: Path) -> None:
    """A few rows in each list's table, through the imports and the request workflow."""
    import_entities(db, entities_file(tmp_path), actor="setup")
    import_donations(db, write_csv(tmp_path / "d.csv", DONATION_HEADER, DONATIONS), actor="s")
    rows = [r for e in ("SZ1", "WH1") for r in monthly_rows(e, "electricity.purchased", "MWh", 2025, 9.0)]  # fmt: skip
    import_activities(db, write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows), actor="s")
    suppliers_csv = write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, SUPPLIERS)
    import_register(db, suppliers_csv, kind="suppliers", actor="s")
    with db.write() as session:
        add_user(session, username="mia", role="esg_manager", actor="setup")
    with db.write() as session:
        issue_requests(session, principal(session, "mia"), year=2025, owner="mia",
                       metrics=METRICS, due=dt.date(2026, 3, 31), entities=["SZ1", "WH1"],
                       issued_on=dt.date(2025, 1, 2))  # fmt: skip


def _grow(db: Database, table: Any) -> int:
    """``table``'s rows copied until it holds about :data:`ROWS`, unique texts (a text
    primary key too) suffixed with the copy's number; then ``ANALYZE``."""
    suffixed = _unique_text(table) | {
        c.name for c in table.primary_key if c.type.python_type is str
    }
    columns = [c.name for c in table.columns]
    room = {c.name: getattr(c.type, "length", None) for c in table.columns}

    def suffix(c: str) -> str:  # within the column's length (a hash fills its 64)
        cut = f'left(t."{c}", {room[c] - 8})' if room[c] else f't."{c}"'
        return f"{cut} || '~' || g"

    # an integer id numbered on from the largest (the audit log's are given by the app,
    # not by its sequence)
    values = [suffix(c) if c in suffixed else "top.id + row_number() OVER ()" if c == "id"
              else f't."{c}"' for c in columns]  # fmt: skip
    names = ", ".join(f'"{c}"' for c in columns)
    with db.write() as session:
        held = session.scalar(text(f"SELECT count(*) FROM {table.name}"))
        assert held, f"{table.name} has no rows to copy"
        session.execute(
            text(
                f"INSERT INTO {table.name} ({names}) "
                f"SELECT {', '.join(values)} FROM {table.name} AS t, "
                f"(SELECT max(id) AS id FROM {table.name}) AS top, "
                f"generate_series(1, {ROWS // held}) AS g"
            )
        )
        session.execute(text(f"ANALYZE {table.name}"))
        return int(session.scalar(text(f"SELECT count(*) FROM {table.name}")) or 0)


def test_a_list_page_read_on_postgresql_walks_an_index_not_a_sort_of_the_table(
    pg_db: Database, tmp_path: Path
) -> None:
    _load(pg_db, tmp_path)
    sizes = {n: _grow(pg_db, listed.model.__table__) for n, listed in LISTS.items()}
    assert min(sizes.values()) >= ROWS // 2, sizes
    wrong: dict[tuple[str, str, str], str] = {}
    for name, listed in LISTS.items():
        for key, element in listed.keys.items():
            column = _column(element)
            for descending in (False, True):
                order = _order(listed, element, descending)
                first = select(listed.model).order_by(*order).limit(1000)
                with pg_db.read() as session:
                    middle = session.execute(
                        select(*(term(o).column for o in order))
                        .select_from(listed.model)
                        .order_by(*order)
                        .offset(sizes[name] // 2)
                        .limit(1)
                    ).one()
                terms = [term(o) for o in order]
                later = first.where(after(terms, tuple(middle), large_nulls=True))
                for page, statement in (("first", first), ("later", later)):
                    why = _walks_the_index(_pg_plan(pg_db, statement), column)
                    if why:
                        way = "desc" if descending else "asc"
                        wrong[(name, key, f"{way} {page}")] = why
    report = "\n".join(f"{k}: {v}" for k, v in sorted(wrong.items()))
    assert {(name, key) for name, key, _ in wrong} == set(NOT_IN_INDEX_ORDER), report


def test_requests_by_owner_read_an_index_on_postgresql(pg_db: Database, tmp_path: Path) -> None:
    """The list by owner reads each owner's requests by id (``request_list.owner_read``):
    first page and the one after the middle request, both directions, on about 20,000
    requests shared by three owners (the one read owns 2 %), in (owner_id, id) order with no
    Sort (the primary key's order with a filter would read 50 rows for each one kept)."""
    _load(pg_db, tmp_path)
    with pg_db.write() as session:
        for name in ("zoe", "adam"):
            add_user(session, username=name, role="esg_manager", actor="setup")
    size = _grow(pg_db, DataRequest.__table__)
    with pg_db.write() as session:  # zoe owns one request in 50, adam one in 10, mia the rest
        zoe, adam = (principal(session, n).user_id for n in ("zoe", "adam"))
        session.execute(text(f"UPDATE data_requests SET owner_id = CASE WHEN id % 50 = 0 "
                             f"THEN {zoe} WHEN id % 10 = 0 THEN {adam} ELSE owner_id END"))  # fmt: skip
        session.execute(text("ANALYZE data_requests"))
    owner = zoe
    with pg_db.read() as session:
        middle = session.scalar(select(DataRequest.id).order_by(DataRequest.id).offset(size // 2))
    assert owner is not None and middle is not None and size >= ROWS // 2
    column = _column(DataRequest.owner_id)
    wrong = {}
    for descending in (False, True):
        for after_id in (None, middle):
            read = request_list.owner_read(select(DataRequest), owner, descending, after_id)
            nodes = _pg_plan(pg_db, read.limit(100))  # a page (the default)
            why = _walks_the_index(nodes, column)
            if why:
                wrong[(descending, after_id)] = f"{why}: {[n.get('Index Name') for n in nodes]}"
    assert wrong == {}


@pytest.mark.parametrize("name", ["sqlite_db", "pg_db"])
def test_0035_listsort_down_and_up(request: pytest.FixtureRequest, name: str) -> None:
    """Down to 0034_calc7 the audit log's and the suppliers' (column, id) indexes go; up
    again they are back, the audit log's id descending (test_migrations: as the models)."""
    from alembic import command
    from sqlalchemy import inspect

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    db: Database = request.getfixturevalue(name)
    # name → (table, its columns, whether id is descending), as the database holds them
    wanted = {
        "ix_audit_events_ts_id": ("audit_events", ["ts", "id"], True),
        "ix_audit_events_actor_id": ("audit_events", ["actor", "id"], True),
        "ix_suppliers_name_id": ("suppliers", ["name", "id"], False),
        "ix_suppliers_country_id": ("suppliers", ["country", "id"], False),
        "ix_suppliers_spend_id": ("suppliers", ["spend", "id"], False),
    }
    ddl = (
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :name"
        if db.engine.dialect.name == "sqlite"
        else "SELECT indexdef FROM pg_indexes WHERE indexname = :name"
    )

    def found() -> dict[str, tuple[str, list[str], bool]]:
        with db.engine.connect() as conn:
            seen = inspect(conn)
            held = {str(i["name"]): (t, list(i["column_names"]))
                    for t in ("audit_events", "suppliers") for i in seen.get_indexes(t)
                    if i["name"] in wanted}  # fmt: skip
            return {n: (*held[n], "id DESC" in str(conn.execute(text(ddl), {"name": n}).scalar()))
                    for n in held}  # fmt: skip

    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0034_calc7")
    assert current_revision(db) == "0034_calc7"
    assert found() == {}
    assert upgrade(db) == ("0034_calc7", head_revision())
    assert found() == wanted


# 0037_reqsort's indexes, name → columns; (entity_id, id) takes the place of entity_id alone
REQUEST_INDEXES = {
    f"ix_data_requests_{c}_id": [c, "id"]
    for c in ("due_date", "metric_id", "updated_at", "entity_id", "state", "year")
}


@pytest.mark.parametrize("name", ["sqlite_db", "pg_db"])
def test_0037_reqsort_down_and_up(request: pytest.FixtureRequest, name: str) -> None:
    """Down to 0036_kpisums the request list's six (column, id) indexes go and the index on
    entity_id alone is back; up again the six are back and it is gone (test_migrations:
    as the models)."""
    from alembic import command
    from sqlalchemy import inspect

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    db: Database = request.getfixturevalue(name)
    watched = {*REQUEST_INDEXES, "ix_data_requests_entity"}

    def found() -> dict[str, list[str]]:
        with db.engine.connect() as conn:
            held = inspect(conn).get_indexes("data_requests")
            return {str(i["name"]): list(i["column_names"]) for i in held if i["name"] in watched}

    assert found() == REQUEST_INDEXES
    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0036_kpisums")
    assert current_revision(db) == "0036_kpisums"
    assert found() == {"ix_data_requests_entity": ["entity_id"]}
    assert upgrade(db) == ("0036_kpisums", head_revision())
    assert found() == REQUEST_INDEXES


# 0038_actsort's indexes, name → columns; (owner_id, id) takes the place of owner_id alone
ACTIVITY_INDEXES = {
    "ix_activity_records_activity_id": ["activity", "id"],
    "ix_activity_records_entity_id_id": ["entity_id", "id"],
    "ix_activity_records_start_id": ["start", "id"],
}
OWNER_INDEXES = {"ix_data_requests_owner_id_id": ["owner_id", "id"]}


@pytest.mark.parametrize("name", ["sqlite_db", "pg_db"])
def test_0038_actsort_down_and_up(request: pytest.FixtureRequest, name: str) -> None:
    """Down to 0037_reqsort the activity list's three (column, id) indexes go and the
    requests' (owner_id, id) gives way to owner_id alone; up again they are back."""
    from alembic import command
    from sqlalchemy import inspect

    from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade

    db: Database = request.getfixturevalue(name)

    watched = {*ACTIVITY_INDEXES, *OWNER_INDEXES, "ix_data_requests_owner_id"}

    def found() -> dict[str, list[str]]:
        with db.engine.connect() as conn:
            seen = inspect(conn)
            held = [*seen.get_indexes("activity_records"), *seen.get_indexes("data_requests")]
            return {str(i["name"]): list(i["column_names"]) for i in held
                    if i["name"] in watched}  # fmt: skip

    assert found() == {**ACTIVITY_INDEXES, **OWNER_INDEXES}
    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0037_reqsort")
    assert current_revision(db) == "0037_reqsort"
    assert found() == {"ix_data_requests_owner_id": ["owner_id"]}
    assert upgrade(db) == ("0037_reqsort", head_revision())
    assert found() == {**ACTIVITY_INDEXES, **OWNER_INDEXES}
