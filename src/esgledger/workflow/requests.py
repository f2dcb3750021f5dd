"""Data requests: issuing them in bulk, finding them, the overdue list, and the version check.

A request asks one owner for one value: metric × entity × year (× breakdown), with a due
date and optionally a named reviewer. Issuing is idempotent: a request that already exists
for the same key is left as it is and counted as existing.

Optimistic locking: every edit names the ``version`` the user saw. :func:`load_for_edit`
locks the row for the rest of the transaction (PostgreSQL ``SELECT … FOR UPDATE``; SQLite
writers are serialised already) and refuses a stale version with a one-line
:class:`Conflict` naming who changed it and when, so the later writer loses nothing but
their own unsaved edit, which the message repeats.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import PermissionDenied, Principal, can, require
from esgledger.auth.users import get_user, principal_of
from esgledger.catalog import dimensions, metric
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, InvalidInput, NotFound, worded
from esgledger.ingest.kpis import dims_key
from esgledger.ledger import audit, request_events
from esgledger.ledger.boundaries import get_boundary, member_shares
from esgledger.ledger.entities import get_entity, subtree
from esgledger.ledger.models import AuditEvent, KpiValue, utcnow
from esgledger.ledger.workflow_models import DataRequest, User
from esgledger.workflow.due_dates import require_due_not_past
from esgledger.workflow.request_list import (
    PRINTED,
    RequestFilter,
    request_dicts,
    request_query,
)

OWNER_ROLES = ("data_owner", "esg_manager", "admin")
REVIEWER_ROLES = ("reviewer", "admin")
# Review verbs reserved to the request's assigned reviewer (when one is named) and admins.
ASSIGNED_REVIEW = ("request.approve", "request.return")


def issue_requests(
    session: Session,
    user: Principal,
    *,
    year: int,
    metrics: Sequence[str],
    owner: str,
    due: dt.date,
    entities: Iterable[str] = (),
    boundary: str | None = None,
    subtree_of: str | None = None,
    reviewer: str | None = None,
    breakdowns: bool = False,
    instructions: str = "",
    issued_on: dt.date | None = None,
) -> dict[str, Any]:
    """Requests for every metric × entity (the entities listed, a boundary's, a subtree).

    With ``breakdowns`` a metric with dimensions also gets one request per member of each
    dimension (``gender=female``…), besides its total. The due date may not be before
    ``issued_on`` (today; only seeded history names an earlier day).
    """
    require(user, "request.issue")
    if not 1900 <= year <= 2100:
        raise worded(
            InvalidInput(f"{year} is not a reporting year"),
            N_("%(year)s is not a reporting year"),
            {"year": year},
        )
    require_due_not_past(due, issued_on)
    targets = _entities(session, entities, boundary, subtree_of)
    keys = [(m, d) for m in dict.fromkeys(metrics) for d in _dims_for(m, breakdowns)]
    if not keys:
        raise worded(
            InvalidInput("no metrics given; name at least one metric id"),
            N_("no metrics given; name at least one metric id"),
            {},
        )
    owner_user = _owner(session, owner, targets)
    reviewer_user = _reviewer(session, reviewer) if reviewer else None
    existing = set(
        session.execute(
            select(DataRequest.metric_id, DataRequest.entity_id, DataRequest.dims).where(
                DataRequest.year == year
            )
        ).all()
    )
    created: list[DataRequest] = []
    for metric_id, dims in keys:
        for entity_id in targets:
            if (metric_id, entity_id, dims) in existing:
                continue
            req = DataRequest(
                year=year,
                metric_id=metric_id,
                entity_id=entity_id,
                dims=dims,
                owner_id=owner_user.id,
                reviewer_id=reviewer_user.id if reviewer_user else None,
                due_date=due,
                instructions=instructions,
                created_by=user.username,
                updated_by=user.username,
            )
            session.add(req)
            created.append(req)
    session.flush()
    if created:
        audit.record(
            session,
            actor=user.username,
            action="request.issue",
            subject=f"requests:{year}",
            payload={
                "owner": owner_user.username,
                "reviewer": reviewer_user.username if reviewer_user else None,
                "due": due.isoformat(),
                "requests": [[r.id, r.metric_id, r.entity_id, r.dims] for r in created],
            },
        )
    total = len(keys) * len(targets)
    return {
        "created": len(created),
        "existing": total - len(created),
        "ids": [r.id for r in created],
    }


def _entities(
    session: Session, entities: Iterable[str], boundary: str | None, subtree_of: str | None
) -> list[str]:
    out: dict[str, None] = {}
    for ident in entities:
        out[get_entity(session, ident).id] = None
    if boundary:
        out.update(dict.fromkeys(member_shares(session, get_boundary(session, boundary))))
    if subtree_of:
        out.update(dict.fromkeys(subtree(session, subtree_of)))
    if not out:
        raise worded(
            InvalidInput("no entities: give entities, a boundary or a subtree root"),
            N_("no entities: give entities, a boundary or a subtree root"),
            {},
        )
    return list(out)


def _dims_for(metric_id: str, breakdowns: bool) -> list[str]:
    m = metric(metric_id)
    if m.kind == "derived":
        raise worded(
            InvalidInput(
                f"{metric_id!r} is derived from other metrics; request its inputs instead"
            ),
            N_("%(metric)r is derived from other metrics; request its inputs instead"),
            {"metric": metric_id},
        )
    keys = [""]
    if breakdowns:
        for dim in m.dimensions:
            keys += [dims_key({dim: member}) for member in dimensions()[dim].members]
    return keys


def _owner(session: Session, username: str, targets: list[str]) -> User:
    owner = get_user(session, username)
    if not owner.active or owner.role not in OWNER_ROLES:
        raise worded(
            InvalidInput(
                f"{owner.username} ({owner.role}{'' if owner.active else ', disabled'}) cannot "
                f"own requests; an owner is an active {', '.join(OWNER_ROLES)}"
            ),
            N_("%(user)s (%(role)s) cannot own requests; an owner is an active %(roles)s")
            if owner.active
            else N_(
                "%(user)s (%(role)s, disabled) cannot own requests; an owner is an active %(roles)s"
            ),
            {"user": owner.username, "role": owner.role, "roles": ", ".join(OWNER_ROLES)},
        )
    who = principal_of(session, owner)
    outside = [e for e in targets if not can(who, "request.enter", entity=e)]
    if outside:
        named = f"{', '.join(outside[:5])}{' …' if len(outside) > 5 else ''}"
        raise worded(
            InvalidInput(
                f"{owner.username} has no grant on {named}; grant it with "
                f"`esg user grant {owner.username} ENTITY` first"
            ),
            N_("%(user)s has no grant on %(entities)s"),
            {"user": owner.username, "entities": named},
        )
    return owner


def _reviewer(session: Session, username: str) -> User:
    reviewer = get_user(session, username)
    if not reviewer.active or reviewer.role not in REVIEWER_ROLES:
        raise worded(
            InvalidInput(
                f"{reviewer.username} ({reviewer.role}) cannot review; a reviewer is an active "
                f"{' or '.join(REVIEWER_ROLES)}"
            ),
            N_("%(user)s (%(role)s) cannot review; a reviewer is an active %(roles)s"),
            {"user": reviewer.username, "role": reviewer.role, "roles": " / ".join(REVIEWER_ROLES)},
        )
    return reviewer


# ---------------------------------------------------------------------------------------------
# Finding requests


def get_request(session: Session, request_id: int) -> DataRequest:
    req = session.get(DataRequest, request_id)
    if req is None:
        raise _no_request(request_id)
    return req


def _no_request(request_id: int) -> NotFound:
    return worded(
        NotFound(f"no data request {request_id}; `esg request list` lists them"),
        N_("no data request %(id)s"),
        {"id": request_id},
    )


def load_for_edit(
    session: Session,
    request_id: int,
    version: int | None,
    *,
    user: Principal,
    action: str,
    attempted: str = "",
) -> DataRequest:
    """The request, locked for this transaction, if ``user`` may do ``action`` on it;
    :class:`Conflict` if ``version`` is stale.

    ``version=None`` skips the check (bulk steps such as locking a whole year).
    """
    req = session.scalar(
        select(DataRequest)
        .where(DataRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if req is None:
        raise _no_request(request_id)
    require(user, action, entity=req.entity_id)
    if action in ASSIGNED_REVIEW:
        require_assigned_reviewer(session, user, req, action)
    if version is not None and req.version != version:
        lost = f"; your {attempted} was not saved" if attempted else "; nothing was saved"
        raise Conflict(
            f"request {req.id} was changed by {req.updated_by} at "
            f"{req.updated_at:%Y-%m-%d %H:%M:%S} UTC (version {req.version}, you had "
            f"version {version}){lost}: reload it and try again"
        )
    return req


def require_assigned_reviewer(
    session: Session, user: Principal, req: DataRequest, action: str
) -> None:
    """Four eyes by name: a request with a named reviewer is approved or returned by that
    reviewer (or an admin), not by whoever else holds the role."""
    if req.reviewer_id is None or user.role == "admin" or req.reviewer_id == user.user_id:
        return
    reviewer = session.get(User, req.reviewer_id)
    name = reviewer.username if reviewer is not None else str(req.reviewer_id)
    if name == user.username:
        return
    verb = action.split(".", 1)[1]
    raise PermissionDenied(
        f"{user.username} may not {verb} request {req.id}: its reviewer is {name}; "
        f"only {name} or an admin may {verb} it"
    )


def touch(req: DataRequest, user: Principal) -> None:
    """Mark the request as changed by ``user`` now: one new version per step."""
    req.updated_at = utcnow()
    req.updated_by = user.username
    req.version = req.version + 1


def log_step(
    session: Session, user: Principal, req: DataRequest, step: str, before: str, **extra: Any
) -> None:
    """One audit event per state change (and per value entry)."""
    session.flush()
    event = audit.record(
        session,
        actor=user.username,
        action=f"request.{step}",
        subject=f"request:{req.id}",
        payload={"from": before, "to": req.state, "version": req.version, **extra},
    )
    noted = request_events.Noted(event.action, event.subject, req.year, req.metric_id)
    request_events.note(event.hash, noted)  # the KPI read after it need not ask


def current_value(session: Session, req: DataRequest) -> KpiValue | None:
    """The ledger's current value for the request's key, wherever it came from."""
    return session.scalar(
        select(KpiValue).where(
            KpiValue.is_current,
            KpiValue.entity_id == req.entity_id,
            KpiValue.year == req.year,
            KpiValue.metric_id == req.metric_id,
            KpiValue.dims == req.dims,
        )
    )


def list_requests(
    session: Session,
    user: Principal,
    *,
    year: int | None = None,
    state: str | None = None,
    owner: str | None = None,
    entity: str | None = None,
    metric: str | None = None,
) -> list[DataRequest]:
    """Requests the user may read, in a stable order (year, due date, entity, metric)."""
    wanted = RequestFilter(
        year=year, state=state, entity=entity, metric=metric,
        owner_id=owner_id_for(session, user, owner) if owner else None,
    )  # fmt: skip
    return list(session.scalars(request_query(session, user, wanted, "").order_by(*PRINTED)))


def owner_id_for(session: Session, user: Principal, username: str) -> int:
    """The owner filter's user id. Only someone who may list users learns that a name is
    unknown; anyone else gets no requests (id 0 matches none), as for a name that owns none
    of theirs."""
    if can(user, "users.read"):
        return get_user(session, username).id
    found = session.scalar(select(User.id).where(User.username == username.strip().lower()))
    return found if found is not None else 0


def overdue(
    session: Session, user: Principal, *, today: dt.date | None = None, year: int | None = None
) -> list[DataRequest]:
    """Requests due before ``today`` (default: the local date) and not yet approved."""
    wanted = RequestFilter(year=year, overdue_on=today or dt.date.today())
    stmt = request_query(session, user, wanted, "").order_by(
        DataRequest.due_date, DataRequest.entity_id, DataRequest.metric_id, DataRequest.id
    )
    return list(session.scalars(stmt))


def request_dict(
    session: Session, req: DataRequest, *, today: dt.date | None = None
) -> dict[str, Any]:
    """One request as ``esg request show --json`` prints it (see :func:`request_dicts`)."""
    return request_dicts(session, [req], today=today)[0]


def request_history(session: Session, request_id: int) -> list[dict[str, Any]]:
    """Every step of the request from the audit log, oldest first (who, what, when)."""
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject == f"request:{request_id}")
        .order_by(AuditEvent.id)
    )
    return [
        {
            "event": e.id,
            "at": e.ts.isoformat(timespec="seconds"),
            "actor": e.actor,
            "action": e.action,
            "payload": json.loads(e.payload),
        }
        for e in rows
    ]
