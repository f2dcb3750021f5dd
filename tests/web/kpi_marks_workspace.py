"""Issue #14's workspace: a partial year, an incomplete run and a not-available metric.

Both years' environment boundary is SZ1 and WH1. In 2024 both report water and hazardous
waste; in 2025 only SZ1 reports water (WH1 has no data: the year is partial) and nobody
reports hazardous waste (not available, never zero). The 2025 calculation leaves Vietnamese
purchased heat unresolved, so Scope 2 of 2025 is incomplete. Municipal water of 2024 is also
reported at group level, so it has a reported and a recomputed figure side by side.
"""

from __future__ import annotations

from pathlib import Path

from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi

MIDDLE, LAST = 2024, 2025


def build(db: Database, tmp_path: Path) -> Workspace:
    ws = Workspace(db, tmp_path)
    for year in (MIDDLE, LAST):
        ws.boundary(f"{year}-env", year, "environment", "SZ1", "WH1")
    ws.activities(
        [
            ("SZ1", MIDDLE, "water.municipal", 5000, "t"),
            ("WH1", MIDDLE, "water.municipal", 3000, "t"),
            ("SZ1", MIDDLE, "waste.hazardous", 12.5, "t"),
            ("SZ1", MIDDLE, "electricity.purchased", 900, "MWh"),
            ("SZ1", LAST, "water.municipal", 2500, "t"),
            ("SZ1", LAST, "electricity.purchased", 1000, "MWh"),
            ("VN1", LAST, "heat.purchased", 500, "GJ"),  # no heat factor for VN: unresolved
        ]
    )
    ws.kpis(kpi("water.withdrawal.municipal", "8000.4", "t", year=MIDDLE))
    ws.calc(MIDDLE)
    ws.calc(LAST)
    return ws
