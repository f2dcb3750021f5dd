"""Import then list gives back exactly what was imported, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
from pathlib import Path

from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, ENTITIES, ENTITY_HEADER, entities_file, write_csv


def test_entities_round_trip(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    listed = json.loads(cli("entities", "list", "--json").stdout)
    expected = [
        {
            h: (v or None) if h in ("parent", "subdivision") else v
            for h, v in zip(ENTITY_HEADER, row, strict=True)
        }
        for row in ENTITIES
    ]
    assert sorted(listed, key=lambda e: e["id"]) == sorted(expected, key=lambda e: e["id"])


def test_activities_round_trip_exactly(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    rng = random.Random(7)
    rows, expected = [], []
    units = {
        "electricity.purchased": "kWh",
        "fuel.diesel": "t",
        "fuel.natural_gas": "10^4 m3",
        "water.municipal": "m3",
    }
    for i in range(300):
        activity = list(units)[i % 4]
        quantity = round(rng.uniform(0, 1e6), rng.randint(0, 9))
        start = f"{2000 + i // 12}-{i % 12 + 1:02d}-01"
        use = "mobile" if activity == "fuel.diesel" and i % 8 == 1 else ""
        entity = ["SZ1", "WH1", "VN1"][i % 3]
        rows.append(
            [entity, start, start[:8] + "28", activity, repr(quantity), units[activity], use]
        )
        expected.append(
            {
                "entity": entity,
                "start": start,
                "end": start[:8] + "28",
                "activity": activity,
                "quantity": quantity,
                "unit": units[activity],
                "attributes": {"use": use} if use else {},
            }
        )
    path = write_csv(tmp_path / "act.csv", [*ACTIVITY_HEADER, "use"], rows)
    summary = json.loads(cli("import", "activities", str(path), "--json").stdout)
    assert summary["rows"] == 300
    listed = json.loads(cli("activities", "list", "--json").stdout)
    assert [{k: r[k] for k in expected[0]} for r in listed] == expected
    assert {r["batch"] for r in listed} == {summary["batch_id"]}
    only = json.loads(
        cli("activities", "list", "--entity", "VN1", "--year", "2021", "--json").stdout
    )
    assert only and all(r["entity"] == "VN1" and r["start"].startswith("2021") for r in only)


def test_kpis_round_trip_with_dimensions_and_restatement(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    header = ["entity", "year", "metric", "value", "unit", "gender", "qualifier", "note"]
    rows = [
        ["GRP", "2024", "economy.revenue", "123456.789", "RMB million", "", "", "audited"],
        ["GRP", "2024", "workforce.headcount", "1000", "person", "", "", ""],
        ["GRP", "2024", "workforce.headcount", "420", "person", "female", "", ""],
        ["GRP", "2024", "workforce.headcount", "575", "person", "male", "", ""],
        ["GRP", "2024", "workforce.headcount", "5", "person", "unknown", "≈", ""],
        ["GRP", "2023", "economy.revenue", "/", "RMB million", "", "", ""],
    ]
    cli("import", "kpis", str(write_csv(tmp_path / "k.csv", header, rows)))
    listed = json.loads(cli("kpis", "list", "--json").stdout)
    got = {(r["year"], r["metric"], tuple(r["dims"].items())): r for r in listed}
    assert got[(2024, "economy.revenue", ())]["value"] == 123456.789
    assert got[(2024, "economy.revenue", ())]["note"] == "audited"
    assert got[(2024, "workforce.headcount", (("gender", "female"),))]["value"] == 420
    assert (
        got[(2024, "workforce.headcount", (("gender", "unknown"),))]["qualifier"] == "approximately"
    )
    assert got[(2023, "economy.revenue", ())]["status"] == "not_disclosed"
    assert got[(2023, "economy.revenue", ())]["value"] is None

    again = cli("import", "kpis", str(tmp_path / "k.csv"), "--json")
    assert json.loads(again.stdout) == {"batch_id": None, "added": 0, "restated": 0, "unchanged": 6}

    restate = write_csv(
        tmp_path / "r.csv",
        ["entity", "year", "metric", "value", "unit", "restatement_reason"],
        [["GRP", "2024", "economy.revenue", "120000", "RMB million", "audited revenue corrected"]],
    )
    assert json.loads(cli("import", "kpis", str(restate), "--json").stdout)["restated"] == 1
    history = json.loads(
        cli(
            "kpis", "list", "--metric", "economy.revenue", "--year", "2024", "--history", "--json"
        ).stdout
    )
    assert [(h["value"], h["current"]) for h in history] == [(123456.789, False), (120000.0, True)]
    assert history[1]["restates"] == history[0]["id"]
    assert history[1]["restatement_reason"] == "audited revenue corrected"
    current = json.loads(
        cli("kpis", "list", "--metric", "economy.revenue", "--year", "2024", "--json").stdout
    )
    assert [c["value"] for c in current] == [120000.0]


def test_reimporting_entities_updates_and_audits(db: Database, cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    rows = [list(r) for r in ENTITIES]
    rows[2][1] = "Shenzhen plant No. 1"
    rows.append(["SZ2", "Shenzhen plant 2", "HQ", "CN", "CN-GD", "site"])
    path = write_csv(tmp_path / "e2.csv", ENTITY_HEADER, rows)
    summary = json.loads(cli("import", "entities", str(path), "--json").stdout)
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (1, 1, 4)
    log = json.loads(
        cli("audit", "log", "--action", "import.entities", "--limit", "1", "--json").stdout
    )
    assert log[0]["payload"]["updated"] == [
        {"id": "SZ1", "changes": {"name": ["Shenzhen plant", "Shenzhen plant No. 1"]}}
    ]
