"""Keyset paging: the next part of a sorted list is the rows after the last one read — after
its sort key, then its tie-breaking columns (ending in a unique id) — instead of the rows past
an OFFSET, which the database reads and throws away: an export read a page at a time by
OFFSET reads O(n²/page) rows. The rows come in exactly the order ``ORDER BY`` gives them, ties
and NULLs included; a NULL sorts where the database puts it (SQLite: before every value,
PostgreSQL: after every value), in either direction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

Key = tuple[Any, ...]  # a row's values of the order's terms, in the order's order


@dataclass(frozen=True)
class Term:
    """One column of an ``ORDER BY`` and its direction."""

    column: Any  # a column or column attribute
    descending: bool


def term(element: Any) -> Term:
    """The term of one ``ORDER BY`` element: a column (ascending), ``col.asc()`` or
    ``col.desc()``; an explicit NULLS FIRST/LAST is not read (no list sorts so)."""
    if isinstance(element, UnaryExpression):
        if element.modifier not in (operators.asc_op, operators.desc_op):
            raise TypeError(f"cannot page by keyset in the order {element}")
        return Term(element.element, element.modifier is operators.desc_op)
    return Term(element, False)


def nulls_large(session: Session) -> bool:
    """Whether the database sorts NULL after every value (PostgreSQL) or before (SQLite)."""
    return session.get_bind().dialect.name == "postgresql"


def after(terms: Sequence[Term], key: Key, *, large_nulls: bool) -> ColumnElement[bool]:
    """Rows strictly after the row whose order key is ``key``. Written as a range on the
    first term (``col >= v`` and then the rest on a tie) so a database can start an index
    scan at the key rather than test every row."""
    if not terms:
        return false()
    now, value, column = terms[0], key[0], terms[0].column
    rest = after(terms[1:], key[1:], large_nulls=large_nulls)
    nulls_last = large_nulls != now.descending
    if value is None:
        tied = and_(column.is_(None), rest)
        return tied if nulls_last else or_(column.is_not(None), tied)
    reached = column <= value if now.descending else column >= value
    past = column < value if now.descending else column > value
    beyond = and_(reached, or_(past, rest))
    return or_(beyond, column.is_(None)) if nulls_last and _nullable(column) else beyond


def _nullable(column: Any) -> bool:
    """Whether ``column`` may hold NULL (an expression is taken to)."""
    return bool(getattr(getattr(column, "expression", column), "nullable", True))
