"""The demo's planted defects are found, each by the rule meant to find it, and the demo's
checks stage says so.

Read from the session's whole demo (``demo_build``, tests/conftest.py) rather than a build of
its own (#20): the later stages must not hide a planted defect or add an arithmetic error."""

from __future__ import annotations

from typing import Any

import pytest

from esgledger.checks import Finding, run_checks
from esgledger.demo.defects import AGE_BAND_SHORT, PLANTED, carried_over_value
from esgledger.ledger.db import Database
from tests.conftest import DemoBuild


@pytest.fixture(scope="module")
def demo(demo_build: DemoBuild) -> Any:
    """The demo's summary (``esg demo --json``) and each year's findings of ``esg check``."""
    db = Database(str(demo_build.db_path))
    try:
        with db.read() as session:
            findings = {y: run_checks(session, y) for y in (2023, 2024, 2025)}
    finally:
        db.dispose()
    return demo_build.summary, findings


def _one(findings: list[Finding], rule: str, metric: str) -> Finding:
    matching = [f for f in findings if f.rule == rule and metric in f.metrics]
    assert len(matching) == 1, [f.as_dict() for f in matching]
    return matching[0]


def test_every_planted_defect_is_found_by_its_rule(demo: Any) -> None:
    _, findings = demo
    nh3n = _one(findings[2024], "part.nh3n_le_tn", "wastewater.nh3_n")
    assert nh3n.severity == "error" and nh3n.year == 2024
    assert nh3n.found == pytest.approx(nh3n.expected * 1.15, abs=0.01)

    wastewater = _one(findings[2023], "sum.wastewater_volumes", "water.discharge.total")
    assert wastewater.expected - wastewater.found == pytest.approx(1850.0, abs=0.05)

    unit = _one(findings[2025], "unit.changed", "distributor.training")
    assert (unit.year, unit.entity, unit.expected, unit.found) == (
        2023,
        "PSD",
        "person_times",
        "count",
    )
    assert _one(findings[2023], "unit.changed", "distributor.training").key == unit.key

    ages = _one(findings[2025], "sum.breakdown", "workforce.headcount")
    assert ages.dims == {"dimension": "age_band"}
    assert ages.found - ages.expected == AGE_BAND_SHORT
    assert carried_over_value() > 0


def test_no_other_arithmetic_errors_in_the_demo(demo: Any) -> None:
    """Apart from the planted defects, the demo's sums, parts and breakdowns hold."""
    _, findings = demo
    planted = {(p.rule, p.year) for p in PLANTED}
    arithmetic = [
        (f.rule, f.year)
        for year in findings.values()
        for f in year
        if f.rule.split(".")[0] in ("sum", "part", "unit", "duplicate")
    ]
    assert set(arithmetic) == planted


def test_the_checks_stage_reports_the_planted_defects(demo: Any) -> None:
    summary, _ = demo
    stage = next(s for s in summary["stages"] if s["name"] == "checks")
    report = stage["report"]
    key = next(k for k in report if k.startswith("planted defects found"))
    assert key == f"planted defects found {len(PLANTED)} of {len(PLANTED)}"
    for defect in PLANTED:
        assert f"{defect.rule} {defect.year}" in report[key]
    assert report["errors"] >= len(PLANTED)
    assert "part.nh3n_le_tn (E) 1" in report["by rule"]
