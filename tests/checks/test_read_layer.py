"""The read layer against plain inputs (#20): the same data typed into a migrated workspace
(the checks read it through :class:`~esgledger.checks.session_reads.SessionReads`) and kept
in memory (:class:`~tests.checks.plain.PlainWorkspace`) give the same findings, field for
field, on both databases; a run stored by ``esg calc`` is, as the read layer hands it over,
the run computed in memory (:mod:`tests.kpi.plain_runs`). This is what lets the rules'
tests run on plain inputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from esgledger.calc.implied import IMPLIED_ACTIVITIES, IMPLIED_QUANTITIES
from esgledger.calc.runs import get_run
from esgledger.checks.findings import Finding
from esgledger.checks.plain_inputs import CheckInputs
from esgledger.checks.session_reads import SessionReads
from esgledger.ledger.db import Database
from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import Workspace, kpi

ACTIVITIES = tuple(sorted(IMPLIED_ACTIVITIES))
QUANTITIES = tuple(sorted(IMPLIED_QUANTITIES))


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

    def boundary(self, code: str, year: int, family: str, *members: str, note: str = "") -> None:
        self.stored.boundary(code, year, family, *members, note=note)
        self.plain.boundary(code, year, family, *members, note=note)

    def calc(self, year: int, **options: Any) -> None:
        self.stored.calc(year, **options)
        self.plain.calc(year, **options)

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


# What a stored run and a run computed in memory must hold alike (the digest aside: it is
# the stored inputs', which the rules never read).
RUN_FIELDS = ("year", "boundary_code", "profile", "options", "editions", "totals", "activity_rows")


def test_stored_runs_are_the_runs_computed_in_memory(both: Both) -> None:
    """Every rule reading runs (incomplete runs, a stale run, implied factors, a changed
    method, like-for-like across a boundary change) finds the same on stored runs."""
    both.boundary("2024-ghg", 2024, "energy_ghg", "SZ1")
    both.boundary("2025-ghg", 2025, "energy_ghg", "SZ1", "WH1", "VN1", note="Acquisitions")
    both.activities(
        [
            ("SZ1", 2024, "electricity.purchased", 1000, "MWh"),
            ("SZ1", 2024, "certificate.renewable_electricity", 100, "MWh"),
            ("SZ1", 2024, "fuel.natural_gas", 10, "10^4 m3"),
            ("SZ1", 2025, "electricity.purchased", 1050, "MWh"),
            ("WH1", 2025, "electricity.purchased", 600, "MWh"),
            ("SZ1", 2025, "certificate.renewable_electricity", 300, "MWh"),
            ("SZ1", 2025, "fuel.natural_gas", 14, "10^4 m3"),
            ("WH1", 2025, "fuel.diesel", 3.2, "t", "stationary"),
            ("SZ1", 2025, "refrigerant.r410a", 40, "kg"),
            ("VN1", 2025, "heat.purchased", 500, "GJ"),  # no grid factor for heat in VN
            ("SZ1", 2025, "waste.hazardous", 12, "t"),  # no Scope 3 factor for it
        ]
    )
    both.calc(2024)
    both.calc(2025, gwp="AR6")
    both.activities([("WH1", 2025, "electricity.onsite_solar", 10, "MWh")])  # after the run
    found = both.same(2025, claims={})
    assert {
        "calc.incomplete",
        "factor.method_changed",
        "identity.indirect_energy",
        "yoy.jump",
    } <= {f.rule for f in found}
    assert any(f.details.get("like_for_like") for f in found if f.rule == "yoy.jump")
    both.same(2024, claims={})
    both.same(2025)
    with both.stored.db.read() as session:
        reads = SessionReads(session, 2025)
        for made in both.plain.runs:
            run = get_run(session, made.run.id)
            assert [getattr(run, c) for c in RUN_FIELDS] == [
                getattr(made.run, c) for c in RUN_FIELDS
            ]
            assert run.unresolved == made.run.unresolved
            if run.unresolved:
                assert reads.unresolved(run.id) == made.unresolved
            issues = reads.issue_rows(run.id, None, 100)
            assert sorted(issues) == sorted((a, r) for a, _, r in made.issues)
            stored_rows = reads.run_rows(run, ACTIVITIES, QUANTITIES)
            plain_rows = CheckInputs(2025, run_frames={run.id: made.rows}).run_rows(
                run, ACTIVITIES, QUANTITIES
            )
            order = ["activity_id", "quantity"]
            assert stored_rows.height > 0
            assert stored_rows.sort(order).equals(plain_rows.sort(order))
