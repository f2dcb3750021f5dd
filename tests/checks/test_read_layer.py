"""The read layer against plain inputs (#20): the same data typed into a migrated workspace
(the checks read it through :class:`~esgledger.checks.session_reads.SessionReads`) and kept
in memory (:class:`~tests.checks.plain.PlainWorkspace`) give the same findings, field for
field, on both databases. This is what lets the rules' tests run on plain inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from esgledger.checks.findings import Finding
from esgledger.ledger.db import Database
from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import Workspace, kpi


def fields(findings: list[Finding]) -> list[tuple[Any, ...]]:
    return [
        (f.key, f.rule, f.severity, f.metrics, f.entity, f.year, f.expected, f.found,
         f.tolerance, f.unit, f.explanation, f.fix, f.dims, f.details)
        for f in findings
    ]  # fmt: skip


class Both:
    """Each step typed into the workspace and into memory alike."""

    def __init__(self, db: Database, tmp: Path):
        self.stored, self.plain = Workspace(db, tmp), PlainWorkspace()

    def kpis(self, *rows: dict[str, Any]) -> None:
        self.stored.kpis(*rows)
        self.plain.kpis(*rows)

    def activities(self, rows: list[tuple[object, ...]]) -> None:
        self.stored.activities(rows)
        self.plain.activities(rows)

    def boundary(self, code: str, year: int, family: str, *members: str) -> None:
        self.stored.boundary(code, year, family, *members)
        self.plain.boundary(code, year, family, *members)

    def same(self, year: int, **options: Any) -> list[Finding]:
        found = self.stored.check(year, **options)
        assert fields(self.plain.check(year, **options)) == fields(found)
        return found


@pytest.fixture
def both(db: Database, tmp_path: Path) -> Both:
    return Both(db, tmp_path)


def test_stored_and_plain_inputs_give_the_same_findings(both: Both) -> None:
    both.boundary("2025-env", 2025, "environment", "HQ", "WH1")
    both.activities(
        [
            ("SZ1", 2024, "water.discharge", 150.01, "t"),
            ("SZ1", 2025, "water.discharge", 150.02, "t"),
            ("WH1", 2025, "fuel.diesel", 120.2, "t"),
            ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
        ]
    )
    both.kpis(
        kpi("economy.revenue", "1000.00", "RMB million", 2024, source="Annual report 2024"),
        kpi("economy.revenue", "1080.00", "RMB million"),
        kpi("economy.cash_dividend", "0.05", "RMB billion", preliminary="yes"),
        kpi("air.vocs", "/", "t"),
        kpi("wastewater.industrial", "100.00", "t"),
        kpi("wastewater.domestic", "50.00", "t"),
        kpi("wastewater.cod", "1.50", "t", entity="SZ1"),
        kpi("energy.fuel.diesel", "120.0", "t"),
        kpi("energy.indirect", "300.00", "tce"),
        kpi("workforce.headcount", 100, "person", 2024),
        kpi("workforce.headcount", 130, "person"),
        kpi("workforce.headcount", 60, "person", entity="SZ1"),
        kpi("workforce.headcount", 40, "person", entity="WH1"),
        kpi("workforce.headcount", 70, "person", gender="male"),
        kpi("workforce.new_hires", 12, "person", note="Overseas subsidiaries only"),
    )
    both.kpis(kpi("economy.revenue", "1012.50", "RMB million", 2024, restatement_reason="Merger"))
    found = both.same(2025, claims={})
    assert len({f.rule for f in found}) >= 8  # the comparison covers many rules, not none
    both.same(2025)  # the catalog's content index
    both.same(2024, claims={})
    both.same(2025, claims={}, yoy_threshold=10)
