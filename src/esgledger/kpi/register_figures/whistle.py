"""Whistleblowing figures counted from the register: reports received, substantiated, closed,
and closed within 90 days of receipt, per entity (GRI 2-25, 2-26).

An entity is covered in a year when it had an intake channel by the year's end (an intake
link issued for it) or received or closed a case that year (as complaints and
vulnerabilities are): its counts are then figures even when zero, and an entity without a
channel has no figure at all. A case received in December and closed in January so counts
as received in one year and closed in the next, with a zero received figure beside it.
Counts carry no case content.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.register_models import WhistleCase, WhistleLink

REGISTER = "whistleblowing"
CLOSE_WITHIN = dt.timedelta(days=90)  # registers.whistle.CLOSE_WITHIN_DAYS (a layer above)


def _in_year(when: dt.datetime | None, year: int) -> bool:
    return when is not None and when.year == year


def whistle_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's whistleblowing counts per covered entity."""
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    covered = set(session.scalars(select(WhistleLink.entity_id).where(WhistleLink.issued_at < end)))
    cases = list(
        session.scalars(
            select(WhistleCase).where(
                (WhistleCase.received_at >= start) & (WhistleCase.received_at < end)
                | (WhistleCase.closed_at >= start) & (WhistleCase.closed_at < end)
            )
        )
    )
    covered |= {c.entity_id for c in cases}  # each was received or closed in the year
    rules: dict[str, Callable[[WhistleCase], bool]] = {
        "compliance.whistleblowing.received": lambda c: _in_year(c.received_at, year),
        "compliance.whistleblowing.substantiated": lambda c: (
            _in_year(c.received_at, year) and c.outcome == "substantiated"
        ),
        "compliance.whistleblowing.closed": lambda c: _in_year(c.closed_at, year),
        "compliance.whistleblowing.closed_within_sla": lambda c: (
            c.closed_at is not None
            and _in_year(c.closed_at, year)
            and c.closed_at - c.received_at <= CLOSE_WITHIN
        ),
    }
    out = []
    for metric, counts in rules.items():
        for entity in sorted(covered | {c.entity_id for c in cases if counts(c)}):
            ids = tuple(c.id for c in cases if c.entity_id == entity and counts(c))
            out.append(RegisterFigure(metric, year, entity, float(len(ids)), "case", REGISTER, ids))
    return out
