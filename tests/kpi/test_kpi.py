"""KPI figures: roll-up, restatements, derived formulas, calculated sums, year-on-year bases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.factories import write_csv

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
    cli(
        "import",
        "entities",
        str(
            write_csv(
                tmp_path / "e.csv",
                ["id", "name", "parent", "country", "subdivision", "kind"],
                ENTITIES,
            )
        ),
    )
    return cli


def kpis(ws: Cli, tmp_path: Path, rows: list[list[object]], name: str = "k.csv") -> None:
    ws("import", "kpis", str(write_csv(tmp_path / name, KPI_HEADER, rows)))


def activities(ws: Cli, tmp_path: Path, rows: list[list[object]], name: str = "a.csv") -> None:
    ws("import", "activities", str(write_csv(tmp_path / name, ACT_HEADER, rows)))


def table(ws: Cli, year: int, years: int = 1) -> dict:
    out = json.loads(ws("kpi", "--year", str(year), "--years", str(years), "--json").stdout)
    return {(k["metric"], tuple(sorted(k["dims"].items()))): k for k in out["kpis"]} | {"_raw": out}


def fig(t: dict, metric: str, year: int, dims: tuple = ()) -> dict:
    return t[(metric, dims)]["figures"][str(year)]


def test_group_value_wins_and_members_add_up_otherwise(ws: Cli, tmp_path: Path) -> None:
    kpis(
        ws,
        tmp_path,
        [
            ["GRP", 2024, "economy.revenue", "1.5", "RMB billion", "", "", ""],
            ["A", 2024, "workforce.headcount", 100, "person", "", "", ""],
            ["B", 2024, "workforce.headcount", 50, "person", "", "≈", ""],
            ["A", 2024, "workforce.headcount", 60, "person", "female", "", ""],
            ["A", 2024, "ohs.safety_education_share", 99, "%", "", "", ""],
        ],
    )
    t = table(ws, 2024)
    revenue = fig(t, "economy.revenue", 2024)
    assert (revenue["value"], revenue["unit"], revenue["source"]) == (
        1500.0,
        "RMB million",
        "reported",
    )
    headcount = fig(t, "workforce.headcount", 2024)
    assert (headcount["value"], headcount["entities"], headcount["qualifier"]) == (
        150.0,
        2,
        "approximately",
    )
    assert fig(t, "workforce.headcount", 2024, (("gender", "female"),))["value"] == 60.0
    share = fig(t, "ohs.safety_education_share", 2024)
    assert share["value"] is None and share["source"] == "missing"  # a percentage is never summed


def test_derived_figures_record_their_inputs(ws: Cli, tmp_path: Path) -> None:
    kpis(
        ws,
        tmp_path,
        [
            ["GRP", 2024, "economy.revenue", 2000, "RMB million", "", "", ""],
            ["GRP", 2024, "workforce.headcount", 400, "person", "", "", ""],
            ["GRP", 2024, "innovation.rd_personnel", 100, "person", "", "", ""],
            ["GRP", 2024, "training.hours.online", 3000, "hour", "", "", ""],
            ["GRP", 2024, "training.hours.classroom", 1000, "hour", "", "", ""],
        ],
    )
    t = table(ws, 2024)
    share = fig(t, "innovation.rd_personnel_share", 2024)
    assert share["value"] == pytest.approx(25.0)
    assert share["source"] == "derived"
    assert [(i["metric"], i["value"]) for i in share["inputs"]] == [
        ("innovation.rd_personnel", 100.0),
        ("workforce.headcount", 400.0),
    ]
    assert fig(t, "training.hours_per_employee", 2024)["value"] == pytest.approx(10.0)
    missing = fig(t, "energy.intensity", 2024)
    assert missing["value"] is None and "missing input: energy.total" in missing["note"]


def test_calculated_figures_from_activity_data_and_runs(ws: Cli, tmp_path: Path) -> None:
    activities(
        ws,
        tmp_path,
        [
            ["A", "2024-01-01", "2024-12-31", "water.municipal", 1000, "m3"],
            ["B", "2024-01-01", "2024-12-31", "water.municipal", 500, "t"],
            ["C", "2024-01-01", "2024-12-31", "water.groundwater", 250, "t"],
            ["A", "2024-01-01", "2024-12-31", "water.discharge", 800, "m3"],
            ["A", "2024-01-01", "2024-12-31", "electricity.purchased", 1000, "MWh"],
        ],
    )
    t = table(ws, 2024)
    assert fig(t, "water.withdrawal.municipal", 2024)["value"] == 1500.0  # 1 m3 of water = 1 t
    assert fig(t, "water.withdrawal.total", 2024)["value"] == 1750.0
    assert fig(t, "water.consumption", 2024)["value"] == 950.0
    assert fig(t, "energy.electricity.purchased", 2024)["value"] == 1000.0
    scope2 = fig(t, "ghg.scope2_market", 2024)
    assert scope2["value"] is None and "run `esg calc --year 2024`" in scope2["note"]
    run = json.loads(ws("calc", "--year", "2024", "--json").stdout)
    t = table(ws, 2024)
    scope2 = fig(t, "ghg.scope2_market", 2024)
    assert scope2["value"] == run["totals"]["scope2_market_tco2e"]
    assert scope2["inputs"] == [{"run": run["run_id"], "figure": "scope2_market_tco2e"}]
    assert fig(t, "ghg.total", 2024)["value"] == pytest.approx(
        run["totals"]["scope1_tco2e"] + run["totals"]["scope2_market_tco2e"]
    )


def test_restated_prior_year_is_marked(ws: Cli, tmp_path: Path) -> None:
    kpis(
        ws,
        tmp_path,
        [
            ["GRP", 2023, "economy.revenue", 1000, "RMB million", "", "", ""],
            ["GRP", 2024, "economy.revenue", 1200, "RMB million", "", "", ""],
        ],
    )
    kpis(
        ws,
        tmp_path,
        [["GRP", 2023, "economy.revenue", 1010, "RMB million", "", "", "audited figure"]],
        "r.csv",
    )
    t = table(ws, 2024, years=2)
    row = t[("economy.revenue", ())]
    assert row["values"] == {"2023": 1010.0, "2024": 1200.0}
    assert row["figures"]["2023"]["restated"] is True
    assert row["figures"]["2023"]["restatement"]["previous"] == 1000.0
    assert row["figures"]["2023"]["restatement"]["reason"] == "audited figure"
    assert row["change_pct"] == pytest.approx((1200 - 1010) / 1010 * 100)


def test_like_for_like_change_across_a_boundary_change(ws: Cli, tmp_path: Path) -> None:
    rows = []
    for year, a, b in ((2023, 1000, 0), (2024, 1100, 900)):
        rows.append(["A", f"{year}-01-01", f"{year}-12-31", "electricity.purchased", a, "MWh"])
        if b:
            rows.append(["B", f"{year}-01-01", f"{year}-12-31", "electricity.purchased", b, "MWh"])
    activities(ws, tmp_path, rows)
    ws(
        "boundary",
        "create",
        "2023-ghg",
        "--year",
        "2023",
        "--family",
        "energy_ghg",
        "--include",
        "A",
    )
    ws(
        "boundary",
        "create",
        "2024-ghg",
        "--year",
        "2024",
        "--family",
        "energy_ghg",
        "--include",
        "A",
        "--include",
        "B",
        "--change-note",
        "plant B acquired",
    )
    t = table(ws, 2024, years=2)
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


def test_every_catalog_metric_has_a_row(ws: Cli) -> None:
    from esgledger.catalog import metrics

    out = json.loads(ws("kpi", "--year", "2024", "--years", "1", "--json").stdout)
    assert {k["metric"] for k in out["kpis"]} == set(metrics())
    assert all(
        k["figures"]["2024"]["source"] in ("reported", "calculated", "derived", "missing")
        for k in out["kpis"]
    )


def test_an_entitys_values_of_a_metric_are_read_once_a_year(ws: Cli, tmp_path: Path) -> None:
    # like-for-like of a derived metric asks again for its inputs' values, which every
    # other figure of the series asked for already (#18: 10,000 entities a metric)
    from esgledger.catalog import metrics
    from esgledger.kpi.scope import Scopes
    from esgledger.kpi.series import EntityFigures

    rows = [["A", "2024-01-01", "2024-12-31", "electricity.purchased", 1000, "MWh"]]
    activities(ws, tmp_path, rows)
    metric = metrics()["energy.electricity.purchased"]
    with ws.db.read() as session:
        figures = EntityFigures(session, 2024, Scopes(session, 2024), {})
        first = figures.values(metric)
        assert first is not None and first[0] == {"A": 1000.0}
        assert figures.values(metric) is first
