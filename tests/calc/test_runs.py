"""Stored runs: bit-for-bit determinism, immutability under new editions, and explain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.factories import write_csv

ENTITIES = [
    ["GRP", "Group", "", "CN", "CN-GD", "group"],
    ["SZ", "Shenzhen plant", "GRP", "CN", "CN-GD", "site"],
    ["VN1", "Vietnam plant", "GRP", "VN", "", "legal_entity"],
]
# a certificate's attributes that meet the Scope 2 Quality Criteria (calc.instruments)
CERTIFICATE = {
    "energy_source": "wind",
    "vintage": "2024",
    "market": "CN",
    "tracking_system": "national register",
    "certificate_ids": "GEC-1",
    "retired": "yes",
}
HEADER = ["entity", "start", "end", "activity", "quantity", "unit", "use", *CERTIFICATE]
NO_CERTIFICATE = [""] * len(CERTIFICATE)


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
    rows = []
    for month in range(1, 13):
        start, end = f"2024-{month:02d}-01", f"2024-{month:02d}-28"
        rows += [
            ["SZ", start, end, "electricity.purchased", 1000.1 * month + 0.37, "MWh", ""],
            ["SZ", start, end, "fuel.diesel", 1.3 + month / 7, "t", "mobile"],
            ["VN1", start, end, "electricity.purchased", 333_333.3 + month, "kWh", ""],
            ["VN1", start, end, "fuel.lpg", 0.77 * month, "t", "stationary"],
        ]
    rows = [[*r, *NO_CERTIFICATE] for r in rows]
    certificate = ["SZ", "2024-01-01", "2024-12-31", "certificate.renewable_electricity"]
    rows.append([*certificate, 20_000, "MWh", "", *CERTIFICATE.values()])
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", HEADER, rows)))
    cli(
        "boundary",
        "create",
        "2024-ghg",
        "--year",
        "2024",
        "--family",
        "energy_ghg",
        "--include",
        "SZ",
        "--include",
        "VN1",
    )
    return cli


def calc(cli: Cli, *args: str) -> dict:
    return json.loads(cli("calc", "--year", "2024", *args, "--json").stdout)


def test_same_inputs_same_numbers_bit_for_bit(ws: Cli) -> None:
    first, second = calc(ws), calc(ws)
    assert first["run_id"] != second["run_id"]
    assert first["input_digest"] == second["input_digest"]
    for key in ("totals", "by_entity", "by_gas"):
        assert json.dumps(first[key]) == json.dumps(second[key])  # repr of floats: bit for bit


def test_totals_equal_the_sum_of_entities_and_of_explained_rows(ws: Cli) -> None:
    out = calc(ws)
    assert out["boundary"] == "2024-ghg"
    total = out["totals"]["scope2_location_tco2e"]
    assert total == pytest.approx(
        sum(e["scope2_location_tco2e"] for e in out["by_entity"].values()), rel=1e-12
    )
    explained = json.loads(
        ws(
            "calc",
            "explain",
            "--run",
            str(out["run_id"]),
            "--metric",
            "ghg.scope2_location",
            "--json",
        ).stdout
    )
    figure = explained["figures"]["scope2_location"]
    assert figure["value"] == pytest.approx(total, rel=1e-12)
    assert figure["rows"] == 24


def test_explain_walks_to_rows_factors_and_rules(ws: Cli) -> None:
    out = calc(ws)
    explained = json.loads(
        ws(
            "calc",
            "explain",
            "--run",
            str(out["run_id"]),
            "--entity",
            "SZ",
            "--metric",
            "scope1",
            "--json",
        ).stdout
    )
    co2 = [r for r in explained["rows"] if r["gas"] == "CO2"]
    assert len(co2) == 12
    row = co2[0]
    assert [f["id"] for f in row["factors"]] == [
        "ndrc-electronics-2015:fuel.diesel:ncv",
        "ndrc-electronics-2015:fuel.diesel:carbon_content:CO2",
        "ndrc-electronics-2015:fuel.diesel:oxidation:CO2",
    ]
    assert row["factors"][0]["value"] == 42.652 and row["factors"][0]["citation"]
    assert "series cn.ndrc_electronics; country CN" in row["rule"] and "44/12" in row["rule"]
    ncv, cc, ox = (f["value"] for f in row["factors"])
    assert row["value"] == pytest.approx(
        row["quantity"] * row["multiplier"] * ncv * cc * ox * 44 / 12, rel=1e-12
    )
    market = json.loads(
        ws(
            "calc",
            "explain",
            "--run",
            str(out["run_id"]),
            "--entity",
            "SZ",
            "--metric",
            "scope2_market",
            "--json",
        ).stdout
    )
    bought = sum(1000.1 * m + 0.37 for m in range(1, 13))
    assert all(
        r["covered_by_instruments"] == pytest.approx(20_000 / bought, rel=1e-12)
        for r in market["rows"]
    )
    assert all(
        r["value"] == pytest.approx(r["quantity"] * r["coefficient"] * (1 - 20_000 / bought))
        for r in market["rows"]
    )
    assert all("residual_mix_unavailable_grid_average_used" in r["flags"] for r in market["rows"])
    text = ws(
        "calc", "explain", "--run", str(out["run_id"]), "--entity", "SZ", "--metric", "scope1"
    ).stdout
    assert "ndrc-electronics-2015:fuel.diesel:ncv = 42.652 GJ/t" in text


def test_new_edition_never_changes_a_stored_run(ws: Cli, tmp_path: Path) -> None:
    before = calc(ws)
    stored = json.loads(ws("calc", "show", "--run", str(before["run_id"]), "--json").stdout)
    factors = write_csv(
        tmp_path / "grid2024.csv",
        ["kind", "activity", "parameter", "gas", "region", "variant", "value", "unit"],
        [
            [
                "emission_factor",
                "electricity.purchased",
                "ef",
                "CO2",
                "CN",
                "average",
                "0.5",
                "tCO2/MWh",
            ],
            [
                "emission_factor",
                "electricity.purchased",
                "ef",
                "CO2",
                "CN-GRID-SOUTH",
                "average",
                "0.4",
                "tCO2/MWh",
            ],
        ],
    )
    ws(
        "factors",
        "import",
        str(factors),
        "--edition",
        "mee-grid-2024",
        "--series",
        "cn.mee_grid",
        "--publisher",
        "MEE/NBS",
        "--title",
        "2024 electricity CO2 emission factors (test edition)",
        "--citation",
        "test fixture",
        "--data-year",
        "2024",
        "--published",  # the default rule takes the latest edition published by the cut-off
        "2025-03-31",
    )
    after = calc(ws)
    assert "mee-grid-2024" in after["editions"]
    assert after["totals"]["scope2_location_tco2e"] != before["totals"]["scope2_location_tco2e"]
    assert after["input_digest"] != before["input_digest"]
    again = json.loads(ws("calc", "show", "--run", str(before["run_id"]), "--json").stdout)
    assert again == stored
    pinned = calc(ws, "--pin", "cn.mee_grid=mee-grid-2022")  # what the first run chose
    assert pinned["totals"] == before["totals"]


def test_user_factor_import_is_validated(ws: Cli, tmp_path: Path) -> None:
    header = ["kind", "activity", "parameter", "gas", "region", "value", "unit"]
    bad = write_csv(
        tmp_path / "bad.csv",
        header,
        [
            ["emission_factor", "electricity.purchased", "ef", "CO2", "XX", "0.5", "tCO2/MWh"],
            ["emission_factor", "electricity.purchased", "ef", "CO2", "CN", "-1", "tCO2/MWh"],
            ["emission_factor", "electricity.purchased", "ef", "CO2", "CN", "0.5", "tCO2/t"],
            ["energy_coefficient", "fuel.diesel", "ef", "", "CN", "1", "kgce/kg"],
        ],
    )
    args = [
        "--edition",
        "x-1",
        "--series",
        "user.x",
        "--publisher",
        "p",
        "--title",
        "t",
        "--citation",
        "c",
    ]
    result = ws("factors", "import", str(bad), *args, expect=2)
    assert "bad.csv, row 2, column 'region': 'XX' is not a country" in result.output
    assert "bad.csv, row 3, column 'value': value is negative" in result.output
    assert (
        "bad.csv, row 4, column 'unit': unit 'tCO2/t' does not give t or tCO2e for electricity.purchased ef"
        in result.output
    )
    assert (
        "bad.csv, row 5, column 'parameter': parameter 'ef' does not belong to kind 'energy_coefficient'"
        in result.output
    )
    listed = json.loads(ws("factors", "list", "--json").stdout)
    assert "x-1" not in {e["edition"] for e in listed}
    missing = ws(
        "factors",
        "import",
        str(bad),
        "--edition",
        "x-2",
        "--series",
        "s",
        "--publisher",
        "p",
        "--title",
        "t",
        "--citation",
        " ",
        expect=2,
    )
    assert "--citation is required: every factor carries its source" in missing.output
    assert (
        "already exists"
        in ws("factors", "import", str(bad), *args[:1], "gbt2589-2020", *args[2:], expect=2).output
    )


def test_factor_list_and_show(ws: Cli) -> None:
    listed = {e["edition"]: e for e in json.loads(ws("factors", "list", "--json").stdout)}
    assert listed["mee-grid-2022"]["series"] == "cn.mee_grid"
    shown = json.loads(ws("factors", "show", "mee-grid-2022", "--json").stdout)
    national = [f for f in shown["factors"] if f["region"] == "CN" and f["variant"] == "average"]
    assert [f["value"] for f in national] == [0.5366]
    assert "MEE" in shown["publisher"]


def test_results_per_activity_type_add_up_to_the_totals(ws: Cli) -> None:
    out = calc(ws)
    per_activity = out["by_activity"]
    assert set(per_activity) >= {"electricity.purchased", "fuel.diesel", "fuel.lpg"}
    for key in (
        "energy_direct_tce",
        "scope1_tco2e",
        "scope2_location_tco2e",
        "scope2_market_tco2e",
    ):
        assert sum(a.get(key, 0.0) for a in per_activity.values()) == pytest.approx(
            out["totals"][key], rel=1e-12
        )
