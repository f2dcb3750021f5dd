"""Product models in the ledger: importing them (all or nothing, written once) and reading
them for the Scope 3 engine."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.errors import ConcurrentChange, ImportRejected, Problem
from esgledger.ingest.checker import ROW
from esgledger.ingest.products import validate_products
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.limits import limit_of, refuse_too_long
from esgledger.ledger.product_models import ProductMaterial, ProductModel, ProductUseMode

Definition = dict[str, Any]  # canonical form of one model: compared with what is stored
CHANGED = N_(
    "product %(code)r is stored with other figures; a changed model needs a new product code "
    "(past runs stay explainable)"
)


@dataclass(frozen=True)
class _Plan:
    added: dict[str, Definition]
    unchanged: int


def import_products(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> dict[str, Any]:
    """Store the file's new product models; a model stored with other figures is refused
    (a changed product is a new model code, so past runs stay explainable)."""
    table = read_table(path, sheet=sheet, kind="products")
    limits = {"product": limit_of(ProductModel.code), "name": limit_of(ProductModel.name)}
    refuse_too_long(table.source, table.frame.with_row_index(ROW, offset=2), limits)
    rows = validate_products(table)
    return validate_then_write(
        db, partial(_plan, rows=rows, table=table), partial(_store, table=table, actor=actor)
    )


def _definitions(rows: pl.DataFrame) -> dict[str, tuple[int, Definition]]:
    """Each product of the file: its first row and its definition."""
    out: dict[str, tuple[int, Definition]] = {}
    for row in rows.iter_rows(named=True):
        _first, model = out.setdefault(
            row["product"],
            (
                row[ROW],
                {
                    "name": row["name"],
                    "lifetime_years": row["lifetime_years"],
                    "lifetime_low_years": row["lifetime_low_years"],
                    "lifetime_high_years": row["lifetime_high_years"],
                    "modes": {},
                    "materials": {},
                },
            ),
        )
        if row["part"] == "use":
            model["modes"][row["item"]] = (row["power_w"], row["hours_per_year"])
        else:
            model["materials"][(row["item"], row["treatment"])] = row["mass_kg"]
    return out


def _plan(session: Session, *, rows: pl.DataFrame, table: Table) -> _Plan:
    stored = load_products(session)
    added: dict[str, Definition] = {}
    problems = []
    unchanged = 0
    for code, (first, model) in _definitions(rows).items():
        if code not in stored:
            added[code] = model
        elif stored[code] == model:
            unchanged += 1
        else:
            values = {"code": code}
            problems.append(Problem(first, "product", CHANGED % values, CHANGED, values))
    if problems:
        raise ImportRejected(table.source, problems)
    return _Plan(added, unchanged)


def _store(session: Session, plan: _Plan, *, table: Table, actor: str) -> dict[str, Any]:
    if not plan.added:
        return {"batch_id": None, "added": [], "unchanged": plan.unchanged}
    taken = set(session.scalars(select(ProductModel.code).where(ProductModel.code.in_(plan.added))))
    if taken:
        raise ConcurrentChange(
            f"{table.source}: refused, another user stored products {', '.join(sorted(taken))} "
            "while the file was being checked; nothing was imported (run the import again)"
        )
    rows = sum(len(m["modes"]) + len(m["materials"]) for m in plan.added.values())
    batch = open_batch(session, kind="products", table=table, rows=rows, actor=actor)
    for code, model in sorted(plan.added.items()):
        session.add(
            ProductModel(
                code=code,
                name=model["name"],
                lifetime_years=model["lifetime_years"],
                lifetime_low_years=model["lifetime_low_years"],
                lifetime_high_years=model["lifetime_high_years"],
                batch_id=batch.id,
            )
        )
    session.flush()
    for code, model in sorted(plan.added.items()):
        for mode, (power, hours) in sorted(model["modes"].items()):
            session.add(
                ProductUseMode(
                    product_code=code,
                    mode=mode,
                    power_w=power,
                    hours_per_year=hours,
                    batch_id=batch.id,
                )
            )
        for (material, treatment), mass in sorted(model["materials"].items()):
            session.add(
                ProductMaterial(
                    product_code=code,
                    material=material,
                    treatment=treatment,
                    mass_kg=mass,
                    batch_id=batch.id,
                )
            )
    session.flush()
    added = sorted(plan.added)
    close_batch(session, batch, actor=actor, summary={"added": added})
    return {"batch_id": batch.id, "added": added, "unchanged": plan.unchanged}


def load_products(session: Session) -> dict[str, Definition]:
    """Every stored model, in the canonical form the import compares and the engine reads."""
    out: dict[str, Definition] = {}
    for m in session.scalars(select(ProductModel).order_by(ProductModel.code)):
        out[m.code] = {
            "name": m.name,
            "lifetime_years": m.lifetime_years,
            "lifetime_low_years": m.lifetime_low_years,
            "lifetime_high_years": m.lifetime_high_years,
            "modes": {},
            "materials": {},
        }
    for u in session.scalars(select(ProductUseMode).order_by(ProductUseMode.id)):
        out[u.product_code]["modes"][u.mode] = (u.power_w, u.hours_per_year)
    for p in session.scalars(select(ProductMaterial).order_by(ProductMaterial.id)):
        out[p.product_code]["materials"][(p.material, p.treatment)] = p.mass_kg
    return out
