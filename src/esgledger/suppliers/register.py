"""Reading the supplier register: one page of suppliers, one supplier with its rows.

Spend is shown from the Scope 3 purchase lines (activity types ``spend.*`` whose attribute
``supplier`` names the supplier) when the ledger or its activity store has any for the year;
otherwise the spend imported with the supplier, marked as such, or "not available" — never
zero.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any, Literal

import polars as pl
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.errors import Conflict, NotFound, worded
from esgledger.ledger.activity_store import read_file, required_root, year_files
from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import ActivityRecord
from esgledger.ledger.supplier_models import (
    Supplier,
    SupplierAgreement,
    SupplierCertification,
    SupplierContact,
    SupplierSite,
)

_COLUMNS = Supplier.__table__.c
SORT: dict[str, ColumnElement[Any]] = {
    "id": _COLUMNS.id,
    "name": _COLUMNS.name,
    "country": _COLUMNS.country,
    "spend": _COLUMNS.spend,
}
DEFAULT_SORT = "id"
PURCHASE_PREFIX = "spend."


def supplier_query(
    *, country: str | None = None, commodity: str | None = None, search: str = ""
) -> Select[Any]:
    """Suppliers matching the filters; ``search`` looks in id, name and parent group."""
    stmt = select(Supplier)
    if country:
        stmt = stmt.where(Supplier.country == country.upper())
    if commodity:
        stmt = stmt.where(Supplier.commodities.contains(commodity.strip(), autoescape=True))
    if search:
        stmt = stmt.where(
            or_(
                Supplier.id.contains(search, autoescape=True),
                Supplier.name.contains(search, autoescape=True),
                Supplier.parent_group.contains(search, autoescape=True),
            )
        )
    return stmt


def page_suppliers(
    session: Session,
    params: ListParams,
    *,
    country: str | None = None,
    commodity: str | None = None,
) -> Page[Supplier]:
    """One page of the suppliers matching the filters and the search: ties by id in the
    sort's direction (#14), so a descending page is the ascending one read backwards."""
    stmt = supplier_query(country=country, commodity=commodity, search=params.search)
    return paginate(session, stmt, params, SORT, (SORT["id"],), reverse_ties=True)


def supplier_dict(supplier: Supplier) -> dict[str, Any]:
    return {
        "id": supplier.id,
        "name": supplier.name,
        "parent_group": supplier.parent_group,
        "country": supplier.country,
        "commodities": [c.strip() for c in supplier.commodities.split(";") if c.strip()],
        "spend": supplier.spend,
        "spend_unit": supplier.spend_unit,
        "entity": supplier.entity_id,
        "onboarded_on": _day(supplier.onboarded_on),
        "ended_on": _day(supplier.ended_on),
    }


def get_supplier(session: Session, supplier_id: str) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise NotFound(f"unknown supplier {supplier_id!r}; `esg suppliers list` lists them")
    return supplier


def known_ids(session: Session, wanted: list[str] | None = None) -> list[str]:
    """Every supplier id (sorted), or ``wanted`` once each is known to exist."""
    stored = list(session.scalars(select(Supplier.id).order_by(Supplier.id)))
    if wanted is None:
        return stored
    missing = sorted(set(wanted) - set(stored))
    if missing:
        raise NotFound(f"unknown supplier {missing[0]!r}; `esg suppliers list` lists them")
    return wanted


def ended_before(session: Session, supplier_ids: list[str], day: dt.date) -> dict[str, dt.date]:
    """The suppliers among ``supplier_ids`` whose cooperation ended before ``day``, with the
    day each ended (its last day in cooperation): no questionnaire or audit goes to them after
    it."""
    rows = session.execute(
        select(Supplier.id, Supplier.ended_on)
        .where(Supplier.id.in_(supplier_ids), Supplier.ended_on < day)
        .order_by(Supplier.id)
    )
    return {supplier: ended for supplier, ended in rows if ended is not None}


# What is refused after a cooperation ended, worded in the request's language (#19).
ENDED_REFUSALS = {
    "questionnaire": N_(
        "supplier %(supplier)s's cooperation ended on %(ended)s; no questionnaire is sent after it"
    ),
    "audit": N_(
        "supplier %(supplier)s's cooperation ended on %(ended)s; no audit is planned for %(day)s"
    ),
}


def refuse_ended(
    session: Session, supplier_ids: list[str], day: dt.date, what: Literal["questionnaire", "audit"]
) -> None:
    """Raise :class:`Conflict` naming the first supplier whose cooperation ended before
    ``day``; ``what`` is refused (a questionnaire sent, an audit planned)."""
    ended = ended_before(session, supplier_ids, day)
    if ended:
        supplier, last = next(iter(ended.items()))
        values = {"supplier": supplier, "ended": last.isoformat(), "day": day.isoformat()}
        message = ENDED_REFUSALS[what]
        raise worded(Conflict(message % values), message, values)


