"""When each audit finding took its steps, read back from the audit log (#16).

The register keeps a finding's current state and its verified closure day only, but every
move is one hash-chained ``suppliers.finding.move`` event. A step's day is the one given
with it (``on`` in the event's payload) or else the day the event was recorded (UTC): the
latest the step can have happened. A past year's report takes each finding's state as at its
year's end from these (:func:`state_at`), so a plan submitted after 31 December never shows
as "under way" in that year's report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.errors import InvalidInput, worded
from esgledger.ledger.models import AuditEvent, utcnow

MOVE = "suppliers.finding.move"
OPEN = "open"


@dataclass(frozen=True)
class Step:
    """One move of a finding: the state it moved to and the day it happened."""

    to: str
    day: dt.date
    dated: bool  # the day was given with the step, not taken from the recording


def steps(session: Session, finding: int | None = None) -> dict[int, list[Step]]:
    """Each finding's moves in the order they were recorded (one finding's, or all)."""
    stmt = select(AuditEvent.ts, AuditEvent.payload).where(AuditEvent.action == MOVE)
    if finding is not None:  # canonical JSON sorts keys: "finding" is followed by "from"
        stmt = stmt.where(AuditEvent.payload.contains(f'"finding":{finding},"from":'))
    out: dict[int, list[Step]] = defaultdict(list)
    for ts, payload in session.execute(stmt.order_by(AuditEvent.id)):
        data = json.loads(payload)
        given = data.get("on")
        day = dt.date.fromisoformat(given) if given else ts.date()
        out[int(data["finding"])].append(Step(data["to"], day, given is not None))
    return out


def state_at(history: list[Step], end: dt.date) -> str:
    """The state the last step dated on or before ``end`` moved to; open when none was."""
    state = OPEN
    for step in history:
        if step.day <= end:
            state = step.to
    return state


def undated_after(history: list[Step], end: dt.date) -> bool:
    """Whether a step was recorded after ``end`` without its day: it may have happened by
    then, but nothing stored says so."""
    return any(not s.dated and s.day > end for s in history)


def check_day(session: Session, finding: int, on: dt.date) -> None:
    """Refuse a step's day after today or before the finding's previous dated step."""
    today = utcnow().date()
    if on > today:
        message = N_("the step's day %(on)s is after today (%(today)s)")
        values = {"on": on, "today": today}
        raise worded(InvalidInput(message % values), message, values)
    dated = [s for s in steps(session, finding).get(finding, []) if s.dated]
    if dated and on < dated[-1].day:
        last = dated[-1]
        message = N_("the step's day %(on)s comes before the finding's previous step "
                     "(%(step)s on %(day)s)")  # fmt: skip
        values = {"on": on, "day": last.day}
        english = message % {**values, "step": last.to}
        raise worded(InvalidInput(english), message, values, {"step": last.to})
