"""Issue #11.5: correcting activity rows — replace by key, void and un-void, with history;
calculations follow, nothing is ever counted twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, entities_file, write_csv

HEADER = [*ACTIVITY_HEADER, "use"]
DIESEL_JAN = ["SZ1", "2024-01-01", "2024-01-31", "fuel.diesel", "10", "t", "stationary"]
POWER_JAN = ["SZ1", "2024-01-01", "2024-01-31", "electricity.purchased", "1000", "MWh", ""]
POWER_VN = ["VN1", "2024-01-01", "2024-01-31", "electricity.purchased", "500000", "kWh", ""]


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Cli:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli(
        "import",
        "activities",
        str(write_csv(tmp_path / "jan.csv", HEADER, [DIESEL_JAN, POWER_JAN])),
    )
    return cli


def totals(cli: Cli) -> dict[str, Any]:
    return json.loads(cli("calc", "--year", "2024", "--json").stdout)["totals"]


def listed(cli: Cli, *args: str) -> list[dict[str, Any]]:
    return json.loads(cli("activities", "list", "--json", *args).stdout)


def audit(cli: Cli, action: str) -> list[dict[str, Any]]:
    return json.loads(cli("audit", "log", "--action", action, "--json").stdout)


def test_issue11_5_a_corrected_row_replaces_the_stored_one_instead_of_doubling(
    ws: Cli, tmp_path: Path
) -> None:
    before = totals(ws)
    fixed = write_csv(tmp_path / "fixed.csv", HEADER, [[*DIESEL_JAN[:4], "12", "t", "stationary"]])

    plain = ws("import", "activities", str(fixed), expect=2)
    assert "fixed.csv, row 2, column 'entity': already imported (batch 2)" in plain.output

    done = ws(
        "import", "activities", str(fixed), "--replace", "--reason", "meter misread", "--json"
    )
    summary = json.loads(done.stdout)
    assert summary["replaced"] == 1 and summary["rows"] == 1

    live = listed(ws)
    assert sorted(r["quantity"] for r in live if r["activity"] == "fuel.diesel") == [12.0]
    history = listed(ws, "--history")
    voided = [r for r in history if r["voided"]]
    assert len(history) == 3 and len(voided) == 1
    assert voided[0]["quantity"] == 10.0
    assert (
        voided[0]["voided"]["reason"] == f"replaced by batch {summary['batch_id']}: meter misread"
    )

    after = totals(ws)
    assert after["scope1_tco2e"] == pytest.approx(before["scope1_tco2e"] * 12 / 10, rel=1e-9)
    assert after["scope2_location_tco2e"] == before["scope2_location_tco2e"]
    event = audit(ws, "import.activities")[0]["payload"]
    assert event["replaced"] == 1 and event["reason"] == "meter misread"
    assert json.loads(ws("audit", "verify", "--json").stdout)["ok"] is True
    # voiding changes no digested content: the data digests still match the tables
    assert json.loads(ws("audit", "verify", "--deep", "--json").stdout)["ok"] is True


def test_replace_needs_a_reason_and_a_reason_needs_replace(ws: Cli, tmp_path: Path) -> None:
    path = str(write_csv(tmp_path / "x.csv", HEADER, [DIESEL_JAN]))
    assert (
        "--replace and --reason go together"
        in ws("import", "activities", path, "--replace", expect=2).output
    )
    assert (
        "--replace and --reason go together"
        in ws("import", "activities", path, "--reason", "x", expect=2).output
    )
    assert (
        "needs a reason"
        in ws("import", "activities", path, "--replace", "--reason", "  ", expect=2).output
    )
    assert len(listed(ws, "--history")) == 2


def test_voiding_a_batch_takes_it_out_of_every_figure_and_unvoid_brings_it_back(
    ws: Cli, tmp_path: Path
) -> None:
    only_sz = totals(ws)
    ws("import", "activities", str(write_csv(tmp_path / "vn.csv", HEADER, [POWER_VN])))
    with_vn = totals(ws)
    assert with_vn["scope2_location_tco2e"] > only_sz["scope2_location_tco2e"]

    out = json.loads(
        ws("activities", "void", "--batch", "3", "--reason", "wrong site", "--json").stdout
    )
    assert out["rows"] == 1 and out["batch"] == 3
    assert totals(ws)["scope2_location_tco2e"] == only_sz["scope2_location_tco2e"]
    assert [r["entity"] for r in listed(ws)] == ["SZ1", "SZ1"]
    assert "voided" in ws("activities", "list", "--history").stdout
    assert "voided" not in ws("activities", "list").stdout
    (gone,) = (r for r in listed(ws, "--history") if r["voided"])
    assert (gone["entity"], gone["voided"]["reason"]) == ("VN1", "wrong site")
    assert audit(ws, "activities.void")[0]["subject"] == "batch:3"

    again = ws("activities", "void", "--batch", "3", "--reason", "twice", expect=2)
    assert "batch 3 has no live activity rows" in again.output

    ws("activities", "unvoid", "--batch", "3", "--reason", "right site after all")
    assert totals(ws)["scope2_location_tco2e"] == with_vn["scope2_location_tco2e"]
    assert not any(r["voided"] for r in listed(ws, "--history"))
    assert audit(ws, "activities.unvoid")[0]["payload"]["reason"] == "right site after all"


def test_void_single_rows_by_id_with_one_line_refusals(ws: Cli) -> None:
    ids = [r["id"] for r in listed(ws)]
    assert (
        "a correction needs a reason"
        in ws("activities", "void", "--id", str(ids[0]), "--reason", " ", expect=2).output
    )
    assert (
        "--id (repeatable) or --batch, not both"
        in ws("activities", "void", "--reason", "x", expect=2).output
    )
    assert (
        f"no activity row {ids[-1] + 99}"
        in ws("activities", "void", "--id", str(ids[-1] + 99), "--reason", "x", expect=2).output
    )
    ws("activities", "void", "--id", str(ids[0]), "--reason", "double entry")
    refused = ws("activities", "void", "--id", str(ids[0]), "--reason", "again", expect=2)
    assert f"activity row {ids[0]} is already voided" in refused.output
    assert [r["id"] for r in listed(ws)] == ids[1:]
    assert audit(ws, "activities.void")[0]["payload"]["ids"] == [ids[0]]


def test_unvoid_is_refused_while_a_live_row_holds_the_key(ws: Cli, tmp_path: Path) -> None:
    fixed = write_csv(tmp_path / "fixed.csv", HEADER, [[*DIESEL_JAN[:4], "12", "t", "stationary"]])
    ws("import", "activities", str(fixed), "--replace", "--reason", "meter misread")
    old = next(r for r in listed(ws, "--history") if r["voided"])
    new = next(r for r in listed(ws) if r["activity"] == "fuel.diesel")
    refused = ws("activities", "unvoid", "--id", str(old["id"]), "--reason", "undo", expect=2)
    assert (
        f"activity row {old['id']} cannot count again: live row {new['id']} (batch 3) holds "
        "its key; void that one first"
    ) in refused.output
    assert len(refused.output.strip().splitlines()) == 1

    ws("activities", "void", "--id", str(new["id"]), "--reason", "correction was wrong")
    ws("activities", "unvoid", "--id", str(old["id"]), "--reason", "undo")
    diesel = [r for r in listed(ws) if r["activity"] == "fuel.diesel"]
    assert [(r["id"], r["quantity"]) for r in diesel] == [(old["id"], 10.0)]
