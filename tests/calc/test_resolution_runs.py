"""Issue #11 finding 6 through `esg calc`: the edition rule is shown with every run, pins
win, a workspace series adds only for its years, and what a run could not honour is said."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from esgledger.api.app import PREFIX
from esgledger.auth.tokens import issue_token
from esgledger.auth.users import add_user
from esgledger.calc.library import FactorLibrary
from esgledger.server import create_app
from tests.conftest import Cli
from tests.factories import write_csv

ENTITIES = [
    ["GRP", "Group", "", "CN", "CN-GD", "group"],
    ["SZ", "Shenzhen plant", "GRP", "CN", "CN-GD", "site"],
]
HEADER = ["entity", "start", "end", "activity", "quantity", "unit"]


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    entities = write_csv(
        tmp_path / "e.csv", ["id", "name", "parent", "country", "subdivision", "kind"], ENTITIES
    )
    cli("import", "entities", str(entities))
    rows = [
        ["SZ", f"{year}-01-01", f"{year}-12-31", "electricity.purchased", 1000, "MWh"]
        for year in (2023, 2024, 2025)
    ]
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", HEADER, rows)))
    return cli


def calc(cli: Cli, year: int, *args: str, expect: int = 0) -> dict:
    result = cli("calc", "--year", str(year), *args, "--json", expect=expect)
    return json.loads(result.stdout) if expect == 0 else {"output": result.output}


def import_acme(cli: Cli, tmp_path: Path) -> None:
    """The workspace's own grid factor for Guangdong, declared for 2024 only."""
    path = write_csv(
        tmp_path / "acme.csv",
        ["kind", "activity", "parameter", "gas", "region", "variant", "value", "unit"],
        [
            [
                "emission_factor",
                "electricity.purchased",
                "ef",
                "CO2",
                "CN-GD",
                "average",
                0.42,
                "t/MWh",
            ]
        ],
    )
    cli(
        "factors", "import", str(path), "--edition", "acme-grid-2024", "--series",
        "user.acme_grid", "--publisher", "Acme Power", "--title", "Supplier grid factor 2024",
        "--citation", "Acme Power contract annex 3", "--data-year", "2024",
    )  # fmt: skip


def test_every_run_shows_the_edition_rule_and_its_cutoff(ws: Cli) -> None:
    out = calc(ws, 2024)
    assert out["edition_rule"] == {
        "rule": "latest_published_as_of",
        "cutoff": "2025-04-30",
        "cutoff_from": "year end + 4 months (ESG_REPORT_CUTOFF_MONTHS)",
        "pins": {},
    }
    assert out["totals"]["scope2_location_tco2e"] == pytest.approx(1000 * 0.3869, rel=1e-12)
    assert any("mee-grid-2023" in n and "no publication date" in n for n in out["resolution_notes"])
    text = ws("calc", "--year", "2024").stdout
    assert "Edition rule: latest edition published by 2025-04-30 (year end + 4 months" in text
    assert "note newer editions left out because they record no publication date" in text
    shown = json.loads(ws("calc", "show", "--run", str(out["run_id"]), "--json").stdout)
    assert shown["edition_rule"] == out["edition_rule"]
    assert shown["resolution_notes"] == out["resolution_notes"]
    explained = json.loads(
        ws(
            "calc", "explain", "--run", str(out["run_id"]), "--metric", "scope2_location", "--json"
        ).stdout
    )
    assert explained["edition_rule"] == out["edition_rule"]
    [row] = explained["rows"]
    assert "latest edition published by 2025-04-30 (mee-grid-2022" in row["rule"]
    assert "[latest_published_as_of]" in row["rule"]
    assert row["flags"] == ["newer_edition_without_publication_date"]
    text = ws("calc", "explain", "--run", str(out["run_id"])).stdout
    assert text.startswith("Edition rule: latest edition published by 2025-04-30")


