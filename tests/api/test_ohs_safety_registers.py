"""#17 OHS safety registers over HTTP: hazards, drills and special-operation posts filtered
and paged, behind ``kpis.read``."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import Api, problem
from tests.registers.ohs_safety_files import load


def test_hazards_drills_and_operators_for_kpi_readers(api: Api, tmp_path: Path) -> None:
    load(api.db, tmp_path, entities=False)
    hazards = api.ok(
        "aldo", "GET", "/registers/ohs/hazards", params={"year": 2025, "state": "open"}
    )
    assert sorted(r["ref"] for r in hazards["rows"]) == ["H2", "H3"]
    assert hazards["rows"][0]["risk_level"] in ("general", "low")
    drills = api.ok(
        "mia", "GET", "/registers/ohs/drills", params={"entity": "WH1", "limit": 1, "offset": 1}
    )
    assert drills["total"] == 2 and [r["ref"] for r in drills["rows"]] == ["D4"]
    posts = api.ok(
        "mia", "GET", "/registers/ohs/operators", params={"year": 2025, "certified": "false"}
    )
    assert sorted((r["person"], r["certificate_status"]) for r in posts["rows"]) == [
        ("E002", "expired"),
        ("E003", "none"),
    ]
    for path in ("/registers/ohs/hazards", "/registers/ohs/drills", "/registers/ohs/operators"):
        problem(api.call("olga", "GET", path), 403)  # a scoped data owner
        problem(api.call(None, "GET", path), 401)
    problem(api.call("mia", "GET", "/registers/ohs/hazards", params={"state": "lost"}), 422)
