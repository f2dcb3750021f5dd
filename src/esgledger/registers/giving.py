"""The community giving register: donations (cash or in kind, in their own currency),
volunteer hours by programme, and the exchange rates the user imported to convert donations
into the report currency, each with its public source.

No rate is shipped or guessed: a donation in a currency without a rate for its date leaves
the year's donation total not available, naming the donation. Imports follow the house rule
(validated against a read, written in one short transaction as one batch and one audit
event); a stored row with the same key (donation ref; entity, year and programme; currency
pair and start date) is restated by a later file.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from esgledger.ingest.readers import read_table
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.listing import ListParams, Page, page_order, paginate
from esgledger.ledger.models import Entity
from esgledger.ledger.regcert_models import CurrencyRate, Donation, VolunteerHours
from esgledger.registers.giving_import import (
    validate_donations,
    validate_rates,
    validate_volunteering,
)
from esgledger.registers.ohs import Imported
from esgledger.registers.restate import restate


def _entities(session: Session) -> set[str]:
    return set(session.scalars(select(Entity.id)))


DONATION_COLUMNS = {
    "ref": "ref",
    "entity_id": "entity",
    "given_on": "given_on",
    "programme": "programme",
    "recipient_type": "recipient_type",
    "form": "form",
    "amount": "amount",
    "currency": "currency",
}
VOLUNTEER_COLUMNS = {
    "entity_id": "entity",
    "year": "year",
    "programme": "programme",
    "participations": "participations",
    "hours": "hours",
}
DONATION_SORT: dict[str, Any] = {"date": Donation.given_on}  # the list's one order, newest first
# ties by id in the sort's direction (#14): newest first is oldest first read backwards
THEN_BY = (Donation.id.asc(),)
RATE_COLUMNS = {c: c for c in ("currency", "quote", "valid_from", "valid_to", "rate", "source")}


def import_donations(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Donations from CSV or XLSX, all or nothing; a stored ref is restated."""
    table = read_table(path, sheet=sheet, kind="donations")
    write = partial(
        restate,
        model=Donation,
        key=("ref",),
        columns=DONATION_COLUMNS,
        kind="register.donations",
        table=table,
        actor=actor,
    )
    return validate_then_write(
        db, lambda s: validate_donations(table, entities=_entities(s)), write
    )


def import_volunteering(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Volunteer hours from CSV or XLSX, all or nothing; a stored entity, year and programme
    is restated."""
    table = read_table(path, sheet=sheet, kind="volunteering")
    write = partial(
        restate,
        model=VolunteerHours,
        key=("entity_id", "year", "programme"),
        columns=VOLUNTEER_COLUMNS,
        kind="register.volunteering",
        table=table,
        actor=actor,
    )
    return validate_then_write(
        db, lambda s: validate_volunteering(table, entities=_entities(s)), write
    )


def import_rates(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Exchange rates with their source from CSV or XLSX, all or nothing."""
    table = read_table(path, sheet=sheet, kind="rates")
    write = partial(
        restate,
        model=CurrencyRate,
        key=("currency", "quote", "valid_from"),
        columns=RATE_COLUMNS,
        kind="register.currency_rates",
        table=table,
        actor=actor,
    )
    return validate_then_write(db, lambda s: validate_rates(table), write)


def donation_dict(d: Donation) -> dict[str, Any]:
    return {
        "ref": d.ref,
        "entity": d.entity_id,
        "date": d.given_on.isoformat(),
        "programme": d.programme,
        "recipient_type": d.recipient_type,
        "form": d.form,
        "amount": d.amount,
        "currency": d.currency,
    }


def donations_query(
    *, year: int | None = None, entity: str | None = None, programme: str | None = None
) -> Select[Any]:
    """Donations given in ``year``, by ``entity``, to ``programme`` (each when given)."""
    stmt = select(Donation)
    if year:
        stmt = stmt.where(
            Donation.given_on >= dt.date(year, 1, 1), Donation.given_on <= dt.date(year, 12, 31)
        )
    if entity:
        stmt = stmt.where(Donation.entity_id == entity)
    if programme:
        stmt = stmt.where(Donation.programme == programme)
    return stmt


def list_donations(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    programme: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: donations matching the filters, newest first; only the rows
    asked for are read."""
    stmt = donations_query(year=year, entity=entity, programme=programme)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    ordered = stmt.order_by(*page_order(DONATION_SORT["date"], True, THEN_BY))
    found = session.scalars(ordered.offset(max(0, offset)).limit(max(1, min(limit, 1000))))
    return {"total": total, "rows": [donation_dict(d) for d in found]}


def page_donations(session: Session, params: ListParams, **filters: Any) -> Page[dict[str, Any]]:
    """One page of donations in the list's order (newest first), for a streamed export."""
    stmt = donations_query(**filters)
    found = paginate(session, stmt, params, DONATION_SORT, THEN_BY, reverse_ties=True)
    return found.with_rows([donation_dict(d) for d in found.rows])


def list_volunteering(session: Session, *, year: int | None = None) -> list[dict[str, Any]]:
    stmt = select(VolunteerHours).order_by(
        VolunteerHours.year, VolunteerHours.entity_id, VolunteerHours.programme
    )
    if year:
        stmt = stmt.where(VolunteerHours.year == year)
    return [
        {
            "entity": v.entity_id,
            "year": v.year,
            "programme": v.programme,
            "participations": v.participations,
            "hours": v.hours,
        }
        for v in session.scalars(stmt)
    ]


def list_rates(session: Session) -> list[dict[str, Any]]:
    stmt = select(CurrencyRate).order_by(
        CurrencyRate.currency, CurrencyRate.quote, CurrencyRate.valid_from
    )
    return [
        {
            "currency": r.currency,
            "quote": r.quote,
            "valid_from": r.valid_from.isoformat(),
            "valid_to": r.valid_to.isoformat(),
            "rate": r.rate,
            "source": r.source,
        }
        for r in session.scalars(stmt)
    ]
