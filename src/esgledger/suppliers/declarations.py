"""Listing the suppliers' stored CMRT/EMRT declarations, for the CLI and the API alike."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger.supplier_models import MineralDeclaration, MineralSmelter
from esgledger.suppliers.register import known_ids


def list_declarations(session: Session, *, supplier: str | None = None) -> list[dict[str, Any]]:
    """Declarations oldest first, each with its smelter-row count and stored warnings."""
    if supplier is not None:
        known_ids(session, [supplier])
    counts = (
        select(MineralSmelter.declaration_id, func.count().label("rows"))
        .group_by(MineralSmelter.declaration_id)
        .subquery()
    )
    stmt = (
        select(MineralDeclaration, counts.c.rows)
        .outerjoin(counts, counts.c.declaration_id == MineralDeclaration.id)
        .order_by(MineralDeclaration.id)
    )
    if supplier is not None:
        stmt = stmt.where(MineralDeclaration.supplier_id == supplier)
    return [_as_dict(d, rows or 0) for d, rows in session.execute(stmt)]


def _as_dict(d: MineralDeclaration, smelters: int) -> dict[str, Any]:
    return {
        "id": d.id,
        "supplier": d.supplier_id,
        "template": d.template,
        "version": d.version,
        "source": d.source,
        "company_name": d.company_name,
        "scope": d.scope,
        "effective_on": d.effective_on.isoformat(),
        "in_use": [m for m in d.in_use.split(";") if m],
        "products": d.products,
        "smelter_rows": smelters,
        "warnings": json.loads(d.warnings),
        "batch_id": d.batch_id,
    }
