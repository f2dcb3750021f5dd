"""Year-on-year jumps, with and without a boundary change that explains them (class 7).
Units or definitions that changed between years (class 6) are tested on rows built in
memory (``test_rules_plain``)."""

from __future__ import annotations

import pytest

from tests.checks.plain import PlainWorkspace
from tests.checks.workspace import kpi, only


@pytest.fixture
def mem() -> PlainWorkspace:
    """What is typed kept in memory: the rules on plain inputs (:mod:`tests.checks.plain`),
    runs computed in memory by the engine (:mod:`tests.kpi.plain_runs`)."""
    return PlainWorkspace()


def test_a_jump_without_a_boundary_change_is_an_error(mem: PlainWorkspace) -> None:
    mem.kpis(
        kpi("packaging.plastics", "100.00", "t", 2024),
        kpi("packaging.plastics", "140.00", "t"),  # +40 %
        kpi("packaging.cartons", "100.00", "t", 2024),
        kpi("packaging.cartons", "129.00", "t"),  # +29 %: within 30 %
    )
    (f,) = mem.check(2025, claims={})
    assert (f.rule, f.severity, f.metrics, f.entity) == (
        "yoy.jump",
        "error",
        ["packaging.plastics"],
        None,
    )
    assert (f.expected, f.found) == (100.0, 140.0)
    assert f.details["change_pct"] == pytest.approx(40.0)
    assert f.details["boundary_change"] is None
    assert mem.check(2025, claims={}, yoy_threshold=50) == []
    assert len(mem.check(2025, claims={}, yoy_threshold=20)) == 2


def test_a_boundary_change_explains_a_jump_shown_like_for_like(mem: PlainWorkspace) -> None:
    mem.boundary("2024-ghg", 2024, "energy_ghg", "SZ1")
    mem.boundary("2025-ghg", 2025, "energy_ghg", "SZ1", "WH1", note="Wuhan plant acquired")
    mem.activities(
        [
            ("SZ1", 2024, "electricity.purchased", 1000, "MWh"),
            ("SZ1", 2025, "electricity.purchased", 1050, "MWh"),
            ("WH1", 2025, "electricity.purchased", 600, "MWh"),
            ("SZ1", 2024, "certificate.renewable_electricity", 100, "MWh"),
            ("SZ1", 2025, "certificate.renewable_electricity", 300, "MWh"),  # +200 % like-for-like
        ]
    )
    mem.calc(2024)  # the certificates that count are those the runs found qualifying
    mem.calc(2025)
    jumps = {f.metrics[0]: f for f in only(mem.check(2025, claims={}), "yoy.jump")}
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
