"""KPI figures: roll-up, restatements, derived formulas, calculated sums, year-on-year bases.

The rules run on plain inputs built in the test (tests/kpi/plain.py, #20): the values the
workspace of these tests stored (tests/kpi/test_plain_inputs_read.py holds a workspace's
tables to the plain ones), runs computed in memory by the engine (tests/kpi/plain_runs.py;
tests/checks/test_read_layer.py holds stored runs to them). ``esg calc`` then ``esg kpi
--json`` end to end, on SQLite and PostgreSQL: tests/kpi/test_scope1_lines.py. The
workspace fixture here serves the cache and incremental tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.factories import write_csv
from tests.kpi.plain import Ledger, kpi

ENTITIES = [
    ["GRP", "Group", "", "CN", "CN-GD", "group"],
    ["A", "Plant A", "GRP", "CN", "CN-GD", "site"],
    ["B", "Plant B", "GRP", "CN", "CN-GD", "site"],
    ["C", "Plant C", "GRP", "VN", "", "site"],
]
KPI_HEADER = [
    "entity",
    "year",
    "metric",
    "value",
    "unit",
    "gender",
    "qualifier",
    "restatement_reason",
]
ACT_HEADER = ["entity", "start", "end", "activity", "quantity", "unit"]


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    return entities(cli, tmp_path)


def entities(ws: Cli, tmp_path: Path) -> Cli:
    """``ws`` with :data:`ENTITIES` imported."""
    header = ["id", "name", "parent", "country", "subdivision", "kind"]
    ws("import", "entities", str(write_csv(tmp_path / "e.csv", header, ENTITIES)))
    return ws


def kpis(ws: Cli, tmp_path: Path, rows: list[list[object]], name: str = "k.csv") -> None:
    ws("import", "kpis", str(write_csv(tmp_path / name, KPI_HEADER, rows)))


def activities(ws: Cli, tmp_path: Path, rows: list[list[object]], name: str = "a.csv") -> None:
    ws("import", "activities", str(write_csv(tmp_path / name, ACT_HEADER, rows)))


def table(ws: Cli, year: int, years: int = 1) -> dict:
    out = json.loads(ws("kpi", "--year", str(year), "--years", str(years), "--json").stdout)
    return {(k["metric"], tuple(sorted(k["dims"].items()))): k for k in out["kpis"]} | {"_raw": out}


def fig(t: dict, metric: str, year: int, dims: tuple = ()) -> dict:
    return t[(metric, dims)]["figures"][str(year)]


def plain_table(ledger: Ledger, year: int, years: int = 1) -> dict:
    """:func:`table` of the plain ledger: its series, as ``esg kpi --json`` prints it."""
    out = ledger.series(year, years=years)
    return {(k["metric"], tuple(sorted(k["dims"].items()))): k for k in out["kpis"]} | {"_raw": out}


def test_the_group_value_wins_in_the_metrics_unit() -> None:
    ledger = Ledger(ENTITIES)
    ledger.kpis(kpi("economy.revenue", 1.5, "RMB billion", 2024, decimals=1))
    revenue = fig(plain_table(ledger, 2024), "economy.revenue", 2024)
    assert (revenue["value"], revenue["unit"], revenue["source"]) == (
        1500.0,
        "RMB million",
        "reported",
    )


def test_members_add_up_otherwise_with_their_breakdowns_and_never_a_percentage() -> None:
    ledger = Ledger(ENTITIES)
    ledger.kpis(
        kpi("economy.revenue", 1.5, "RMB billion", 2024, decimals=1),
        kpi("workforce.headcount", 100, "person", 2024, entity_id="A"),
        kpi("workforce.headcount", 50, "person", 2024, entity_id="B", qualifier="approximately"),
        kpi("workforce.headcount", 60, "person", 2024, entity_id="A", gender="female"),
        kpi("ohs.safety_education_share", 99, "%", 2024, entity_id="A"),
    )
    t = plain_table(ledger, 2024)
    headcount = fig(t, "workforce.headcount", 2024)
    assert (headcount["value"], headcount["entities"], headcount["qualifier"]) == (
        150.0,
        2,
        "approximately",
    )
    assert fig(t, "workforce.headcount", 2024, (("gender", "female"),))["value"] == 60.0
    share = fig(t, "ohs.safety_education_share", 2024)
    assert share["value"] is None and share["source"] == "missing"  # a percentage is never summed


def test_derived_figures_record_their_inputs() -> None:
    ledger = Ledger(ENTITIES)
    ledger.kpis(
        kpi("economy.revenue", 2000, "RMB million", 2024),
        kpi("workforce.headcount", 400, "person", 2024),
        kpi("innovation.rd_personnel", 100, "person", 2024),
        kpi("training.hours.online", 3000, "hour", 2024),
        kpi("training.hours.classroom", 1000, "hour", 2024),
    )
    t = plain_table(ledger, 2024)
    share = fig(t, "innovation.rd_personnel_share", 2024)
    assert share["value"] == pytest.approx(25.0)
    assert share["source"] == "derived"
    assert [(i["metric"], i["value"]) for i in share["inputs"]] == [
        ("innovation.rd_personnel", 100.0),
        ("workforce.headcount", 400.0),
    ]
    assert fig(t, "training.hours_per_employee", 2024)["value"] == pytest.approx(10.0)


def test_a_derived_figure_without_an_input_names_the_missing_input() -> None:
    ledger = Ledger(ENTITIES)
    ledger.kpis(kpi("economy.revenue", 2000, "RMB million", 2024))
    missing = fig(plain_table(ledger, 2024), "energy.intensity", 2024)
    assert missing["value"] is None and "missing input: energy.total" in missing["note"]


def test_activity_sums_convert_to_the_metrics_unit() -> None:
    ledger = Ledger(ENTITIES)
    for entity, activity, quantity, unit in (
        ("A", "water.municipal", 1000, "m3"),
        ("B", "water.municipal", 500, "t"),
        ("C", "water.groundwater", 250, "t"),
        ("A", "water.discharge", 800, "m3"),
        ("A", "electricity.purchased", 1000, "MWh"),
    ):
        ledger.activity(entity, 2024, activity, quantity, unit)
    t = plain_table(ledger, 2024)
    assert fig(t, "water.withdrawal.municipal", 2024)["value"] == 1500.0  # 1 m3 of water = 1 t
    assert fig(t, "water.withdrawal.total", 2024)["value"] == 1750.0
    assert fig(t, "water.consumption", 2024)["value"] == 950.0
    assert fig(t, "energy.electricity.purchased", 2024)["value"] == 1000.0
    scope2 = fig(t, "ghg.scope2_market", 2024)
    assert scope2["value"] is None and "run `esg calc --year 2024`" in scope2["note"]


def test_calculated_figures_from_activity_data_and_runs() -> None:
    """A run's figures: the engine's run computed in memory (:mod:`tests.kpi.plain_runs`)."""
    ledger = Ledger(ENTITIES)
    ledger.import_activities(
        ACT_HEADER,
        [
            ["A", "2024-01-01", "2024-12-31", "water.municipal", 1000, "m3"],
            ["B", "2024-01-01", "2024-12-31", "water.municipal", 500, "t"],
            ["C", "2024-01-01", "2024-12-31", "water.groundwater", 250, "t"],
            ["A", "2024-01-01", "2024-12-31", "water.discharge", 800, "m3"],
            ["A", "2024-01-01", "2024-12-31", "electricity.purchased", 1000, "MWh"],
        ],
    )
    t = plain_table(ledger, 2024)
    assert fig(t, "water.withdrawal.municipal", 2024)["value"] == 1500.0  # 1 m3 of water = 1 t
    assert fig(t, "water.withdrawal.total", 2024)["value"] == 1750.0
    assert fig(t, "water.consumption", 2024)["value"] == 950.0
    assert fig(t, "energy.electricity.purchased", 2024)["value"] == 1000.0
    scope2 = fig(t, "ghg.scope2_market", 2024)
    assert scope2["value"] is None and "run `esg calc --year 2024`" in scope2["note"]
    run = ledger.calc(2024)
    totals = json.loads(run.totals)["totals"]
    t = plain_table(ledger, 2024)
    scope2 = fig(t, "ghg.scope2_market", 2024)
    assert scope2["value"] == totals["scope2_market_tco2e"]
    assert scope2["inputs"] == [{"run": run.id, "figure": "scope2_market_tco2e"}]
    assert fig(t, "ghg.total", 2024)["value"] == pytest.approx(
        totals["scope1_tco2e"] + totals["scope2_market_tco2e"]
    )


def test_restated_prior_year_is_marked() -> None:
    ledger = Ledger(ENTITIES)
    ledger.kpis(
        kpi("economy.revenue", 1000, "RMB million", 2023),
        kpi("economy.revenue", 1200, "RMB million", 2024),
    )
    ledger.kpis(
        kpi("economy.revenue", 1010, "RMB million", 2023, restatement_reason="audited figure")
    )
    t = plain_table(ledger, 2024, years=2)
    row = t[("economy.revenue", ())]
    assert row["values"] == {"2023": 1010.0, "2024": 1200.0}
    assert row["figures"]["2023"]["restated"] is True
    assert row["figures"]["2023"]["restatement"]["previous"] == 1000.0
    assert row["figures"]["2023"]["restatement"]["reason"] == "audited figure"
    assert row["change_pct"] == pytest.approx((1200 - 1010) / 1010 * 100)


def test_like_for_like_change_across_a_boundary_change() -> None:
    ledger = Ledger(ENTITIES)
    for year, a, b in ((2023, 1000, 0), (2024, 1100, 900)):
        ledger.activity("A", year, "electricity.purchased", a, "MWh")
        if b:
            ledger.activity("B", year, "electricity.purchased", b, "MWh")
    ledger.boundary("2023-ghg", 2023, "energy_ghg", "A")
    ledger.boundary("2024-ghg", 2024, "energy_ghg", "A", "B")  # plant B acquired
    t = plain_table(ledger, 2024, years=2)
    row = t[("energy.electricity.purchased", ())]
    assert row["values"] == {"2023": 1000.0, "2024": 2000.0}
    assert row["change_pct"] == pytest.approx(100.0)
    assert row["like_for_like"] == {
        "previous": 1000.0,
        "current": 1100.0,
        "change_pct": pytest.approx(10.0),
    }
    changes = t["_raw"]["boundaries"]["energy_ghg"]["changes"]
    assert changes == [{"from": 2023, "to": 2024, "added": ["B"], "removed": []}]


def test_every_catalog_metric_has_a_row() -> None:
    from esgledger.catalog import metrics

    out = Ledger(ENTITIES).series(2024, years=1)
    assert {k["metric"] for k in out["kpis"]} == set(metrics())
    assert all(
        k["figures"]["2024"]["source"] in ("reported", "calculated", "derived", "missing")
        for k in out["kpis"]
    )


def test_an_entitys_values_of_a_metric_are_read_once_a_year() -> None:
    # like-for-like of a derived metric asks again for its inputs' values, which every
    # other figure of the series asked for already (#18: 10,000 entities a metric)
    from esgledger.catalog import metrics
    from esgledger.kpi.series import EntityFigures

    ledger = Ledger(ENTITIES)
    ledger.activity("A", 2024, "electricity.purchased", 1000, "MWh")
    metric = metrics()["energy.electricity.purchased"]
    figures = EntityFigures(None, 2024, ledger.scopes(2024), {}, ledger.sums[2024])
    first = figures.values(metric)
    assert first is not None and first[0] == {"A": 1000.0}
    assert figures.values(metric) is first
