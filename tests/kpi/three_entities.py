"""A small KPI workspace some KPI read tests share (#20): three entities' plastics in the
given years, and optionally one headcount row and purchased electricity; the modules differ
in the years and in which of these they read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from esgledger.ledger.db import Database
from tests.checks.workspace import ROOT, Workspace

ENTITIES = (ROOT, "SZ1", "WH1")


def three_entities(
    db: Database,
    folder: Path,
    years: Sequence[int],
    entities: Sequence[str] = ENTITIES,
    *,
    headcount_at: str | None = None,
    electricity: Sequence[str] = (),
) -> Workspace:
    """``entities``' plastics (0.5, 1.0, 1.5 t) in each of ``years``; a female headcount of
    40 at ``headcount_at`` in the last year; 100, 101 … MWh of purchased electricity at each
    of ``electricity`` in each year."""
    ws = Workspace(db, folder)
    plastics = [
        {"entity": e, "metric": "packaging.plastics", "value": 0.5 * (i + 1), "unit": "t",
         "year": y}
        for y in years
        for i, e in enumerate(entities)
    ]  # fmt: skip
    if headcount_at is not None:
        plastics.append(
            {"entity": headcount_at, "metric": "workforce.headcount", "value": 40,
             "unit": "person", "gender": "female", "year": years[-1]}
        )  # fmt: skip
    ws.kpis(*plastics)
    if electricity:
        ws.activities(
            [
                (e, y, "electricity.purchased", 100.0 + i, "MWh")
                for y in years
                for i, e in enumerate(electricity)
            ]
        )
    return ws
