"""OHS figures counted from the register: hours worked, injuries, lost days, fatalities and
occupational disease, by entity and worker type.

An entity is covered in a year when it has hours worked: its counts are then figures even
when zero (no injury is a real 0), and an entity without hours has no figure at all. An
incident at an entity without hours that year is not dropped: its count becomes a figure
with a note, and the hours — the rates' denominator — stay not available for it. Rates per
200,000 and 1,000,000 hours and per mille of employees are catalog formulas over these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.register_models import OhsHours, OhsIncident

HOURS, INCIDENTS = "ohs_hours", "ohs_incidents"

# metric → (unit, what an incident adds to it; 0 leaves it out)
COUNTS: dict[str, tuple[str, Callable[[OhsIncident], int]]] = {
    "ohs.recordable_injuries": ("case", lambda i: int(i.kind in ("injury", "fatality"))),
    "ohs.recordable_injuries_employees": (
        "case",
        lambda i: int(i.kind in ("injury", "fatality") and i.worker_type == "employee"),
    ),
    "ohs.high_consequence_injuries": (
        "case",
        lambda i: int(i.kind == "injury" and i.high_consequence),
    ),
    "ohs.lost_time_injuries": ("case", lambda i: int(i.kind == "injury" and i.lost_days > 0)),
    "ohs.lost_days": ("day", lambda i: i.lost_days if i.kind == "injury" else 0),
    "ohs.fatalities": ("case", lambda i: int(i.kind == "fatality")),
    "ohs.occupational_disease_cases": ("case", lambda i: int(i.kind == "occupational_disease")),
}
# Metrics broken down by worker type as well as in total.
BY_WORKER_TYPE = ("ohs.hours_worked", "ohs.recordable_injuries", "ohs.lost_days")


def _figures(
    metric: str,
    year: int,
    unit: str,
    register: str,
    per_key: dict[tuple[str, str], tuple[float, list[int], str]],
) -> list[RegisterFigure]:
    out = []
    totals: dict[str, tuple[float, list[int], list[str]]] = {}
    for (entity, worker), (value, ids, note) in sorted(per_key.items()):
        if metric in BY_WORKER_TYPE:
            out.append(
                RegisterFigure(
                    metric,
                    year,
                    entity,
                    value,
                    unit,
                    register,
                    tuple(ids),
                    {"worker_type": worker},
                    note,
                )
            )
        total, all_ids, notes = totals.get(entity, (0.0, [], []))
        totals[entity] = (total + value, all_ids + ids, [*notes, note] if note else notes)
    for entity, (value, ids, notes) in sorted(totals.items()):
        note = "; ".join(sorted(set(notes)))
        out.append(
            RegisterFigure(metric, year, entity, value, unit, register, tuple(ids), {}, note)
        )
    return out


def ohs_figures(session: Session, year: int) -> list[RegisterFigure]:
    """The year's OHS figures per entity (and worker type where the catalog breaks it down)."""
    hours = list(session.scalars(select(OhsHours).where(OhsHours.year == year)))
    incidents = list(
        session.scalars(
            select(OhsIncident).where(
                OhsIncident.occurred_on >= dt.date(year, 1, 1),
                OhsIncident.occurred_on <= dt.date(year, 12, 31),
            )
        )
    )
    covered = {(h.entity_id, h.worker_type) for h in hours}
    out = _figures(
        "ohs.hours_worked",
        year,
        "hour",
        HOURS,
        {(h.entity_id, h.worker_type): (h.hours, [h.id], "") for h in hours},
    )
    for metric, (unit, adds) in COUNTS.items():
        counted: dict[tuple[str, str], tuple[float, list[int], str]] = {
            key: (0.0, [], "") for key in covered
        }
        for incident in incidents:
            amount = adds(incident)
            if not amount:
                continue
            key = (incident.entity_id, incident.worker_type)
            value, ids, note = counted.get(key, (0.0, [], ""))
            if key not in covered:
                note = f"{incident.entity_id} has incidents but no {year} hours worked"
            counted[key] = (value + amount, [*ids, incident.id], note)
        out.extend(_figures(metric, year, unit, INCIDENTS, counted))
    return out
