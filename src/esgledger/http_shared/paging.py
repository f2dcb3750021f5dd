"""Lists over HTTP: the query parameters, the ``Link`` and ``X-Total-Count`` headers, CSV.

Both interfaces page the same way (:mod:`esgledger.ledger.listing`): API endpoints take
:func:`list_query` as a dependency, pages call :func:`params_from` on their query string, and
both build their links with :func:`url_for_page` so every link keeps the filters in force.
A CSV export writes the same filtered rows, every text cell neutralised against formula
injection (:func:`esgledger.spreadsheets.safe_text`).
"""

# no ``from __future__ import annotations``: list_query's parameters name a local
# description, which FastAPI must read when the dependency is defined
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.datastructures import URL, QueryParams

from esgledger.http_shared.downloads import attachment
from esgledger.ledger.listing import MAX_LIMIT, MAX_PAGE, MAX_SEARCH, ListParams, Page, parse_list
from esgledger.spreadsheets import safe_text

CSV_ROWS = 100_000  # a CSV export holds at most this many rows (bounded memory)
STREAM_ROWS = 500  # rows per chunk of a streamed CSV


def list_query(keys: Sequence[str], default_sort: str) -> Callable[..., ListParams]:
    """A FastAPI dependency reading ``limit``, ``page``, ``sort`` and ``q`` for one list."""
    described = f"Sort key: {', '.join(keys)}; prefix - for descending (default {default_sort})."

    def dependency(
        limit: Annotated[
            int | None, Query(ge=1, le=MAX_LIMIT, description="Rows per page (default 100).")
        ] = None,
        page: Annotated[int | None, Query(ge=1, le=MAX_PAGE, description="Page, from 1.")] = None,
        sort: Annotated[str | None, Query(max_length=40, description=described)] = None,
        q: Annotated[
            str | None, Query(max_length=MAX_SEARCH, description="Only rows containing this.")
        ] = None,
    ) -> ListParams:
        return parse_list(
            keys=keys, default_sort=default_sort, limit=limit, page=page, sort=sort, search=q
        )

    return dependency


def params_from(request: Request, keys: Sequence[str], default_sort: str, **kw: Any) -> ListParams:
    """The list parameters of a page's query string (a bad one is a one-line 422 page)."""
    query = request.query_params
    return parse_list(
        keys=keys, default_sort=default_sort, limit=query.get("limit"), page=query.get("page"),
        sort=query.get("sort"), search=query.get("q"), **kw,
    )  # fmt: skip


def url_for_page(url: URL, **changes: Any) -> str:
    """This URL with some query parameters changed (``None`` removes one), path-relative."""
    params = dict(QueryParams(url.query))
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return str(url.replace_query_params(**params).replace(scheme="", netloc=""))


def link_header(url: URL, page: Page[Any]) -> str:
    """RFC 8288 ``Link`` to the first, previous, next and last pages of this list."""
    wanted = {"first": 1, "last": page.pages}
    if page.has_prev:
        wanted["prev"] = min(page.params.page - 1, page.pages)
    if page.has_next:
        wanted["next"] = page.params.page + 1
    return ", ".join(
        f'<{url.include_query_params(page=n)}>; rel="{rel}"' for rel, n in wanted.items()
    )


def offset_link_header(url: URL, offset: int, limit: int, total: int) -> str:
    """``Link`` for a list paged by ``offset`` (the audit log's API, kept for its clients)."""
    wanted = {"first": 0, "last": max(0, (total - 1) // limit * limit)}
    if offset > 0:
        wanted["prev"] = max(0, min(offset - limit, wanted["last"]))
    if offset + limit < total:
        wanted["next"] = offset + limit
    return ", ".join(
        f'<{url.include_query_params(offset=n, limit=limit)}>; rel="{rel}"'
        for rel, n in wanted.items()
    )


def with_page_headers(response: Response, url: URL, page: Page[Any]) -> Response:
    """Add ``Link`` and ``X-Total-Count`` to a list's response."""
    response.headers["Link"] = link_header(url, page)
    response.headers["X-Total-Count"] = str(page.total)
    return response


def csv_response(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]], name: str
) -> Response:
    """``rows`` as a CSV attachment: one column per (key, heading), text made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for _, heading in columns])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _ in columns])
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers=attachment(name),
    )


def csv_stream(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[tuple[str, str]], name: str
) -> StreamingResponse:
    """:func:`csv_response`, sent while ``rows`` are still being read (bounded memory, the
    first bytes at once). Anything to refuse must be refused before calling this."""

    def chunks() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([heading for _, heading in columns])
        for number, row in enumerate(rows, start=1):
            writer.writerow([_cell(row.get(key)) for key, _ in columns])
            if number % STREAM_ROWS == 0:
                yield _drain(buffer)
        yield _drain(buffer)

    response = StreamingResponse(_with_bom(chunks()), media_type="text/csv; charset=utf-8")
    response.headers.update(attachment(name))
    return response


def _drain(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


def _with_bom(chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield "\ufeff".encode()  # as csv_response's utf-8-sig: spreadsheet apps read UTF-8
    yield from chunks


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping):
        value = ";".join(f"{k}={v}" for k, v in value.items())
    elif isinstance(value, list | tuple):  # committees, surveillance dates, breaches
        value = "; ".join(str(v) for v in value)
    return safe_text(str(value))
