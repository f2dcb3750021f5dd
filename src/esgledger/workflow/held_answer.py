"""A request's answer shaped from what its write holds; only the names read after the commit.

After a value entry the API answers the request as ``GET /requests/{id}`` shows it. Reading
the request and its current value again after the commit cost a fifth of the write's CPU,
although the write holds both: the request it changed and the value it stored or kept. So
the write copies their fields, with no SQL (the writer's lock is held for the write alone),
and after the commit only the owner's and reviewer's names are read. Storing a value notes
it with :func:`hold_current` (a session keeps its objects only weakly); when the current
value is not certainly the one held, the caller reads everything after the commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from esgledger.ledger.models import KpiValue
from esgledger.ledger.workflow_models import DataRequest, User
from esgledger.workflow.request_list import shape_request

# the columns shape_request reads: none may need loading (that would be SQL in the write)
REQUEST_FIELDS = frozenset(
    {"id", "year", "metric_id", "entity_id", "dims", "owner_id", "reviewer_id", "due_date",
     "state", "version", "value_id", "submitted_value_id", "instructions", "updated_at",
     "updated_by"}
)  # fmt: skip
VALUE_FIELDS = frozenset(
    {"id", "value", "unit", "status", "note", "is_current", "entity_id", "year", "metric_id",
     "dims"}
)  # fmt: skip


HELD = "esgledger.workflow.held_value"  # session.info: (request id, its current value)


def hold_current(session: Session, req: DataRequest, value: KpiValue | None) -> None:
    """Note ``value`` as the request's current value as this transaction leaves it: the
    last one only (an upload of thousands of values keeps one alive, not all)."""
    if value is None:
        session.info.pop(HELD, None)
    else:
        session.info[HELD] = (req.id, value)


@dataclass(frozen=True)
class Held:
    """The answer without its names, and whose names it needs."""

    shaped: dict[str, Any]
    owner_id: int
    reviewer_id: int | None


def held_answer(session: Session, req: DataRequest) -> Held | None:
    """The request's answer from the objects ``session`` holds, or None when its current
    value is not one of them, or a field would have to be loaded."""
    if req.value_id is None or not _loaded(req, REQUEST_FIELDS):
        return None
    rid, value = session.info.get(HELD, (None, None))
    if not isinstance(value, KpiValue) or not _loaded(value, VALUE_FIELDS):
        return None
    same_key = (value.entity_id, value.year, value.metric_id, value.dims) == (
        req.entity_id, req.year, req.metric_id, req.dims,
    )  # fmt: skip
    if not (rid == req.id and value.is_current and same_key and value.id == req.value_id):
        return None
    shaped = shape_request(req, {}, value, dt.date.today())
    return Held(shaped, req.owner_id, req.reviewer_id)


def with_names(session: Session, held: Held) -> dict[str, Any]:
    """The held answer with the owner's and reviewer's user names, read now."""
    people = {held.owner_id} | ({held.reviewer_id} if held.reviewer_id else set())
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(people))).all())
    reviewer = names.get(held.reviewer_id) if held.reviewer_id else None
    return {**held.shaped, "owner": names.get(held.owner_id), "reviewer": reviewer}


def _loaded(obj: object, fields: frozenset[str]) -> bool:
    state = inspect(obj)
    return not (fields & (state.unloaded | state.expired_attributes))
