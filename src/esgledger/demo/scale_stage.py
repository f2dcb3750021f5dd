"""A data collection at team scale: thousands of requests in one year, for measuring pages.

Issue #14 measured the web app with 4,300 requests in one year. :func:`scale_requests` adds
such a collection to a built demo (``esg demo --requests 4300``, ``bench/pages.py``): one
request per reported metric × entity, owned by the demo's data owner of the entity's site
(the manager for the rest), and moves a share of them through the workflow as people would
(every fifth entered and submitted, every tenth of all approved), through the same services.
"""

from __future__ import annotations

import datetime as dt
from itertools import islice

from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal
from esgledger.auth.users import principal
from esgledger.catalog import metrics
from esgledger.errors import InvalidInput
from esgledger.ledger.db import Database
from esgledger.ledger.entities import list_entities, subtree
from esgledger.workflow import review
from esgledger.workflow.requests import get_request, issue_requests
from esgledger.workflow.values import enter_value

OWNERS = {"SZ": "owner.sz", "WH": "owner.wh"}  # grant root → the demo's data owner
MANAGER, REVIEWER = "manager", "reviewer"
CHUNK = 200  # requests moved per transaction


def scale_requests(db: Database, *, year: int, count: int) -> dict[str, int]:
    """Issue ``count`` requests for ``year`` (existing ones count) and move some along."""
    pairs = _pairs(db, count)
    with db.read() as session:
        who = {u: principal(session, u) for u in (MANAGER, REVIEWER, *OWNERS.values())}
        owner_of = _owner_of(session)
    due = dt.date(year + 1, 1, 31)
    ids: list[int] = []
    with db.write() as session:
        for owner in sorted({owner_of.get(e, MANAGER) for _, e in pairs}):
            mine = [(m, e) for m, e in pairs if owner_of.get(e, MANAGER) == owner]
            for metric_id in dict.fromkeys(m for m, _ in mine):
                issued = issue_requests(
                    session, who[MANAGER], year=year, metrics=[metric_id], owner=owner,
                    due=due, entities=[e for m, e in mine if m == metric_id],
                    reviewer=REVIEWER, issued_on=dt.date(year, 1, 2),  # history
                )  # fmt: skip
                ids += issued["ids"]
    moved = _move(db, who, ids[::5])
    return {"year": year, "requests": len(pairs), "issued": len(ids), **moved}


def _pairs(db: Database, count: int) -> list[tuple[str, str]]:
    """The first ``count`` (metric, entity) pairs, metric by metric over every entity."""
    with db.read() as session:
        entities = [e.id for e in list_entities(session)]
    reported = [m.id for m in metrics().values() if m.kind == "reported"]
    pairs = [(m, e) for m in reported for e in entities]
    if not 1 <= count <= len(pairs):
        raise InvalidInput(
            f"--requests must be between 1 and {len(pairs)} "
            f"({len(reported)} reported metrics × {len(entities)} entities), not {count}"
        )
    return list(islice(pairs, count))


def _owner_of(session: Session) -> dict[str, str]:
    owner_of: dict[str, str] = {}
    for root, owner in OWNERS.items():
        owner_of.update(dict.fromkeys(subtree(session, root), owner))
    return owner_of


def _move(db: Database, who: dict[str, Principal], ids: list[int]) -> dict[str, int]:
    """Enter 1 and submit each request; approve every second one."""
    by_id = {p.user_id: p for p in who.values()}
    approved = 0
    for start in range(0, len(ids), CHUNK):
        with db.write() as session:
            for n, rid in enumerate(ids[start : start + CHUNK], start):
                req = get_request(session, rid)
                owner, unit = by_id[req.owner_id], metrics()[req.metric_id].unit
                req = enter_value(session, owner, rid, version=req.version, value=1, unit=unit)
                req = review.submit(session, owner, rid, version=req.version)
                if n % 2 == 0:
                    review.approve(session, who[REVIEWER], rid, version=req.version)
                    approved += 1
    return {"submitted": len(ids) - approved, "approved": approved}
