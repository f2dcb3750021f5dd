"""Data requests as a long list: filtered, searched, sorted and paged by the database.

A year may hold thousands of requests, so the permission filter, the filters, the search and
the order all run in SQL and only one page of rows is read and shaped
(:func:`request_dicts` reads names and current values for the whole page in two queries).
The API's ``GET /requests`` and the ``/requests`` and ``/review`` pages page through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased

from esgledger.auth.permissions import MATRIX, Grants, Principal, can
from esgledger.catalog import metrics
from esgledger.kpi.figures import parse_dims
from esgledger.ledger.entities import subtree
from esgledger.ledger.listing import UNCOUNTED, ListParams, Page, page_order, paginate
from esgledger.ledger.models import Entity, KpiValue
from esgledger.ledger.workflow_models import DataRequest, User
from esgledger.workflow.states import DONE

_OWNER_NAME = select(User.username).where(User.id == DataRequest.owner_id).scalar_subquery()
SORT_KEYS: dict[str, ColumnElement[Any]] = {
    "id": DataRequest.id,
    "year": DataRequest.year,
    "due": DataRequest.due_date,
    "entity": DataRequest.entity_id,
    "metric": DataRequest.metric_id,
    "state": DataRequest.state,
    "owner": _OWNER_NAME,
    "updated": DataRequest.updated_at,
}
DEFAULT_SORT = "due"
KEYS_PER_QUERY = 1000
EXPORT_BATCH = 500  # rows fetched from the cursor at a time by an export
# after the chosen key, ties by id in the sort's direction (page_order): an index on
# (column, id) read forwards or backwards gives a page in order (migration 0037_reqsort)
THEN_BY = (DataRequest.id,)
# the order `esg request list` prints, ending in the unique id
PRINTED = (
    DataRequest.year,
    DataRequest.due_date,
    DataRequest.entity_id,
    DataRequest.metric_id,
    DataRequest.dims,
    DataRequest.id,
)


@dataclass(frozen=True)
class RequestFilter:
    """What to keep: each field narrows the list; ``overdue_on`` keeps requests due before
    that date and not yet approved."""

    year: int | None = None
    state: str | None = None
    owner_id: int | None = None
    entity: str | None = None
    metric: str | None = None
    overdue_on: dt.date | None = None
    reviewable_by: Principal | None = None  # the assigned reviewer's queue (or an admin's)


def readable(stmt: Select[Any], user: Principal) -> Select[Any]:
    """Only the requests ``user`` may read: all of them, their granted entities', or none."""
    if can(user, "requests.read"):
        return stmt
    grants = MATRIX.get(user.role, Grants())
    if user.active and "requests.read" in grants.scoped and user.scope:
        return stmt.where(DataRequest.entity_id.in_(sorted(user.scope)))
    return stmt.where(false())


def request_query(
    session: Session, user: Principal, wanted: RequestFilter, search: str
) -> Select[Any]:
    """The filtered, permission-checked select of requests (not yet ordered or paged)."""
    stmt = readable(select(DataRequest), user)
    if wanted.year:
        stmt = stmt.where(DataRequest.year == wanted.year)
    if wanted.state:
        stmt = stmt.where(DataRequest.state == wanted.state)
    if wanted.owner_id is not None:
        stmt = stmt.where(DataRequest.owner_id == wanted.owner_id)
    if wanted.entity:
        stmt = stmt.where(DataRequest.entity_id.in_(subtree(session, wanted.entity)))
    if wanted.metric:
        stmt = stmt.where(DataRequest.metric_id == wanted.metric)
    if wanted.overdue_on is not None:
        stmt = stmt.where(
            DataRequest.due_date < wanted.overdue_on, DataRequest.state.not_in(sorted(DONE))
        )
    if wanted.reviewable_by is not None and wanted.reviewable_by.role != "admin":
        mine = DataRequest.reviewer_id == wanted.reviewable_by.user_id
        stmt = stmt.where(or_(DataRequest.reviewer_id.is_(None), mine))
    if search:
        stmt = stmt.where(_matches(search))
    return stmt