def test_the_cutoff_setting_and_as_of_choose_the_edition(
    ws: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert list(calc(ws, 2023)["editions"]) == ["gbt2589-2020", "mee-grid-2021"]
    monkeypatch.setenv("ESG_REPORT_CUTOFF_MONTHS", "12")
    later = calc(ws, 2023)
    assert later["edition_rule"]["cutoff"] == "2024-12-31"
    assert "mee-grid-2022" in later["editions"]
    given = calc(ws, 2023, "--as-of", "2024-05-01")
    assert given["edition_rule"]["cutoff_from"] == "--as-of"
    assert "mee-grid-2021" in given["editions"]
    by_year = calc(ws, 2025, "--edition-rule", "matching_data_year")
    assert by_year["edition_rule"]["rule"] == "matching_data_year"
    assert "mee-grid-2023" in by_year["editions"]
    assert (
        "Edition rule: latest edition whose data year is at most the year"
        in ws("calc", "show", "--run", str(by_year["run_id"])).stdout
    )
    refused = calc(
        ws, 2025, "--edition-rule", "matching_data_year", "--as-of", "2026-01-01", expect=2
    )
    assert "--as-of is the cut-off of the latest_published_as_of rule" in refused["output"]
    assert "unknown edition rule" in calc(ws, 2025, "--edition-rule", "newest", expect=2)["output"]


def test_workspace_series_adds_only_for_its_year_and_pins_win(ws: Cli, tmp_path: Path) -> None:
    import_acme(ws, tmp_path)
    assert calc(ws, 2024)["totals"]["scope2_location_tco2e"] == pytest.approx(420.0)
    for year in (2023, 2025):
        assert "acme-grid-2024" not in calc(ws, year)["editions"], year
    pinned = calc(ws, 2024, "--pin", "cn.mee_grid=mee-grid-2021")
    assert pinned["totals"]["scope2_location_tco2e"] == pytest.approx(556.8)
    assert pinned["edition_rule"]["pins"] == {"cn.mee_grid": "mee-grid-2021"}
    assert pinned["resolution_notes"] == []


def test_a_pin_no_result_used_is_said(ws: Cli) -> None:
    out = calc(ws, 2024, "--pin", "owid.ember_grid=owid-ember-grid-2009-cc332")
    assert (
        "--pin owid.ember_grid=owid-ember-grid-2009-cc332 was not used: the edition has no "
        "factor for these activities and sites" in out["resolution_notes"]
    )


def test_an_undated_edition_of_a_dated_series_is_imported_with_a_note(
    ws: Cli, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "grid2024.csv",
        ["kind", "activity", "parameter", "gas", "region", "variant", "value", "unit"],
        [["emission_factor", "electricity.purchased", "ef", "CO2", "CN", "average", 0.5, "t/MWh"]],
    )
    args = [
        "factors", "import", str(path), "--series", "cn.mee_grid", "--publisher", "MEE/NBS",
        "--title", "2024 factors (test edition)", "--citation", "test fixture", "--data-year",
        "2024",
    ]  # fmt: skip
    undated = json.loads(ws(*args, "--edition", "mee-grid-2024", "--json").stdout)
    assert "has no --published date" in undated["note"]
    assert "--pin cn.mee_grid=mee-grid-2024" in undated["note"]
    assert "mee-grid-2024" not in calc(ws, 2025)["editions"]
    assert "mee-grid-2024" in calc(ws, 2025, "--pin", "cn.mee_grid=mee-grid-2024")["editions"]
    dated = ws(*args, "--edition", "mee-grid-2024b", "--published", "2026-02-01").stdout
    assert "note" not in dated
    assert "mee-grid-2024b" in calc(ws, 2025)["editions"]


def test_the_worked_example_of_docs_factor_resolution(cli: Cli, tmp_path: Path) -> None:
    """The numbers docs/factor-resolution.md promises, per plant."""
    entities = write_csv(
        tmp_path / "e.csv",
        ["id", "name", "parent", "country", "subdivision", "kind"],
        [
            ["SZ", "Shenzhen", "", "CN", "CN-GD", "site"],
            ["CD", "Chengdu", "", "CN", "CN-SC", "site"],
        ],
    )
    cli("import", "entities", str(entities))
    rows = [
        [site, f"{year}-01-01", f"{year}-12-31", "electricity.purchased", 1000, "MWh"]
        for site in ("SZ", "CD")
        for year in (2023, 2024, 2025)
    ]
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", HEADER, rows)))

    def scope2(year: int, *args: str) -> dict[str, float]:
        out = calc(cli, year, *args)
        return {e: round(v["scope2_location_tco2e"], 6) for e, v in out["by_entity"].items()}

    assert scope2(2024) == {"SZ": 386.9, "CD": 140.4}
    assert scope2(2023) == {"SZ": 556.8, "CD": 556.8}
    assert scope2(2024, "--edition-rule", "matching_data_year") == {"SZ": 404.2, "CD": 247.2}
    assert scope2(2024, "--pin", "cn.mee_grid=mee-grid-2021") == {"SZ": 556.8, "CD": 556.8}
    import_acme(cli, tmp_path)
    assert scope2(2024) == {"SZ": 420.0, "CD": 140.4}
    assert scope2(2023) == {"SZ": 556.8, "CD": 556.8}
    assert scope2(2024, "--pin", "cn.mee_grid=mee-grid-2021") == {"SZ": 556.8, "CD": 556.8}


def test_the_api_gives_a_run_with_its_rule_and_notes(ws: Cli) -> None:
    out = calc(ws, 2025, "--pin", "owid.ember_grid=owid-ember-grid-2009-cc332")
    with ws.db.write() as session:
        add_user(session, username="aldo", role="auditor", actor="t")
        token, _ = issue_token(session, "aldo", actor="t")
    with TestClient(create_app(ws.db.url)) as client:
        got = client.get(
            f"{PREFIX}/runs/{out['run_id']}", headers={"Authorization": f"Bearer {token}"}
        )
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["edition_rule"] == out["edition_rule"]
    assert body["edition_rule"]["cutoff"] == "2026-04-30"
    assert body["resolution_notes"] == out["resolution_notes"]
    assert len(body["resolution_notes"]) == 2  # the unused pin; mee-grid-2023 left out


def test_factors_list_shows_the_date_the_rule_goes_by(ws: Cli) -> None:
    listed = {e["edition"]: e for e in json.loads(ws("factors", "list", "--json").stdout)}
    assert listed["mee-grid-2021"]["published"] == "2024-04-12"  # signed: no public date known
    assert listed["mee-grid-2022"]["published"] == "2024-12-26"
    assert listed["mee-grid-2023"]["published"] is None


def test_a_run_mixing_editions_of_a_series_says_so(cli: Cli, tmp_path: Path) -> None:
    """A country the newest OWID/Ember edition lacks takes an older one, and the run says so."""
    regions: dict[str, set[str]] = {}
    for r in FactorLibrary.load().records:
        if r.series == "owid.ember_grid":
            regions.setdefault(r.edition, set()).add(r.region)
    country = sorted(regions["owid-ember-grid-2022-cc332"] - regions["owid-ember-grid-2023-cc332"])[
        0
    ]
    entities = write_csv(
        tmp_path / "e.csv",
        ["id", "name", "parent", "country", "subdivision", "kind"],
        [["AB", "Plant abroad", "", country, "", "site"], ["VN1", "Vietnam", "", "VN", "", "site"]],
    )
    cli("import", "entities", str(entities))
    rows = [
        [site, "2024-01-01", "2024-12-31", "electricity.purchased", 1000, "MWh"]
        for site in ("AB", "VN1")
    ]
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", HEADER, rows)))
    out = calc(cli, 2024)
    assert sorted(e for e in out["editions"] if e.startswith("owid")) == [
        "owid-ember-grid-2022-cc332",
        "owid-ember-grid-2023-cc332",
    ]
    assert (
        "an older edition answered for sites the newest edition of its series does not cover "
        "(owid-ember-grid-2022-cc332): the run mixes editions of one series"
    ) in out["resolution_notes"]
