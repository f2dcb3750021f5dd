"""Part of a long list: the one way every list (API and pages) is paged, sorted and searched.

A list is asked for with ``limit`` (rows per page, 1–1000, default 100), ``page`` (from 1),
``sort`` (a key the list whitelists, ``-key`` for descending) and ``q`` (search text). A value
out of bounds or a sort key the list does not offer is refused in one line
(:class:`InvalidInput`, a 422), never ignored, so a client learns at once that its request
was not what it got. The database does the paging (:func:`paginate`); lists computed in
Python (findings) page the same way with :func:`page_of_list`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from esgledger.errors import InvalidInput
from esgledger.ledger.keyset import Key, after, nulls_large, term

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_PAGE = 1_000_000
MAX_SEARCH = 100

T = TypeVar("T")
U = TypeVar("U")
UNCOUNTED = -1


@dataclass(frozen=True)
class ListParams:
    """Which part of a list, in which order, matching which search text."""

    limit: int = DEFAULT_LIMIT
    page: int = 1
    sort: str = ""
    descending: bool = False
    search: str = ""
    # keyset paging: the rows after the row with this order key, ``page`` aside; ``()`` the
    # first rows. None: the ``page``-th by OFFSET. Only an export's reads set it.
    after: Key | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit

    @property
    def sort_text(self) -> str:
        """The ``sort`` parameter that asks for this order again."""
        return ("-" if self.descending else "") + self.sort


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and how many rows the whole (filtered) list has."""

    rows: list[T]
    total: int  # UNCOUNTED on a keyset page after the first: the list is counted once
    params: ListParams
    last_key: Key | None = None  # the last row's order key, on a keyset page with rows

    def with_rows(self, rows: list[U]) -> Page[U]:
        """This page with its rows as the interfaces show them, keyset key kept."""
        return Page(rows, self.total, self.params, self.last_key)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.params.limit))

    @property
    def has_prev(self) -> bool:
        return self.params.page > 1

    @property
    def has_next(self) -> bool:
        return self.params.page < self.pages


def _number(value: str | int | None, name: str, default: int, high: int) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, not {value!r}") from None
    if not 1 <= number <= high:
        raise InvalidInput(f"{name} must be between 1 and {high}, not {number}")
    return number


def parse_list(
    *,
    keys: Sequence[str],
    default_sort: str,
    limit: str | int | None = None,
    page: str | int | None = None,
    sort: str | None = None,
    search: str | None = None,
    default_limit: int = DEFAULT_LIMIT,
) -> ListParams:
    """Checked list parameters; ``default_sort`` may start with ``-`` (e.g. newest first).

    >>> parse_list(keys=("id", "due"), default_sort="due", sort="-id").sort_text
    '-id'
    """
    asked = (sort or "").strip() or default_sort
    key = asked.removeprefix("-")
    if key not in keys:
        raise InvalidInput(
            f"cannot sort by {key[:40]!r}; sort by one of {', '.join(keys)} "
            "(prefix - for descending)"
        )
    text = (search or "").strip()
    if len(text) > MAX_SEARCH:
        raise InvalidInput(f"search text is {len(text)} characters; at most {MAX_SEARCH}")
    return ListParams(
        limit=_number(limit, "limit", default_limit, MAX_LIMIT),
        page=_number(page, "page", 1, MAX_PAGE),
        sort=key,
        descending=asked.startswith("-"),
        search=text,
    )


def paginate(
    session: Session,
    stmt: Select[Any],
    params: ListParams,
    columns: Mapping[str, ColumnElement[Any]],
    then_by: Sequence[ColumnElement[Any]],
    *,
    reverse_ties: bool = False,
) -> Page[Any]:
    """One page of ``stmt`` (a single-entity select), sorted by the chosen key then by
    ``then_by`` (ending in a unique column, so pages never overlap or skip a row) — read
    backwards in a descending sort when ``reverse_ties`` (:func:`page_order`); by keyset
    when ``params.after`` is set, counted only on the first such page."""
    column = columns[params.sort]
    if reverse_ties:
        order = page_order(column, params.descending, then_by)
    else:
        order = (column.desc() if params.descending else column.asc(), *then_by)
    if params.after is not None:
        return _keyset_page(session, stmt, params, order)
    total = _count(session, stmt)
    ordered = stmt.order_by(*order).offset(params.offset).limit(params.limit)
    return Page(list(session.scalars(ordered)), total, params)


def page_order(
    column: ColumnElement[Any], descending: bool, then_by: Sequence[ColumnElement[Any]]
) -> tuple[Any, ...]:
    """``ORDER BY`` the chosen column, then ``then_by`` (given for an ascending sort): a
    descending sort is the ascending one read backwards, its ties too (#17). PostgreSQL then
    reads either direction from one index on (column, id); ties by id ascending inside a
    descending column would need a second index (column DESC, id), a cost on every write."""
    if not descending:
        return (column.asc(), *then_by)
    return (column.desc(), *(_reversed(t) for t in then_by))


def _reversed(element: ColumnElement[Any]) -> ColumnElement[Any]:
    """``element``'s term in the other direction."""
    found = term(element)
    return found.column.asc() if found.descending else found.column.desc()  # type: ignore[no-any-return]


def _count(session: Session, stmt: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def _keyset_page(
    session: Session, stmt: Select[Any], params: ListParams, order: Sequence[Any]
) -> Page[Any]:
    """The ``params.limit`` rows after ``params.after`` in ``order``, each read with its
    order key so the next page can start after the last one."""
    assert params.after is not None
    terms = [term(element) for element in order]
    total = UNCOUNTED if params.after else _count(session, stmt)
    keyed = stmt.add_columns(*(t.column for t in terms)).order_by(*order)
    if params.after:
        keyed = keyed.where(after(terms, params.after, large_nulls=nulls_large(session)))
    found = session.execute(keyed.limit(params.limit)).all()
    last = tuple(found[-1][1:]) if found else None
    return Page([row[0] for row in found], total, params, last)


def page_of_list(
    items: Sequence[T],
    params: ListParams,
    keys: Mapping[str, Callable[[T], Any]],
    matches: Callable[[T, str], bool] | None = None,
) -> Page[T]:
    """The same paging over a list already in memory (stable sort; ``None`` sorts last)."""
    found = (
        [i for i in items if matches(i, params.search.lower())]
        if params.search and matches
        else list(items)
    )
    key = keys[params.sort]
    present = [i for i in found if key(i) is not None]
    missing = [i for i in found if key(i) is None]
    present.sort(key=key, reverse=params.descending)
    ordered = present + missing
    return Page(ordered[params.offset : params.offset + params.limit], len(ordered), params)
