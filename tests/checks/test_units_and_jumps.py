"""Units or definitions that changed between years (class 6) and year-on-year jumps, with
and without a boundary change that explains them (class 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from tests.checks.workspace import ROOT, Workspace, kpi, only, rules


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_a_unit_of_another_dimension_in_one_year(ws: Workspace) -> None:
    ws.kpis(
        kpi("distributor.training", 30_000, "person_times", 2024),
        kpi("distributor.training", 31_000, "person_times", 2025),
    )
    assert ws.check(2025, claims={}) == []
    # Carried over from the prior edition, which counted distributors: the import refuses
    # such a unit, so it is stored as carried-over data are.
    with ws.db.write() as session:
        session.add(
            KpiValue(
                entity_id=ROOT,
                year=2023,
                metric_id="distributor.training",
                value=1250,
                unit="count",
                source="2023 report",
            )
        )
    findings = ws.check(2025, claims={})
    assert rules(findings) == ["unit.changed"]
    (f,) = findings
    assert (f.severity, f.metrics, f.entity, f.year) == (
        "error",
        ["distributor.training"],
        ROOT,
        2023,
    )
    assert (f.expected, f.found) == ("person_times", "count")
    assert "in person_times in 2024, 2025 and in the catalog" in f.explanation
    assert only(ws.check(2024, claims={}), "unit.changed")[0].key == f.key  # same finding


def test_a_definition_change_noted_on_a_value(ws: Workspace) -> None:
    ws.kpis(
        kpi("training.trainees", 900, "person", 2024),
        kpi("training.trainees", 950, "person", note="Definition changed: contractors count"),
    )
    (f,) = ws.check(2025, claims={})
    assert (f.rule, f.severity, f.metrics, f.year) == (
        "definition.changed",
        "error",
        ["training.trainees"],
        2025,
    )


def test_a_jump_without_a_boundary_change_is_an_error(ws: Workspace) -> None:
    ws.kpis(
        kpi("packaging.plastics", "100.00", "t", 2024),
        kpi("packaging.plastics", "140.00", "t"),  # +40 %
        kpi("packaging.cartons", "100.00", "t", 2024),
        kpi("packaging.cartons", "129.00", "t"),  # +29 %: within 30 %
    )
    (f,) = ws.check(2025, claims={})
    assert (f.rule, f.severity, f.metrics, f.entity) == (
        "yoy.jump",
        "error",
        ["packaging.plastics"],
        None,
    )
    assert (f.expected, f.found) == (100.0, 140.0)
    assert f.details["change_pct"] == pytest.approx(40.0)
    assert f.details["boundary_change"] is None
    assert ws.check(2025, claims={}, yoy_threshold=50) == []
    assert len(ws.check(2025, claims={}, yoy_threshold=20)) == 2


def test_a_boundary_change_explains_a_jump_shown_like_for_like(ws: Workspace) -> None:
    ws.boundary("2024-ghg", 2024, "energy_ghg", "SZ1")
    ws.boundary("2025-ghg", 2025, "energy_ghg", "SZ1", "WH1", note="Wuhan plant acquired")
    ws.activities(
        [
            ("SZ1", 2024, "electricity.purchased", 1000, "MWh"),
            ("SZ1", 2025, "electricity.purchased", 1050, "MWh"),
            ("WH1", 2025, "electricity.purchased", 600, "MWh"),
            ("SZ1", 2024, "certificate.renewable_electricity", 100, "MWh"),
            ("SZ1", 2025, "certificate.renewable_electricity", 300, "MWh"),  # +200 % like-for-like
        ]
    )
    jumps = {f.metrics[0]: f for f in only(ws.check(2025, claims={}), "yoy.jump")}
    purchased = jumps["energy.electricity.purchased"]
    assert purchased.severity == "warning"
    assert purchased.details["change_pct"] == pytest.approx(65.0)
    lfl = purchased.details["like_for_like"]
    assert (lfl["previous"], lfl["current"]) == (1000.0, 1050.0)
    assert lfl["change_pct"] == pytest.approx(5.0)
    assert purchased.details["boundary_change"]["added"] == ["WH1"]
    assert "changed from 1 to 2 members; like-for-like" in purchased.explanation
    assert "+5.0 %" in purchased.explanation
    certificates = jumps["energy.electricity.green_certificates"]
    assert certificates.severity == "error"  # the boundary change does not explain it
    assert certificates.details["like_for_like"]["change_pct"] == pytest.approx(200.0)
