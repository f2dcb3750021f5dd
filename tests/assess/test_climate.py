"""Climate items and the carbon-price exposure of Scope 1 + 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from esgledger.assess.carbon import exposure_rows, path_for, price_at
from esgledger.assess.climate import published
from esgledger.catalog.climate import PricePoint, example_inventory, shipped_price_points
from esgledger.cli.main import app
from esgledger.errors import InvalidInput
from esgledger.ledger.assess_models import ClimateRating
from esgledger.ledger.audit import canonical_json
from esgledger.ledger.models import CalculationRun
from tests.assess.conftest import as_json
from tests.conftest import Cli
from tests.factories import write_csv


def point(
    year: int,
    price: float,
    *,
    region: str = "CN",
    status: str = "unverified",
    countries: tuple[str, ...] = (),
    currency: str = "USD",
) -> PricePoint:
    return PricePoint("NZE", region, countries, year, price, currency, 2022, "doc", status)


def test_price_path_interpolates_inside_and_stops_outside() -> None:
    path = [point(2030, 90), point(2040, 160), point(2050, 200)]
    assert price_at(path, 2030) == 90
    assert price_at(path, 2035) == pytest.approx(125)
    assert price_at(path, 2047) == pytest.approx(160 + 40 * 0.7)
    assert price_at(path, 2025) is None and price_at(path, 2060) is None


def test_path_prefers_workspace_points_then_the_own_region() -> None:
    group = [
        point(y, p, region="emde-major", countries=("CN", "IN"))
        for y, p in ((2030, 90), (2040, 160))
    ]
    own = [point(2030, 95)]
    user = [point(2040, 150, status="user")]
    path = path_for([*user, *own, *group], "CN")
    assert [(p.year, p.price) for p in path] == [(2030, 95), (2040, 150)]
    assert path_for(group, "BR") == []
    with pytest.raises(InvalidInput, match="mixes currencies"):
        path_for([point(2025, 700, status="user", currency="CNY"), *group], "CN")


def test_exposure_arithmetic() -> None:
    paths = {"NZE": [point(2030, 90), point(2050, 200)], "STEPS": [point(2030, 28)]}
    rows = {
        (r["scenario"], r["horizon"]): r
        for r in exposure_rows(1000.0, paths, (2025, 2030, 2040), free_share=0.25, rate=7.1)
    }
    # 1000 t × (1 − 0.25) × 90 USD × 7.1
    assert rows[("NZE", 2030)]["exposure"] == pytest.approx(1000 * 0.75 * 90 * 7.1)
    assert rows[("NZE", 2040)]["price"] == pytest.approx(145)
    assert rows[("NZE", 2025)]["exposure"] is None
    assert rows[("STEPS", 2040)]["status"].startswith("no price")
    assert rows[("STEPS", 2030)]["priced_tco2e"] == 750
    plain = exposure_rows(1000.0, paths, (2030,))
    assert plain[0]["exposure"] == pytest.approx(90_000)
    with pytest.raises(InvalidInput):
        exposure_rows(1000.0, paths, free_share=1.5)


def test_shipped_prices_cite_document_and_status() -> None:
    points = shipped_price_points()
    assert points and all(p.source and p.status == "unverified" and p.price_year for p in points)
    nze_cn = path_for([p for p in points if p.scenario == "NZE"], "CN")
    assert [p.year for p in nze_cn] == [2030, 2040, 2050]


def test_published_rating_is_explicit_or_the_worst_scenario() -> None:
    cells = [
        ClimateRating(horizon=2030, scenario="NZE", level="High"),
        ClimateRating(horizon=2030, scenario="STEPS", level="Medium"),
        ClimateRating(horizon=2050, scenario="NZE", level="Low"),
        ClimateRating(horizon=2050, scenario="", level="Medium"),
    ]
    out = published(cells)
    assert out[2030] == {
        "level": "High",
        "derived": "max over scenarios",
        "scenarios": {"NZE": "High", "STEPS": "Medium"},
    }
    assert out[2050]["level"] == "Medium" and out[2050]["derived"] is None


def _run(cli: Cli, year: int, scope1: float, s2_market: float, s2_location: float) -> None:
    totals = {
        "scope1_tco2e": scope1,
        "scope2_market_tco2e": s2_market,
        "scope2_location_tco2e": s2_location,
    }
    with cli.db.write() as session:
        session.add(
            CalculationRun(
                actor="test",
                year=year,
                boundary_code="",
                profile="default",
                options="{}",
                editions="{}",
                input_digest="0" * 64,
                activity_rows=0,
                unresolved=0,
                totals=canonical_json({"totals": totals, "by_entity": {}, "by_gas": {}}),
            )
        )


def test_exposure_command_uses_the_latest_run(cli: Cli) -> None:
    assert (
        "no calculation run for 2025"
        in cli("climate", "exposure", "--year", "2025", expect=2).stderr
    )
    _run(cli, 2025, 1.0, 1.0, 1.0)
    _run(cli, 2025, 1000.0, 3000.0, 5000.0)
    out = as_json(cli, "climate", "exposure", "--year", "2025")
    assert out["emissions"]["total_tco2e"] == 4000 and out["scope2_basis"] == "market"
    rows = {(r["scenario"], r["horizon"]): r for r in out["rows"]}
    assert rows[("NZE", 2030)]["exposure"] == pytest.approx(4000 * 90)  # emde-major path, CN
    assert rows[("NZE", 2025)]["exposure"] is None
    loc = as_json(
        cli,
        "climate",
        "exposure",
        "--year",
        "2025",
        "--scope2",
        "location",
        "--free-share",
        "0.5",
        "--rate",
        "7",
        "--currency",
        "CNY",
        "--scenario",
        "NZE",
    )
    assert {r["scenario"] for r in loc["rows"]} == {"NZE"}
    assert loc["rows"][1]["exposure"] == pytest.approx(6000 * 0.5 * 90 * 7)
    assert loc["currency"] == "CNY"
    half = cli("climate", "exposure", "--year", "2025", "--rate", "7", expect=2)
    assert "both --rate and --currency" in half.stderr

    cli(
        "climate",
        "prices",
        "set",
        "--scenario",
        "NZE",
        "--region",
        "CN",
        "--year",
        "2025",
        "--price",
        "50",
        "--currency",
        "usd",
        "--price-year",
        "2022",
        "--source",
        "our view",
    )
    again = {
        (r["scenario"], r["horizon"]): r
        for r in as_json(cli, "climate", "exposure", "--year", "2025")["rows"]
    }
    assert again[("NZE", 2025)]["exposure"] == pytest.approx(4000 * 50)
    assert "user" in again[("NZE", 2025)]["point_status"]
    listed = [p for p in as_json(cli, "climate", "prices") if p["origin"] == "workspace"]
    assert listed[0]["currency"] == "USD" and listed[0]["source"] == "our view"
    cli("climate", "prices", "remove", "--scenario", "NZE", "--region", "CN", "--year", "2025")
    assert as_json(cli, "climate", "exposure", "--year", "2025")["rows"][0]["exposure"] is None


def test_inventory_import_ratings_and_refusals(cli: Cli, tmp_path: Path) -> None:
    rows = example_inventory()
    header = list(rows[0])
    path = write_csv(tmp_path / "inv.csv", header, [[r[h] for h in header] for r in rows])
    assert as_json(cli, "climate", "import", str(path)) == {"items": 20, "ratings": 60}
    items = {i["code"]: i for i in as_json(cli, "climate", "list")}
    assert len(items) == 20 and items["R8"]["scenario_family"] == "IPCC_SSP"
    assert items["O6"]["category"] == "products_services"
    assert items["R4"]["ratings"]["2050"]["level"] == "High"
    cli("climate", "rate", "R4", "--horizon", "2030", "--level", "high", "--scenario", "NZE")
    wrong = cli(
        "climate",
        "rate",
        "R4",
        "--horizon",
        "2030",
        "--level",
        "High",
        "--scenario",
        "SSP5-8.5",
        expect=2,
    )
    assert "IPCC_SSP scenario" in wrong.stderr
    assert (
        "Low, Medium or High"
        in cli("climate", "rate", "R4", "--horizon", "2030", "--level", "Severe", expect=2).stderr
    )
    again = cli("climate", "import", str(path), expect=2)
    assert "row 2, column 'id': climate item 'R1' already exists" in again.stderr
    bad = write_csv(
        tmp_path / "bad.csv",
        ["id", "kind", "tcfd_category", "name", "rating_2030"],
        [
            ["X1", "risk", "Markets", "x", "High"],
            ["X2", "risk", "Weather", "y", "Big"],
            ["X3", "opportunity", "acute", "z", ""],
        ],
    )
    out = cli("climate", "import", str(bad), expect=2)
    assert "row 2, column 'tcfd_category': 'Markets' is not a category for risks" in out.stderr
    assert "row 3, column 'tcfd_category': unknown TCFD category 'Weather'" in out.stderr
    assert "row 3, column 'rating_2030'" in out.stderr
    assert "row 4, column 'tcfd_category': 'acute' is not a category for opportunities" in (
        out.stderr
    )
    assert len(as_json(cli, "climate", "list")) == 20
    scen = json.loads(CliRunner().invoke(app, ["climate", "scenarios", "--json"]).stdout)
    assert {s["code"] for s in scen["scenarios"]} == {
        "SSP1-2.6",
        "SSP3-7.0",
        "SSP5-8.5",
        "NZE",
        "STEPS",
    }
    assert len(scen["categories"]) == 11
