"""A KPI file sent by a user (API, pages): the same workflow as every other write of a figure.

Who may write which figure through a file:

- a user who may write KPI values everywhere (ESG manager, admin) imports directly into the
  ledger, as ``esg import kpis`` does (a changed value needs a restatement reason), except
  figures someone was asked for: a row whose key has a data request is refused, naming the
  request, because changing it behind the request's back would leave a locked request
  "locked" on a figure nobody reviewed; such a figure changes through its request (enter,
  or restate once locked);
- anyone else (a data owner) enters values into their own open requests, exactly as a filled
  template upload (:func:`esgledger.workflow.values.upload_values`): only for granted
  entities, only into draft or returned requests, never a figure nobody requested; the
  values count once a reviewer approves them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, can, require
from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem
from esgledger.ledger.db import Database
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.workflow_models import DataRequest
from esgledger.workflow.values import upload_values


def import_kpi_file(
    db: Database, user: Principal, path: Path, *, sheet: str | None = None
) -> dict[str, Any]:
    """Import ``path`` as ``user`` may: directly (managers) or into their requests."""
    if can(user, "kpis.write"):
        return import_kpis(db, path, actor=user.username, sheet=sheet, guard=refuse_requested)
    if not any(can(user, "request.enter", entity=e) for e in user.scope):
        require(user, "request.enter")  # the usual one-line refusal
    with db.write() as session:
        return upload_values(session, user, path, sheet=sheet)


def refuse_requested(session: Session, source: str, rows: list[dict[str, Any]]) -> None:
    """:class:`ImportRejected` naming every validated row whose figure belongs to a data
    request; run at the check and again under the write lock, so a request issued while
    the file was checked refuses it too."""
    years = sorted({row["year"] for row in rows})
    requests = {
        (r.entity_id, r.year, r.metric_id, r.dims): r
        for r in session.scalars(select(DataRequest).where(DataRequest.year.in_(years)))
    }
    problems = []
    for row in rows:
        req = requests.get((row["entity_id"], row["year"], row["metric_id"], row["dims"]))
        if req is not None:
            message, values = _through_request(req)
            reason = message % {**values, "state": req.state}
            problems.append(
                Problem(row["__row"], "metric", reason, message, values, {"state": req.state})
            )
    if problems:
        raise ImportRejected(source, problems)


RESTATE_THROUGH = N_(
    "%(entity)s %(metric)s %(year)s is the figure of data request %(id)s (%(state)s); restate "
    "it through the request with a reason, not by import"
)
ENTER_THROUGH = N_(
    "%(entity)s %(metric)s %(year)s is the figure of data request %(id)s (%(state)s); enter it "
    "through the request, not by import"
)


def _through_request(req: DataRequest) -> tuple[str, dict[str, Any]]:
    """The message of a requested figure refused, and its values (the state is a word)."""
    message = RESTATE_THROUGH if req.state == "locked" else ENTER_THROUGH
    return message, {"entity": req.entity_id, "metric": req.metric_id, "year": req.year,
                     "id": req.id}  # fmt: skip
