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

import polars as pl
from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import IDS_PER_SELECT, validate_then_write
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.regcert_models import CurrencyRate, Donation, VolunteerHours
from esgledger.registers.giving_import import (
    validate_donations,
    validate_rates,
    validate_volunteering,
)
from esgledger.registers.ohs import Imported


def _entities(session: Session) -> set[str]:
    return set(session.scalars(select(Entity.id)))


def _stored(
    session: Session, model: type[Base], key: tuple[str, ...], keys: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Any]:
    """The stored rows with these keys (read a slice at a time: memory follows the file,
    not the register)."""
    columns = tuple_(*(getattr(model, k) for k in key))
    out: dict[tuple[Any, ...], Any] = {}
    unique = sorted(set(keys), key=repr)
    for start in range(0, len(unique), IDS_PER_SELECT):
        chunk = unique[start : start + IDS_PER_SELECT]
        for r in session.scalars(select(model).where(columns.in_(chunk))):
            out[tuple(getattr(r, k) for k in key)] = r
    return out


def _restate(
    session: Session,
    rows: pl.DataFrame,
    *,
    model: type[Base],
    key: tuple[str, ...],
    columns: dict[str, str],
    kind: str,
    table: Table,
    actor: str,
) -> Imported:
    """Add each row, or restate the stored row with the same ``key`` attributes; one batch
    and one audit event, and the batches that held restated rows digested again."""
    stored = _stored(session, model, key, list(rows.select([columns[k] for k in key]).iter_rows()))
    batch = open_batch(session, kind=kind, table=table, rows=rows.height, actor=actor)
    replaced, moved_from = 0, set()
    for row in rows.iter_rows(named=True):
        values = {attr: row[column] for attr, column in columns.items()}
        known = stored.get(tuple(values[k] for k in key))
        if known is None:
            session.add(model(batch_id=batch.id, **values))
            continue
        moved_from.add(known.batch_id)
        for attr, value in values.items():
            setattr(known, attr, value)
        known.batch_id = batch.id
        replaced += 1
    session.flush()
    digests.touch_batches(session, *sorted(moved_from, key=lambda b: b or 0))
    result = Imported(batch.id, rows.height - replaced, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


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
RATE_COLUMNS = {c: c for c in ("currency", "quote", "valid_from", "valid_to", "rate", "source")}


def import_donations(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """Donations from CSV or XLSX, all or nothing; a stored ref is restated."""
    table = read_table(path, sheet=sheet, kind="donations")
    write = partial(
        _restate,
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
        _restate,
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
        _restate,
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


def list_donations(
    session: Session,
    *,
    year: int | None = None,
    entity: str | None = None,
    programme: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> dict[str, Any]:
    """``{"total", "rows"}``: donations matching the filters, newest first."""
    stmt = select(Donation)
    if year:
        stmt = stmt.where(
            Donation.given_on >= dt.date(year, 1, 1), Donation.given_on <= dt.date(year, 12, 31)
        )
    if entity:
        stmt = stmt.where(Donation.entity_id == entity)
    if programme:
        stmt = stmt.where(Donation.programme == programme)
    rows = list(session.scalars(stmt.order_by(Donation.given_on.desc(), Donation.id)))
    page = rows[max(0, offset) : max(0, offset) + max(1, min(limit, 1000))]
    return {"total": len(rows), "rows": [donation_dict(d) for d in page]}


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
