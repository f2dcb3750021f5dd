"""A run's Scope 3 lines in ``calculation_scope3_lines``: written with the run, read by
``esg calc explain``.

The run's totals JSON keeps only the category sums, statuses and editions, so the readers of
the totals (KPIs, checks, pages) no longer parse megabytes of lines. Runs stored before the
table existed keep their lines in the totals; :func:`read_lines` falls back to them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.ledger.audit import canonical_json
from esgledger.ledger.models import CalculationRun
from esgledger.ledger.run_totals import stored_totals
from esgledger.ledger.scope3_models import CalculationScope3Line

TABLE = "calculation_scope3_lines"
COLUMNS = ("category", "entity_id", "activity", "method", "used", "tco2e")


def lines_frame(lines: list[dict[str, Any]], run_id: int) -> pl.DataFrame:
    """The lines as rows of the table, in the engine's order."""
    rest = [canonical_json({k: v for k, v in line.items() if k not in COLUMNS}) for line in lines]
    return pl.DataFrame(
        {
            "run_id": [run_id] * len(lines),
            "position": list(range(len(lines))),
            **{c: [line[c] for line in lines] for c in COLUMNS},
            "detail": rest,
        },
        schema={
            "run_id": pl.Int64,
            "position": pl.Int64,
            "category": pl.Utf8,
            "entity_id": pl.Utf8,
            "activity": pl.Utf8,
            "method": pl.Utf8,
            "used": pl.Boolean,
            "tco2e": pl.Float64,
            "detail": pl.Utf8,
        },
    )


def read_lines(
    session: Session, run: CalculationRun, categories: list[str], *, entity: str | None
) -> list[dict[str, Any]]:
    """The run's lines of ``categories`` (of one entity when given), in the engine's order."""
    legacy = _legacy_lines(stored_totals(run.totals))
    if legacy is not None:
        return [
            line
            for line in legacy
            if line["category"] in categories and (entity is None or line["entity_id"] == entity)
        ]
    t = CalculationScope3Line
    stmt = (
        select(t.category, t.entity_id, t.activity, t.method, t.used, t.tco2e, t.detail)
        .where(t.run_id == run.id, t.category.in_(categories))
        .order_by(t.position)
    )
    if entity is not None:
        stmt = stmt.where(t.entity_id == entity)
    return [
        {**dict(zip(COLUMNS, row[:-1], strict=True)), **json.loads(row[-1])}
        for row in session.execute(stmt)
    ]


def entity_tonnes(session: Session, run: CalculationRun) -> dict[str, float]:
    """Each entity's computed Scope 3 at 100 % of the entity, as the run's by-entity
    figures are (a line holds the boundary share in its tonnes); entities without a
    computed line are absent, never 0."""
    categories = [f"cat{n}" for n in range(1, 16)]
    parts: dict[str, list[float]] = {}
    for line in read_lines(session, run, categories, entity=None):
        share = line.get("share") or 0.0
        if line["used"] and share > 0:
            parts.setdefault(line["entity_id"], []).append(line["tco2e"] / share)
    return {entity: math.fsum(tonnes) for entity, tonnes in parts.items()}


def _legacy_lines(totals: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """Lines a run stored inside its totals before the table existed, else None."""
    block = totals.get("scope3") or {}
    lines: list[dict[str, Any]] | None = block.get("lines")
    return lines
