"""#17: a register page's CSV export reads its list a page at a time by keyset — each read
continues after the last row's sort key and id — instead of by OFFSET, which made an export
of n rows read O(n²/page) rows and count the list again for every page. The export must still
be the page's order exactly, for every sort the page offers, either way, with ties and NULLs
in the sorted column straddling the export's page boundaries, on SQLite and PostgreSQL (which
place NULLs at opposite ends)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Column, UniqueConstraint, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from esgledger.ledger.db import Database
from esgledger.registers import (
    assurance_listing,
    board_listing,
    certification_listing,
    ohs_listing,
    ohs_safety_listing,
    whistle_listing,
)
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES
from esgledger.web import listing
from tests.web.conftest import log_in
from tests.web.test_register_csv_exports import CSV_LINK, EXPORTS, Export, _csv, loaded_or_fresh

EXPORT_PAGE = 2  # rows per read of the export: ties and NULLs straddle its pages
SHOWN_PAGE = 3  # rows per page of the listing it is compared with
SORTS: dict[str, dict[str, Any]] = {  # page (and view) → its sort keys' columns
    "/registers/whistleblowing": whistle_listing.SORT_KEYS,
    "/registers/complaints": COMPLAINTS.sorts,
    "/registers/vulnerabilities": VULNERABILITIES.sorts,
    "/registers/board": board_listing.SORT_KEYS,
    "/registers/ohs": ohs_listing.INCIDENT_SORT,
    "/registers/ohs-safety": ohs_safety_listing.HAZARD_SORT,
    "/registers/ohs-safety:drills": ohs_safety_listing.DRILL_SORT,
    "/registers/ohs-safety:operators": ohs_safety_listing.OPERATOR_SORT,
    "/registers/certifications": certification_listing.SORT_KEYS,
    "/registers/assurance": assurance_listing.SORT_KEYS,
}
IN_MEMORY = {"/registers/training"}  # coverage rows computed in Python, not read by pages
SORT_LINK = re.compile(r'data-sort="([a-z_]+)"')


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """For a test of ``loaded``, a copy of the registers filled once per run (#20)."""
    yield from loaded_or_fresh(request, tmp_path)


@pytest.fixture
def loaded(db: Database) -> None:
    """The test's ``db`` holds every register's rows (tests/web/test_register_csv_exports.py)."""


def _name(export: Export) -> str:
    view = export.query.get("view")
    return f"{export.path}:{view}" if view else export.path


def _unique(column: Column[Any]) -> bool:
    alone = [c for c in column.table.constraints if isinstance(c, UniqueConstraint)]
    indexes = [i for i in column.table.indexes if i.unique]
    return bool(
        column.primary_key
        or column.unique
        or any(list(c.columns) == [column] for c in alone)
        or any(list(i.columns) == [column] for i in indexes)
    )


def _plant_ties_and_nulls(db: Database, sorts: dict[str, Any]) -> None:
    """In every sorted column: the third row given the second's value (a tie), and where the
    column may be empty, the first and last rows emptied (NULLs, tied with each other)."""
    model = next(iter(sorts.values())).class_
    with db.write() as s:
        ids = list(s.scalars(select(model.id).order_by(model.id)))
        assert len(ids) >= 4, model
        for attribute in sorts.values():
            column = attribute.property.columns[0]
            if _unique(column):
                continue
            second = s.scalar(select(attribute).where(model.id == ids[1]))
            try:
                with s.begin_nested():  # a tie a unique pair of columns refuses is left out
                    tie = update(model).where(model.id == ids[2]).values({column.key: second})
                    s.execute(tie)
            except IntegrityError:
                pass
            if column.nullable:
                emptied = model.id.in_([ids[0], ids[-1]])
                s.execute(update(model).where(emptied).values({column.key: None}))


def _shown(web: TestClient, export: Export, sort: str) -> tuple[list[str], str]:
    """The marks of every row the page lists in ``sort``'s order, page after page, and the
    page's CSV link."""
    mark = re.compile(rf'<tr {export.row_mark}="([^"]*)"')
    view = {k: v for k, v in export.query.items() if k == "view"}
    marks: list[str] = []
    number, link = 1, ""
    while True:
        query = {**view, "sort": sort, "limit": SHOWN_PAGE, "page": number}
        page = web.get(export.path, params=query)
        assert page.status_code == 200, page.text
        marks += [html.unescape(m) for m in mark.findall(page.text)]
        found = CSV_LINK.search(page.text)
        assert found, f"{export.path} has no CSV link"
        link = link or html.unescape(found.group(1))
        if 'rel="next"' not in page.text:
            return marks, link
        number += 1


def _keys(export: Export, rows: list[dict[str, str]]) -> list[str]:
    return [export.key({k: v.removeprefix("'") for k, v in r.items()}) for r in rows]


@pytest.mark.parametrize("export", EXPORTS, ids=_name)
def test_the_export_is_the_pages_in_order_for_every_sort(
    web: TestClient,
    db: Database,
    loaded: None,
    export: Export,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if export.path not in IN_MEMORY:
        _plant_ties_and_nulls(db, SORTS[_name(export)])
    monkeypatch.setattr(listing, "MAX_LIMIT", EXPORT_PAGE)
    log_in(web, export.reader)
    view = {k: v for k, v in export.query.items() if k == "view"}
    offered = sorted(set(SORT_LINK.findall(web.get(export.path, params=view).text)))
    if export.path not in IN_MEMORY:
        assert offered == sorted(SORTS[_name(export)]), offered
    for key in offered:
        for sort in (key, f"-{key}"):
            marks, link = _shown(web, export, sort)
            assert f"sort={sort.replace('-', '%2D')}" in link or f"sort={sort}" in link, link
            if export.row_mark == "data-row":  # training: campaign/entity/worker type's label
                marks = ["/".join(m.split("/")[:2]) for m in marks]
            assert len(marks) > EXPORT_PAGE, (sort, marks)  # two reads or more
            assert _keys(export, _csv(web, link)) == marks, sort


@contextmanager
def _statements() -> Iterator[list[tuple[str, Any]]]:
    """Every SQL statement any engine runs meanwhile (the app opens its own)."""
    seen: list[tuple[str, Any]] = []

    def record(*args: Any) -> None:
        seen.append((str(args[2]), args[3]))

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.parametrize("export", [e for e in EXPORTS if e.path not in IN_MEMORY], ids=_name)
def test_the_export_reads_by_keyset_and_counts_once(
    web: TestClient,
    db: Database,
    loaded: None,
    export: Export,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list is counted once (to refuse an export over the limit before any byte), and
    no read skips rows with OFFSET: each starts after the last row's sort key and id."""
    model = next(iter(SORTS[_name(export)].values())).class_
    table = model.__tablename__
    with db.read() as s:
        stored = len(s.scalars(select(model.id)).all())
    monkeypatch.setattr(listing, "MAX_LIMIT", EXPORT_PAGE)
    log_in(web, export.reader)
    view = {k: v for k, v in export.query.items() if k == "view"}
    with _statements() as seen:
        rows = _csv(web, export.path + "?" + "".join(f"{k}={v}&" for k, v in view.items())
                    + "format=csv")  # fmt: skip
    assert len(rows) > EXPORT_PAGE and (export.path in IN_MEMORY or len(rows) <= stored)
    reads = [(q, p) for q, p in seen if re.search(rf"\bFROM {table}\b", q)]
    counts = [q for q, _ in reads if "count(" in q.lower()]
    pages = [(q, p) for q, p in reads if q not in counts]
    assert len(counts) == 1, counts
    assert [_skipped(q, p) for q, p in pages] == [0] * len(pages), pages[-1]
    assert len(pages) >= -(-len(rows) // EXPORT_PAGE), len(pages)  # a page at a time


def _skipped(statement: str, parameters: Any) -> int:
    """The rows a read skips with OFFSET (SQLite's dialect always writes ``OFFSET ?``, its
    last parameter; PostgreSQL's only when there is one)."""
    if "OFFSET" not in statement.upper():
        return 0
    if isinstance(parameters, tuple | list):
        return int(parameters[-1])
    return int(parameters[re.findall(r"OFFSET %\((\w+)\)s", statement)[-1]])
