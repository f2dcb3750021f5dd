"""Community giving figures counted from the giving register: donations in the report
currency (RMB), volunteer hours and participations, and the programmes run (GRI 201-1,
203-1, 413-1).

Donations are converted at the user-imported rate of their currency for their date (one
with the source it was taken from); none is shipped or guessed. A donation in a currency
without a rate for its date leaves every entity's donation figure not available, naming
the donation, so the total is never a sum short of it. Once the register holds a year's
donations (or volunteering), it covers every entity: one without rows gave 0. A programme
counts once, at the nearest entity above every entity that ran it in the year, so the
roll-up adds programmes without counting one twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.kpi.register_figures.notes import coded, note_of
from esgledger.kpi.register_source import RegisterFigure
from esgledger.ledger.models import Entity
from esgledger.ledger.regcert_models import CurrencyRate, Donation, VolunteerHours

REPORT_CURRENCY = "CNY"  # social.donations is in RMB million
DONATIONS, VOLUNTEERING = "donations", "volunteer_hours"
MILLION = 1_000_000


def _rate(rates: list[CurrencyRate], currency: str, day: dt.date) -> float | None:
    """The rate to the report currency in force on ``day`` (the latest start wins)."""
    if currency == REPORT_CURRENCY:
        return 1.0
    found = [r for r in rates if r.currency == currency and r.valid_from <= day <= r.valid_to]
    return max(found, key=lambda r: r.valid_from).rate if found else None


def _common_ancestor(entities: set[str], parents: dict[str, str | None]) -> str | None:
    """The nearest entity at or above every one of ``entities``."""

    def chain(entity: str) -> list[str]:
        out: list[str] = []
        current: str | None = entity
        seen: set[str] = set()
        while current is not None and current not in seen:
            out.append(current)
            seen.add(current)
            current = parents.get(current)
        return out

    chains = [chain(e) for e in sorted(entities)]
    shared = set(chains[0]).intersection(*map(set, chains[1:]))
    return next((e for e in chains[0] if e in shared), None)


def giving_figures(session: Session, year: int) -> list[RegisterFigure]:
    """Per entity: donations (RMB million), volunteer hours and participations, programmes."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    donations = list(
        session.scalars(
            select(Donation)
            .where(Donation.given_on >= start, Donation.given_on <= end)
            .order_by(Donation.id)
        )
    )
    volunteering = list(
        session.scalars(
            select(VolunteerHours).where(VolunteerHours.year == year).order_by(VolunteerHours.id)
        )
    )
    if not donations and not volunteering:
        return []
    parents: dict[str, str | None] = dict(
        session.execute(select(Entity.id, Entity.parent_id)).all()
    )
    out = []
    if donations:
        out.extend(_donation_figures(session, year, donations, sorted(parents)))
    if volunteering:
        out.extend(_volunteer_figures(year, volunteering, sorted(parents)))
    out.extend(_programme_figures(year, donations, volunteering, parents))
    return out


def _donation_figures(
    session: Session, year: int, donations: list[Donation], entities: list[str]
) -> list[RegisterFigure]:
    rates = list(session.scalars(select(CurrencyRate).where(CurrencyRate.quote == REPORT_CURRENCY)))
    converted = [(d, _rate(rates, d.currency, d.given_on)) for d in donations]
    missing = [d for d, rate in converted if rate is None]
    why: list[dict[str, Any]] = []
    if missing:
        first = missing[0]
        why = [coded("no_donation_rate", n=len(missing), quote=REPORT_CURRENCY, ref=first.ref,
                     currency=first.currency, day=first.given_on.isoformat())]  # fmt: skip
    totals: dict[str, float] = defaultdict(float)
    ids: dict[str, list[int]] = defaultdict(list)
    for d, rate in converted:
        totals[d.entity_id] += d.amount * (rate or 0.0) / MILLION
        ids[d.entity_id].append(d.id)
    return [
        RegisterFigure(
            "social.donations",
            year,
            entity,
            None if missing else totals[entity],
            "RMB million",
            DONATIONS,
            tuple(ids[entity]),
            note=note_of(why),
            note_why=why,
        )
        for entity in entities
    ]


def _volunteer_figures(
    year: int, rows: list[VolunteerHours], entities: list[str]
) -> list[RegisterFigure]:
    hours: dict[str, float] = defaultdict(float)
    people: dict[str, int] = defaultdict(int)
    ids: dict[str, list[int]] = defaultdict(list)
    for v in rows:
        hours[v.entity_id] += v.hours
        people[v.entity_id] += v.participations
        ids[v.entity_id].append(v.id)
    out = []
    for entity in entities:
        row_ids = tuple(ids[entity])
        out.append(
            RegisterFigure(
                "social.volunteering.hours",
                year,
                entity,
                hours[entity],
                "hour",
                VOLUNTEERING,
                row_ids,
            )
        )
        out.append(
            RegisterFigure(
                "social.volunteering.participation",
                year,
                entity,
                people[entity],
                "person_times",
                VOLUNTEERING,
                row_ids,
            )
        )
    return out


def _programme_figures(
    year: int,
    donations: list[Donation],
    volunteering: list[VolunteerHours],
    parents: dict[str, str | None],
) -> list[RegisterFigure]:
    runners: dict[str, set[str]] = defaultdict(set)
    rows: dict[str, list[int]] = defaultdict(list)
    for d in donations:
        runners[d.programme].add(d.entity_id)
        rows[d.programme].append(d.id)
    for v in volunteering:
        runners[v.programme].add(v.entity_id)
    counted: dict[str, list[int]] = {entity: [] for entity in parents}
    for programme, entities in sorted(runners.items()):
        home = _common_ancestor(entities, parents)
        if home is not None:
            counted[home].append(min(rows[programme], default=0))
    return [
        RegisterFigure(
            "social.giving.programmes",
            year,
            entity,
            len(found),
            "count",
            DONATIONS,
            tuple(i for i in found if i),
        )
        for entity, found in sorted(counted.items())
    ]
