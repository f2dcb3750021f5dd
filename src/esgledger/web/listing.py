"""A long list on a page: the links its table headers, pager, search box and CSV button use.

The page reads its list parameters with :func:`esgledger.http_shared.paging.params_from` (the same
parser as the API) and hands the template a :class:`ListView`; every link it builds is this
page's URL with one parameter changed, so the filters and the search in force are kept.
A CSV export is the same URL with ``format=csv``: every row of the filtered list, in the
chosen order, read a page at a time (:func:`all_pages`) and at most ``CSV_ROWS`` of them;
:func:`csv_export` streams it from the same fetch the page uses, every page from one
snapshot of the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import chain
from typing import Any

from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session
from starlette.datastructures import URL, QueryParams

from esgledger.errors import InvalidInput
from esgledger.http_shared.paging import CSV_ROWS, csv_stream, url_for_page
from esgledger.ledger.db import Database
from esgledger.ledger.listing import MAX_LIMIT, ListParams, Page

WINDOW = 2  # page links shown either side of the current one


@dataclass(frozen=True)
class ListView:
    """What a template needs to draw one page of a list and link to the others."""

    url: URL
    page: Page[Any]

    @property
    def params(self) -> ListParams:
        return self.page.params

    def sort_href(self, key: str) -> str:
        """Sort by ``key``; a second click on the current key reverses the order."""
        ascending_now = self.params.sort == key and not self.params.descending
        return url_for_page(self.url, sort=f"-{key}" if ascending_now else key, page=None)

    def sorted_as(self, key: str) -> str:
        """``aria-sort`` of a column header: ascending, descending or none."""
        if self.params.sort != key:
            return "none"
        return "descending" if self.params.descending else "ascending"

    def page_href(self, number: int) -> str:
        return url_for_page(self.url, page=number if number > 1 else None)

    def page_numbers(self) -> list[int]:
        """The first, the last and the pages near the current one (gaps drawn as …)."""
        now, last = self.params.page, self.page.pages
        near = range(max(1, now - WINDOW), min(last, now + WINDOW) + 1)
        return sorted({1, last, *near})

    def csv_href(self) -> str:
        return url_for_page(self.url, format="csv", page=None, limit=None)

    @property
    def first_row(self) -> int:
        return self.params.offset + 1 if self.page.rows else 0

    @property
    def last_row(self) -> int:
        return self.params.offset + len(self.page.rows)


def wants_csv(url: URL) -> bool:
    return QueryParams(url.query).get("format") == "csv"


def all_pages(params: ListParams, fetch: Callable[[ListParams], Page[Any]]) -> Iterator[Any]:
    """Every row of the list in order, a page of ``MAX_LIMIT`` at a time; refused in one
    line (nothing sent) when the list holds more than ``CSV_ROWS`` rows."""
    for rows in every_page(params, fetch):
        yield from rows


def every_page(params: ListParams, fetch: Callable[[ListParams], Page[Any]]) -> Iterator[list[Any]]:
    """The rows of :func:`all_pages`, one page (a list) at a time; the size check comes with
    the first page, so taking it before sending anything refuses an export whole.

    Each page after the first starts after the last row's order key (keyset paging, see
    :mod:`esgledger.ledger.keyset`) where ``fetch`` gives it; a list paged in memory (no
    key) goes on by page number. The reads stop at a short page or once they have given as
    many rows as the first page counted."""
    wanted = ListParams(MAX_LIMIT, 1, params.sort, params.descending, params.search, after=())
    page = fetch(wanted)
    total = page.total  # counted on the first page only
    check_export_size(total)
    read = 0
    while True:
        yield list(page.rows)
        read += len(page.rows)
        if len(page.rows) < wanted.limit or read >= total:
            return
        if page.last_key is not None:
            wanted = replace(wanted, after=page.last_key)
        else:
            wanted = replace(wanted, page=wanted.page + 1, after=None)
        page = fetch(wanted)


def check_export_size(total: int) -> None:
    """Refuse (in one line, before anything is sent) an export of more than ``CSV_ROWS``."""
    if total > CSV_ROWS:
        raise InvalidInput(
            f"the list holds {total:,} rows, more than a CSV export's {CSV_ROWS:,}; "
            "narrow it with the filters or the search first"
        )


SessionFetch = Callable[[Session, ListParams], Page[Any]]


def snapshot_pages(db: Database, params: ListParams, fetch: SessionFetch) -> Iterator[list[Any]]:
    """:func:`every_page` read in one snapshot (:meth:`Database.snapshot`): a writer that
    commits between two pages is not seen by either, so the rows are one state of the list.
    The snapshot is held until the last page is given or the iterator is closed."""
    with db.snapshot() as session:
        yield from every_page(params, partial(fetch, session))


def snapshot_rows(db: Database, params: ListParams, fetch: SessionFetch) -> list[Any]:
    """Every row of :func:`snapshot_pages`, in a list (for an export built whole)."""
    return [row for rows in snapshot_pages(db, params, fetch) for row in rows]


def csv_export(
    db: Database,
    params: ListParams,
    fetch: SessionFetch,
    columns: Sequence[tuple[str, str]],
    name: str,
) -> StreamingResponse:
    """The list's CSV link answered: every row ``fetch`` finds under the page's filters and
    search, in its order, streamed a page at a time from one snapshot of the database (the
    stream outlives the request's session, so it holds its own); refused whole (before any
    byte is sent) over ``CSV_ROWS``. A nested mapping (an SLA clock) becomes ``key_sub``
    columns."""
    pages = snapshot_pages(db, params, fetch)
    first = next(pages)  # the size check and the permission checks, before the response
    return csv_stream(map(flat, chain(first, chain.from_iterable(pages))), columns, name)


def flat(row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with each nested mapping's keys lifted as ``key_sub``."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Mapping):
            out |= {f"{key}_{sub}": inner for sub, inner in value.items()}
        else:
            out[key] = value
    return out