def supplier_detail(
    session: Session, supplier_id: str, *, year: int | None = None, today: dt.date | None = None
) -> dict[str, Any]:
    """One supplier with its sites, contacts, agreements and certifications (each
    certificate marked expired or not on ``today``), and its spend for ``year``."""
    supplier = get_supplier(session, supplier_id)
    today = today or dt.date.today()
    out = supplier_dict(supplier)
    out["sites"] = [
        {"name": s.name, "country": s.country, "address": s.address}
        for s in _children(session, SupplierSite, supplier_id, SupplierSite.name)
    ]
    out["contacts"] = [
        {"email": c.email, "name": c.name, "role": c.role}
        for c in _children(session, SupplierContact, supplier_id, SupplierContact.email)
    ]
    out["agreements"] = [
        {
            "kind": a.kind,
            "signed_on": _day(a.signed_on),
            "expires_on": _day(a.expires_on),
            "evidence": a.evidence_id,
            "in_force": a.expires_on is None or a.expires_on >= today,
        }
        for a in _children(session, SupplierAgreement, supplier_id, SupplierAgreement.signed_on)
    ]
    out["certifications"] = [
        {
            "standard": c.standard,
            "certificate": c.certificate,
            "issued_on": _day(c.issued_on),
            "expires_on": _day(c.expires_on),
            "evidence": c.evidence_id,
            "expired": c.expires_on < today,
        }
        for c in _children(
            session, SupplierCertification, supplier_id, SupplierCertification.expires_on
        )
    ]
    if year is not None:
        out["spend_in_year"] = spend_of(session, supplier, year)
    return out


def spend_of(session: Session, supplier: Supplier, year: int) -> dict[str, Any]:
    """The supplier's spend in ``year``: purchase lines first, then the imported figure."""
    lines = purchase_spend(session, year).get(supplier.id)
    if lines:
        return {"source": "purchases", "by_unit": dict(sorted(lines.items()))}
    if supplier.spend is not None:
        return {"source": "imported", "by_unit": {supplier.spend_unit or "": supplier.spend}}
    return {
        "source": None,
        "by_unit": {},
        "note": f"not available: no purchase lines name this supplier in {year} and no spend "
        "was imported",
    }


def purchase_spend(session: Session, year: int) -> dict[str, dict[str, float]]:
    """Spend per supplier and currency from the year's live ``spend.*`` activity lines."""
    start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    stmt = select(ActivityRecord.attributes, ActivityRecord.quantity, ActivityRecord.unit).where(
        ActivityRecord.activity.startswith(PURCHASE_PREFIX),
        ActivityRecord.start >= start,
        ActivityRecord.start < end,
        ActivityRecord.voided_at.is_(None),
        ActivityRecord.attributes.contains('"supplier"'),
    )
    out: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for attributes, quantity, unit in session.execute(stmt.execution_options(yield_per=1000)):
        supplier = json.loads(attributes).get("supplier") if attributes else None
        if supplier:
            out[str(supplier)][unit] += float(quantity)
    for supplier, unit, quantity in _store_spend(session, year):
        out[supplier][unit] += quantity
    return {k: dict(v) for k, v in out.items()}


def _store_spend(session: Session, year: int) -> list[tuple[str, str, float]]:
    """(supplier, currency, spend) of the year's purchase lines kept in the activity store,
    one file at a time (each checked against its registered SHA-256 as it is read)."""
    files = year_files(session, year)
    if not files:
        return []
    root = required_root(session)
    parts = []
    for file in files:
        lines = read_file(root, file).filter(
            pl.col("activity").str.starts_with(PURCHASE_PREFIX)
            & pl.col("attributes").str.contains('"supplier"', literal=True)
        )
        parts.append(
            lines.select(
                pl.col("attributes").str.json_path_match("$.supplier").alias("supplier"),
                "unit",
                "quantity",
            )
            .filter(pl.col("supplier").is_not_null() & (pl.col("supplier") != ""))
            .group_by("supplier", "unit", maintain_order=True)
            .agg(pl.col("quantity").sum())
        )
    return [(str(s), str(u), float(q)) for s, u, q in pl.concat(parts).iter_rows()]


def _children(session: Session, model: Any, supplier_id: str, order: Any) -> list[Any]:
    stmt = select(model).where(model.supplier_id == supplier_id).order_by(order, model.id)
    return list(session.scalars(stmt))


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
