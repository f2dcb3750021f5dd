"""#17 the OHS shares are formulas over their register counts, never stored shares: the
share of hazards corrected is hazards corrected / hazards identified, the share of high-risk
workers certified is certified special-operation workers / workers in such posts, each
computed by hand here; with a count missing or a denominator of 0 the share is "not
available" with its reason, never 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from esgledger.catalog.metrics import metric
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi
from tests.registers.ohs_safety_files import load
from tests.registers.test_ohs_safety_register import figures

SHARES = {
    "ohs.hazards_corrected_share": "ohs.hazards_corrected / ohs.hazards_identified",
    "ohs.high_risk_certified_share": "ohs.special_operators_certified / ohs.special_operators",
}


def test_the_shares_are_catalog_formulas_over_the_counts() -> None:
    for metric_id, formula in SHARES.items():
        assert (metric(metric_id).kind, metric(metric_id).formula) == ("derived", formula)


def test_the_shares_match_hand_computed_values(db: Database, tmp_path: Path) -> None:
    load(db, tmp_path)
    got = figures(db)
    # 2025: 2 of 4 hazards corrected by year end (H1, H4); 2 of 4 workers certified
    assert got["ohs.hazards_corrected_share"]["value"] == pytest.approx(50.0)
    assert got["ohs.high_risk_certified_share"]["value"] == pytest.approx(50.0)
    before = figures(db, 2024)
    assert before["ohs.hazards_corrected_share"]["value"] == pytest.approx(0.0)  # H5: 2025
    assert before["ohs.high_risk_certified_share"]["value"] == pytest.approx(100.0)


def test_without_counts_the_shares_are_not_available_never_zero(
    db: Database, tmp_path: Path
) -> None:
    load(db, tmp_path)
    share = figures(db, 2023)["ohs.hazards_corrected_share"]  # no hazard identified in 2023
    assert share["value"] is None and "missing input" in share["note"], share
    for metric_id in SHARES:
        assert figures(db, 2018)[metric_id]["value"] is None  # before any row


def test_a_zero_denominator_is_not_available_with_its_reason(db: Database, tmp_path: Path) -> None:
    ws = Workspace(db, tmp_path)  # counts typed as 0 (no register rows): 0 / 0
    ws.kpis(kpi("ohs.hazards_identified", 0, "count"), kpi("ohs.hazards_corrected", 0, "count"),
            kpi("ohs.special_operators", 0, "person"),
            kpi("ohs.special_operators_certified", 0, "person"))  # fmt: skip
    got = figures(db)
    assert got["ohs.hazards_identified"]["value"] == 0
    for metric_id in SHARES:
        share = got[metric_id]
        assert share["value"] is None and share["status"] == "missing", share
        assert "zero" in share["note"] or "0" in share["note"], share