def _matches(search: str) -> ColumnElement[bool]:
    """Search text in the metric (id or catalog name), the entity (id or name) or the owner."""
    text = search.lower()
    named = [m.id for m in metrics().values() if text in m.name.lower()]
    entity_named = select(Entity.id).where(func.lower(Entity.name).contains(text, autoescape=True))
    return or_(
        func.lower(DataRequest.metric_id).contains(text, autoescape=True),
        DataRequest.metric_id.in_(named),
        func.lower(DataRequest.entity_id).contains(text, autoescape=True),
        DataRequest.entity_id.in_(entity_named),
        func.lower(_OWNER_NAME).contains(text, autoescape=True),
    )


def page_requests(
    session: Session, user: Principal, wanted: RequestFilter, params: ListParams
) -> Page[DataRequest]:
    """One page of the requests ``user`` may read that match ``wanted`` and the search."""
    stmt = request_query(session, user, wanted, params.search)
    if params.sort == "owner":
        return page_by_owner(session, stmt, params)
    return paginate(session, stmt, params, SORT_KEYS, THEN_BY, reverse_ties=True)


def owners(session: Session, params: ListParams) -> list[tuple[int, str]]:
    """Every user's (id, name) in the order of a list sorted by owner (the users table is
    small: a team, not the requests)."""
    found = session.execute(select(User.id, User.username).order_by(User.username)).all()
    ordered = [(int(i), str(n)) for i, n in found]
    return ordered[::-1] if params.descending else ordered


def owner_read(
    stmt: Select[Any], owner_id: int, descending: bool, after_id: int | None = None
) -> Select[Any]:
    """One owner's requests of ``stmt`` by id in the sort's direction (after ``after_id``):
    the (owner_id, id) index gives them in order, no sort (0038_actsort)."""
    mine = stmt.where(DataRequest.owner_id == owner_id)
    if after_id is not None:
        mine = mine.where(DataRequest.id < after_id if descending else DataRequest.id > after_id)
    return mine.order_by(DataRequest.id.desc() if descending else DataRequest.id.asc())


def page_by_owner(session: Session, stmt: Select[Any], params: ListParams) -> Page[DataRequest]:
    """A page sorted by the owner's user name, ties by id in the sort's direction, read an
    owner at a time in the owners' name order instead of sorting every request by a name
    looked up per row. By number: the owners wholly before the page are skipped by their
    counts (one grouped count); by keyset (``params.after`` = (name, id)): from that owner,
    after that id. The last row's key is (owner name, id), as the other sorts' keys."""
    order = owners(session, params)
    found: list[tuple[str, DataRequest]] = []
    if params.after is not None:
        total = UNCOUNTED if params.after else _count(session, stmt)
        start, after_id = 0, None
        if params.after:
            name, after_id = str(params.after[0]), int(params.after[-1])
            names = [n for _, n in order]
            start = names.index(name) if name in names else len(names)
        for at, (oid, name) in enumerate(order[start:]):
            need = params.limit - len(found)
            if need <= 0:
                break
            read = owner_read(stmt, oid, params.descending, after_id if at == 0 else None)
            found += [(name, r) for r in session.scalars(read.limit(need))]
        last = (found[-1][0], found[-1][1].id) if found else None
        return Page([r for _, r in found], total, params, last)
    grouped = stmt.order_by(None).subquery()
    counts = dict(
        session.execute(select(grouped.c.owner_id, func.count()).group_by(grouped.c.owner_id)).all()
    )
    skip = params.offset
    for oid, name in order:
        held = int(counts.get(oid, 0))
        need = params.limit - len(found)
        if need <= 0:
            break
        if skip >= held:
            skip -= held
            continue
        read = owner_read(stmt, oid, params.descending).offset(skip).limit(need)
        found += [(name, r) for r in session.scalars(read)]
        skip = 0
    return Page([r for _, r in found], int(sum(counts.values())), params)


def _count(session: Session, stmt: Select[Any]) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def request_dicts(
    session: Session, reqs: Sequence[DataRequest], *, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """:func:`~esgledger.workflow.requests.request_dict` for many requests: one query for the
    people, one per thousand requests for the values."""
    people = {r.owner_id for r in reqs} | {r.reviewer_id for r in reqs if r.reviewer_id}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(people))).all())
    values = _current_values(session, reqs)
    today = today or dt.date.today()
    return [
        shape_request(r, names, values.get((r.entity_id, r.year, r.metric_id, r.dims)), today)
        for r in reqs
    ]


