"""#17: every sort a register page offers reads in index order. An export is read a page at a
time after the last row's sort key (:mod:`esgledger.ledger.keyset`); on a column with no
index each of those reads scanned and sorted the whole table (100,000 complaints by state:
8.8 CPU s against 6.4 newest first, ``bench/exports.py``). Each sorted column now leads an
index, and SQLite's plan for a page read, first or later, walks that index instead of
sorting the table."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column, UniqueConstraint, select, text

from esgledger.ledger.db import Database
from esgledger.ledger.keyset import after, term
from tests.web.test_register_export_keyset import SORTS

SORTED = sorted(
    {(page, key, attribute) for page, sorts in SORTS.items() for key, attribute in sorts.items()},
    key=lambda t: (t[0], t[1]),
)


def _column(attribute: Any) -> Column[Any]:
    return attribute.property.columns[0]  # type: ignore[no-any-return]


def _leads_an_index(column: Column[Any]) -> bool:
    table = column.table
    firsts = [next(iter(i.columns)) for i in table.indexes]
    firsts += [next(iter(c.columns)) for c in table.constraints if isinstance(c, UniqueConstraint)]
    return column.primary_key or any(first is column for first in firsts)


@pytest.mark.parametrize(("page", "key", "attribute"), SORTED, ids=lambda v: str(v))
def test_each_sorted_column_leads_an_index(page: str, key: str, attribute: Any) -> None:
    column = _column(attribute)
    assert _leads_an_index(column), f"{page} sorts by {key}: {column.table.name}.{column.name}"


def _plan(db: Database, statement: Any) -> str:
    with db.read() as session:
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        rows = session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return " | ".join(str(r[-1]) for r in rows)


@pytest.mark.parametrize(("page", "key", "attribute"), SORTED, ids=lambda v: str(v))
def test_a_page_read_walks_the_index_not_a_sort_of_the_table(
    sqlite_db: Database, page: str, key: str, attribute: Any
) -> None:
    """As the export reads: ordered by the column, then the row id (the pages' tie-break),
    the first page and a later one (after a key, NULL or not)."""
    model = attribute.class_
    for descending in (False, True):
        order = (attribute.desc() if descending else attribute.asc(), model.id.asc())
        first = select(model).order_by(*order).limit(1000)
        terms = [term(o) for o in order]
        later = [
            first.where(after(terms, (value, 7), large_nulls=False))
            for value in ("x" if _column(attribute).type.python_type is str else 3, None)
            if value is not None or _column(attribute).nullable
        ]
        for statement in (first, *later):
            plan = _plan(sqlite_db, statement)
            assert "TEMP B-TREE FOR ORDER BY" not in plan, (page, key, descending, plan)
