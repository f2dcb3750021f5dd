"""Restated prior years, preliminary values, labels without values, bounds that skip exact
checks and scope-qualified figures mixed with group totals (classes 11-14 and 17)."""

from __future__ import annotations

from tests.checks.plain import ROOT, check, restate, typed
from tests.checks.workspace import only, rules


def test_restated_prior_year_preliminary_and_missing_values() -> None:
    revenue_2024 = typed(
        "economy.revenue", "1000.00", "RMB million", 2024, source="Annual report 2024"
    )
    stored = [
        revenue_2024,
        typed("economy.revenue", "1080.00", "RMB million"),
        typed("economy.cash_dividend", "0.05", "RMB billion", preliminary=True),
        typed("air.vocs", "/", "t"),
    ]
    restated_rows = restate(revenue_2024, "1012.50", "Business combination under common control")
    stored = [*stored[1:], *restated_rows]
    findings = check(2025, stored, claims={})
    assert rules(findings) == ["missing.value", "preliminary.value", "restated.prior_year"]
    (restated,) = only(findings, "restated.prior_year")
    assert (restated.severity, restated.metrics, restated.entity, restated.year) == (
        "warning",
        ["economy.revenue"],
        ROOT,
        2024,
    )
    assert (restated.expected, restated.found) == (1000.0, 1012.5)
    assert "Business combination" in restated.explanation
    (preliminary,) = only(findings, "preliminary.value")
    assert (preliminary.metrics, preliminary.found) == (["economy.cash_dividend"], 0.05)
    (missing,) = only(findings, "missing.value")
    assert (missing.metrics, missing.found, missing.entity) == (["air.vocs"], "/", ROOT)
    # In its own year a restatement is a correction, not a prior-year restatement.
    assert only(check(2024, stored, claims={}), "restated.prior_year") == []


def test_bounds_and_approximations_skip_exact_checks() -> None:
    nh3_n = typed("wastewater.nh3_n", "12.00", "t", qualifier="approximately")
    stored = [
        typed("wastewater.tn", "10.00", "t"),
        nh3_n,
        typed("governance.board.size", 9, "person"),
        typed("governance.board.women", 10, "person", qualifier="at_most"),
    ]
    assert check(2025, stored, claims={}) == []
    stored = [*stored, *restate(nh3_n, "12.00", "Exact lab value")]
    stored.remove(nh3_n)
    assert rules(check(2025, stored, claims={})) == ["part.nh3n_le_tn"]


def test_a_scope_qualified_figure_mixed_with_group_totals() -> None:
    stored = [
        typed("workforce.headcount", 1000, "person"),
        typed("workforce.new_hires", 120, "person", note="Overseas subsidiaries only"),
        typed("innovation.rd_personnel", 1200, "person", note="China employees only"),
    ]
    findings = check(2025, stored, claims={})
    # R&D staff above the workforce is not an error here: the two cover different scopes.
    assert rules(findings) == ["scope.qualified"] * 3
    combined = {f.dims["combined_in"]: f for f in findings}
    assert set(combined) == {
        "workforce.new_hire_rate",
        "innovation.rd_personnel_share",
        "part.rd_personnel_le_workforce",
    }
    rate = combined["workforce.new_hire_rate"]
    assert rate.severity == "warning"
    assert rate.metrics == ["workforce.headcount", "workforce.new_hires"]
    assert "Overseas subsidiaries only" in rate.explanation
