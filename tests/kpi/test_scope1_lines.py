"""Appendix lines of Scope 1 and 2 (issue #15): LPG, each refrigerant's tCO2e and kg leaked with
the GWP set, purchased heat, steam and cooling, PPAs in the renewable share; totals equal the
sum of their lines, and the check rules say so.

``esg calc``, ``esg kpi`` and ``esg check`` end to end on SQLite and PostgreSQL for the
refrigerant lines; the other lines on the engine's run computed in memory
(tests/kpi/plain_runs.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.factories import write_csv
from tests.kpi.plain import Ledger

ENTITIES = [
    ["GRP", "Group", "", "CN", "CN-GD", "group"],
    ["A", "Plant A", "GRP", "CN", "CN-GD", "site"],
    ["C", "Plant C", "GRP", "VN", "", "site"],
]
# what the Scope 2 Quality Criteria are checked on (calc.instruments): a qualifying instrument
QUALITY = {
    "energy_source": "wind",
    "vintage": "2024",
    "market": "CN",
    "tracking_system": "national register",
    "retired": "yes",
    "attributes_conveyed": "yes",
}
HEADER = [
    "entity",
    "start",
    "end",
    "activity",
    "quantity",
    "unit",
    "use",
    *QUALITY,
    "certificate_ids",
]
YEAR = ("2024-01-01", "2024-12-31")
AR5 = {"HFC-134a": 1300, "HFC-32": 677, "HFC-125": 3170}


ROWS: list[list[object]] = [
    ["A", *YEAR, "fuel.diesel", 10, "t", "stationary"],
    ["C", *YEAR, "fuel.lpg", 5, "t", "stationary"],
    ["A", *YEAR, "refrigerant.hfc_134a", 100, "kg", ""],
    ["A", *YEAR, "refrigerant.r410a", 40, "kg", ""],
    ["C", *YEAR, "refrigerant.r410a", 10, "kg", ""],
    ["A", *YEAR, "heat.purchased", 1000, "GJ", ""],
    ["A", *YEAR, "electricity.purchased", 1000, "MWh", ""],
    ["A", *YEAR, "certificate.renewable_electricity", 100, "MWh", "", *QUALITY.values(), "C-1"],
    ["A", *YEAR, "contract.renewable_ppa", 300, "MWh", "", *QUALITY.values(), ""],
    ["A", *YEAR, "electricity.onsite_solar", 100, "MWh", ""],
]


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    header = ["id", "name", "parent", "country", "subdivision", "kind"]
    cli("import", "entities", str(write_csv(tmp_path / "e.csv", header, ENTITIES)))
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", HEADER, map(padded, ROWS))))
    return cli


@pytest.fixture
def mem() -> Ledger:
    """The same rows imported into a ledger in memory (:mod:`tests.kpi.plain`), its runs the
    engine's, computed in memory (:mod:`tests.kpi.plain_runs`)."""
    ledger = Ledger(ENTITIES)
    ledger.import_activities(HEADER, map(padded, ROWS))
    return ledger


def padded(row: list[object]) -> list[object]:
    return row + [""] * (len(HEADER) - len(row))


def figures(ws: Cli) -> dict[str, dict]:
    out = json.loads(ws("kpi", "--year", "2024", "--years", "1", "--json").stdout)
    return by_metric(out)


def by_metric(series: dict[str, Any]) -> dict[str, dict]:
    """The 2024 figures without a breakdown of a series (``esg kpi --json``), by metric."""
    return {k["metric"]: k["figures"]["2024"] for k in series["kpis"] if not k["dims"]}


def test_refrigerant_lines_per_gas_with_the_gwp_set(ws: Cli) -> None:
    run = json.loads(ws("calc", "--year", "2024", "--gwp", "AR5", "--json").stdout)
    got = figures(ws)
    hfc134a = got["ghg.scope1.refrigerant.hfc_134a"]
    assert hfc134a["value"] == pytest.approx(0.1 * AR5["HFC-134a"])  # 100 kg × 1300
    assert "GWP set AR5" in hfc134a["note"]
    # R-410A: 50 kg, half HFC-32 and half HFC-125 by mass
    r410a = 0.05 * 0.5 * AR5["HFC-32"] + 0.05 * 0.5 * AR5["HFC-125"]
    assert got["ghg.scope1.refrigerant.r410a"]["value"] == pytest.approx(r410a)
    assert got["ghg.refrigerant_leaked.r410a"]["value"] == pytest.approx(50.0)
    assert got["ghg.refrigerant_leaked.hfc_134a"]["value"] == pytest.approx(100.0)
    assert got["ghg.scope1.refrigerant.sf6"]["value"] is None  # no SF6 rows: not a zero
    assert got["ghg.scope1.refrigerants"]["value"] == pytest.approx(130 + r410a)
    scope1 = got["ghg.scope1"]["value"]
    assert scope1 == pytest.approx(run["totals"]["scope1_tco2e"])
    lines = got["ghg.scope1.combustion"]["value"] + got["ghg.scope1.refrigerants"]["value"]
    assert lines == pytest.approx(scope1, rel=1e-12)
    assert got["ghg.scope1.lpg"]["value"] > 0
    assert got["energy.fuel.lpg"]["value"] == pytest.approx(5.0)
    findings = json.loads(ws("check", "--year", "2024", "--json").stdout)["findings"]
    rules = {f["rule"] for f in findings}
    assert not rules & {
        "sum.ghg_scope1_sources",
        "sum.ghg_refrigerants",
        "identity.indirect_energy",
    }


def test_heat_and_renewable_lines(mem: Ledger) -> None:
    mem.calc(2024)
    got = by_metric(mem.series(2024, years=1))
    assert got["energy.heat.purchased"]["value"] == pytest.approx(1000 / 3.6)  # GJ → MWh
    assert got["energy.indirect.heat_steam_cooling"]["value"] == pytest.approx(34.12)
    assert got["ghg.scope2_location.heat_steam_cooling"]["value"] == pytest.approx(110.0)
    # indirect energy = (purchased + on-site PV) × 0.1229 kgce/kWh + heat
    assert got["energy.indirect"]["value"] == pytest.approx(1100 * 0.1229 + 34.12)
    assert got["energy.electricity.ppa"]["value"] == pytest.approx(300.0)
    assert got["energy.electricity.renewable"]["value"] == pytest.approx(500.0)
    assert got["energy.electricity.renewable_share"]["value"] == pytest.approx(500 / 1100 * 100)


def test_a_line_is_incomplete_only_when_its_own_rows_are(mem: Ledger) -> None:
    mem.import_activities(HEADER, [padded(["C", *YEAR, "fuel.gasoline", 1, "t", "mobile"])])
    mem.calc(2024)  # --allow-incomplete: the run is stored with its unresolved rows
    got = by_metric(mem.series(2024, years=1))
    assert got["ghg.scope1"]["incomplete"] is True  # gasoline CH4/N2O need the technology
    assert got["ghg.scope1.combustion"]["incomplete"] is True
    assert got["ghg.scope1.refrigerants"]["incomplete"] is False
