"""The KPI computation on plain inputs (#20): what the read layer hands it, given in memory.

A year's boundaries given as values, reported values given as rows or grouped as the
database groups them, calculation runs given or not: each gives the figures the commands
give, and nothing here opens a database.
"""

from __future__ import annotations

import json
from dataclasses import replace

from esgledger.kpi.given_scopes import GivenScopes, table_families
from esgledger.kpi.member_groups import GroupedValues
from esgledger.kpi.scope import Scope
from esgledger.kpi.values import table_of
from tests.kpi.plain import Ledger, figure_of, kpi
from tests.kpi.test_grouped_rollup import _grouped

# What a run stores for 1,000 MWh of purchased electricity at SZ1 and WH1 (no direct
# emissions rows): its totals, by entity and by activity type.
TOTALS = json.dumps(
    {
        "totals": {"scope1_tco2e": 0.0, "scope2_location_tco2e": 570.3},
        "by_entity": {
            "SZ1": {"scope2_location_tco2e": 400.0},
            "WH1": {"scope2_location_tco2e": 170.3},
        },
        "by_activity": {"electricity.purchased": {"scope2_location_tco2e": 570.3}},
    }
)


def test_a_family_without_a_given_boundary_has_every_entity_at_full_share() -> None:
    env = Scope("2025-env", {"SZ1": 1.0, "WH1": 0.5})
    scopes = GivenScopes(2025, {"GRP": None, "SZ1": "GRP", "WH1": "GRP"}, {"environment": env})
    assert scopes.for_family("environment") is env
    assert scopes.for_family("social") == Scope(None, {"GRP": 1.0, "SZ1": 1.0, "WH1": 1.0})
    assert scopes.root == "GRP"
    assert {"energy_ghg", "environment", "social"} <= set(table_families())


def test_values_grouped_as_the_database_groups_them_give_the_table_of_rows() -> None:
    ledger = Ledger()
    ledger.kpis(
        kpi("packaging.plastics", 0.1, "t", entity_id="SZ1", decimals=1),
        kpi("packaging.plastics", 200.0, "kg", entity_id="WH1", qualifier="over"),
        kpi("workforce.headcount", 12, "person", entity_id="SZ1", gender="female"),
        kpi("economy.revenue", 1080, "RMB million"),
    )
    ledger.kpis(kpi("packaging.plastics", 0.3, "t", entity_id="SZ1", restatement_reason="meter"))
    by_rows = ledger.inputs(2025)
    members = [r for r in by_rows.rows if r.entity_id != "GRP"]
    groups: dict[tuple[int, str, str], list] = {}  # type: ignore[type-arg]
    for r in members:
        groups.setdefault((r.year, r.metric_id, r.dims), []).append(r)
    root = {(r.year, r.metric_id, r.dims): r for r in by_rows.rows if r.entity_id == "GRP"}
    grouped = GroupedValues(root, {k: _grouped(v) for k, v in groups.items()}, {})
    from_rows, from_groups = table_of(by_rows), table_of(replace(by_rows, grouped=grouped))
    assert list(from_groups) == list(from_rows)
    assert {k: f.as_dict() for k, f in from_groups.items()} == {
        k: f.as_dict() for k, f in from_rows.items()
    }
    assert from_rows[("packaging.plastics", "")].value == 0.5


def test_a_run_figure_without_a_run_says_to_run_one() -> None:
    scope1 = figure_of(Ledger().series(2025, years=1), "ghg.scope1", 2025)
    assert (scope1["value"], scope1["status"]) == (None, "missing")
    assert scope1["note"] == "no calculation run for 2025; run `esg calc --year 2025`"


def test_a_run_total_no_row_gives_is_not_available_not_zero() -> None:
    ledger = Ledger()
    ledger.run(2025, TOTALS, ident=4)
    series = ledger.series(2025, years=1)
    scope1 = figure_of(series, "ghg.scope1", 2025)  # electricity only: no direct emissions rows
    assert scope1["value"] is None and scope1["status"] == "missing"
    assert "not available" in scope1["note"] and "no activity rows" in scope1["note"]
    scope2 = figure_of(series, "ghg.scope2_location", 2025)
    assert scope2["value"] == 570.3 and scope2["inputs"] == [
        {"run": 4, "figure": "scope2_location_tco2e"}
    ]


def test_like_for_like_reads_the_given_runs_by_entity() -> None:
    ledger = Ledger()
    ledger.boundary("2025-ghg", 2025, "energy_ghg", "SZ1", "WH1")
    ledger.boundary("2024-ghg", 2024, "energy_ghg", "SZ1")
    ledger.run(2025, TOTALS, code="2025-ghg", ident=2)
    ledger.run(2024, TOTALS.replace("170.3", "0.0"), code="2024-ghg", ident=1)
    series = ledger.series(2025, years=2)
    (row,) = [k for k in series["kpis"] if k["metric"] == "ghg.scope2_location" and not k["dims"]]
    assert row["like_for_like"] == {"previous": 400.0, "current": 400.0, "change_pct": 0.0}
