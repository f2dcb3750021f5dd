"""Complaint and NPS figures counted from their registers, per entity and severity/segment.

Complaints: received (accepted in the year), closed (closed in the year), closed within SLA
(closed in the year with no state's stay beyond the SLA of its severity and state) and SLA
breaches (state stays beyond their SLA, of complaints received or closed in the year, judged
at the year's end). An entity is covered in a year when it accepted or closed a complaint
then; its counts are figures even when zero. A closed complaint whose severity has no SLA at
all cannot be judged: the closed-within-SLA figures are then not available for every
entity, naming the severity (a total over the others would look complete). NPS: answers,
promoters (9-10) and detractors (0-6) per segment; the score is a catalog formula over them,
so it is not available without answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import dimensions
from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import COMPLAINTS, Judgement, judge_complaint, slas
from esgledger.ledger.register_models import Complaint, NpsAnswer

REGISTER, NPS = COMPLAINTS.register, "nps"
SEVERITY = "complaint_severity"
SEGMENT = "customer_segment"


def _in_year(when: dt.datetime | None, year: int) -> bool:
    return when is not None and when.year == year


def complaint_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's complaint counts per covered entity, in total and by severity."""
    start, end = dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
    rows = list(
        session.scalars(
            select(Complaint).where(
                (Complaint.accepted_at >= start) & (Complaint.accepted_at < end)
                | (Complaint.closed_at >= start) & (Complaint.closed_at < end)
            )
        )
    )
    table, now = slas(session, REGISTER), min(utcnow(), end)
    judged: dict[int, Judgement] = {c.id: judge_complaint(c, table, now) for c in rows}
    closed = [c for c in rows if _in_year(c.closed_at, year)]
    rules: dict[str, Callable[[Complaint], int]] = {
        "customer.complaints.received": lambda c: int(_in_year(c.accepted_at, year)),
        "customer.complaints.closed": lambda c: int(_in_year(c.closed_at, year)),
        "customer.complaints.closed_within_sla": lambda c: int(
            _in_year(c.closed_at, year) and judged[c.id].within
        ),
        "customer.complaints.sla_breaches": lambda c: len(judged[c.id].breaches),
    }
    # one entity's unjudged complaints make every entity's figure unavailable: a total over
    # the others would look complete
    missing = sorted({c.severity for c in closed if not judged[c.id].has_sla})
    no_sla = [coded("no_sla_complaints", severities=missing)]
    # (metric, entity, severity or "") → (count, ids), each complaint visited once per rule
    counted: dict[tuple[str, str, str], list[int]] = defaultdict(list)  # ids, once per unit
    for metric, adds in rules.items():
        for c in rows:
            for severity in ("", c.severity):
                counted[(metric, c.entity_id, severity)].extend([c.id] * adds(c))
    out = []
    for metric in rules:
        blocked = metric == "customer.complaints.closed_within_sla" and missing
        for entity in sorted({c.entity_id for c in rows}):
            for severity in ("", *dimensions()[SEVERITY].members):
                units = counted.get((metric, entity, severity), [])
                ids = sorted(set(units))
                value: float | None = float(len(units))
                why: list[dict[str, Any]] = []
                if blocked and (not severity or severity in missing):
                    value, why = None, no_sla
                dims = {SEVERITY: severity} if severity else {}
                out.append(
                    RegisterFigure(metric, year, entity, value, "case", REGISTER, tuple(ids),
                                   dims, note_of(why), why)
                )  # fmt: skip
    return out


def nps_figures(session: Session, year: int) -> list[RegisterFigure]:
    """Answers, promoters and detractors per entity, in total and by segment."""
    answers = session.execute(
        select(NpsAnswer.id, NpsAnswer.entity_id, NpsAnswer.segment, NpsAnswer.score).where(
            NpsAnswer.answered_on >= dt.date(year, 1, 1),
            NpsAnswer.answered_on <= dt.date(year, 12, 31),
        )
    ).all()
    grouped: dict[str, list[tuple[int, str, int]]] = defaultdict(list)
    for ident, entity, segment, score in answers:
        grouped[entity].append((ident, segment, score))
    rules: dict[str, Callable[[int], bool]] = {
        "customer.nps.answers": lambda s: True,
        "customer.nps.promoters": lambda s: s >= 9,
        "customer.nps.detractors": lambda s: s <= 6,
    }
    out = []
    for entity, mine in sorted(grouped.items()):
        for metric, counts in rules.items():
            for segment in ("", *dimensions()[SEGMENT].members):
                ids = tuple(i for i, seg, s in mine if segment in ("", seg) and counts(s))
                dims = {SEGMENT: segment} if segment else {}
                out.append(
                    RegisterFigure(metric, year, entity, float(len(ids)), "count", NPS, ids, dims)
                )
    return out