def _current_values(
    session: Session, reqs: Sequence[DataRequest]
) -> dict[tuple[str, int, str, str], KpiValue]:
    """The current value of each request's key, looked up ``KEYS_PER_QUERY`` keys at a time
    (four bound parameters a key stay far below SQLite's and PostgreSQL's limits)."""
    keys = sorted({(r.entity_id, r.year, r.metric_id, r.dims) for r in reqs})
    column = tuple_(KpiValue.entity_id, KpiValue.year, KpiValue.metric_id, KpiValue.dims)
    found: dict[tuple[str, int, str, str], KpiValue] = {}
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        rows = session.scalars(select(KpiValue).where(KpiValue.is_current, column.in_(chunk)))
        found.update({(v.entity_id, v.year, v.metric_id, v.dims): v for v in rows})
    return found


def shape_request(
    req: DataRequest, names: dict[int, str], value: KpiValue | None, today: dt.date
) -> dict[str, Any]:
    """A request as ``esg request … --json`` prints it, with the ledger's current value."""
    return {
        "id": req.id,
        "year": req.year,
        "metric": req.metric_id,
        "entity": req.entity_id,
        "dims": parse_dims(req.dims),
        "owner": names.get(req.owner_id),
        "reviewer": names.get(req.reviewer_id) if req.reviewer_id else None,
        "due": req.due_date.isoformat(),
        "overdue": req.due_date < today and req.state not in DONE,
        "state": req.state,
        "version": req.version,
        "value": value.value if value else None,
        "unit": value.unit if value else None,
        "status": value.status if value else None,
        "note": value.note if value else None,
        "value_id": value.id if value else None,
        "entered_value_id": req.value_id,
        "submitted_value_id": req.submitted_value_id,
        # False when the ledger's value moved after submission (e.g. an import restated it)
        "value_as_submitted": req.submitted_value_id is None
        or (value is not None and value.id == req.submitted_value_id),
        "instructions": req.instructions,
        "updated_at": req.updated_at.isoformat(timespec="seconds"),
        "updated_by": req.updated_by,
    }


def export_rows(
    session: Session,
    user: Principal,
    wanted: RequestFilter,
    params: ListParams,
    *,
    today: dt.date | None = None,
) -> tuple[int, Iterator[dict[str, Any]]]:
    """(how many, the rows) of every request ``user`` may read that matches: the columns of
    a list's export, read as plain rows in one ordered query a batch at a time (a year holds
    thousands of requests; loading each as ORM objects with its value costs seconds)."""
    stmt = request_query(session, user, wanted, params.search)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    owner, reviewer = aliased(User), aliased(User)
    current = and_(
        KpiValue.is_current, KpiValue.entity_id == DataRequest.entity_id,
        KpiValue.year == DataRequest.year, KpiValue.metric_id == DataRequest.metric_id,
        KpiValue.dims == DataRequest.dims,
    )  # fmt: skip
    rows = (
        stmt.with_only_columns(
            DataRequest.id, DataRequest.year, DataRequest.entity_id, DataRequest.metric_id,
            DataRequest.dims, owner.username, reviewer.username, DataRequest.due_date,
            DataRequest.state, KpiValue.value, KpiValue.unit, KpiValue.status,
            maintain_column_froms=True,
        )
        .join(owner, owner.id == DataRequest.owner_id)
        .outerjoin(reviewer, reviewer.id == DataRequest.reviewer_id)
        .outerjoin(KpiValue, current)
        .execution_options(yield_per=EXPORT_BATCH)
    )  # fmt: skip
    day = today or dt.date.today()
    if params.sort == "owner":  # each owner's requests in turn, in the owners' name order
        each = (owner_read(rows, oid, params.descending) for oid, _ in owners(session, params))
        return total, chain.from_iterable(_shaped(session.execute(q), day) for q in each)
    order = page_order(SORT_KEYS[params.sort], params.descending, THEN_BY)
    return total, _shaped(session.execute(rows.order_by(*order)), day)


def _shaped(rows: Any, today: dt.date) -> Iterator[dict[str, Any]]:
    for rid, year, entity, metric, dims, owner, reviewer, due, state, value, unit, status in rows:
        yield {
            "id": rid, "year": year, "entity": entity, "metric": metric,
            "dims": parse_dims(dims), "owner": owner, "reviewer": reviewer,
            "due": due.isoformat(), "overdue": due < today and state not in DONE,
            "state": state, "value": value, "unit": unit, "status": status,
        }  # fmt: skip
