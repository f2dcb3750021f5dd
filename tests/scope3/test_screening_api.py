"""#15: ``GET /api/v1/scope3/screening?year=`` answers what ``esg scope3 screening show
--json`` prints, for the same readers as the calculation runs; a year out of range is 422."""

from __future__ import annotations

from pathlib import Path

from esgledger.ledger.scope3_screening import import_screening
from tests.api.conftest import Api, problem
from tests.scope3.screening_files import screening_rows, write_screening


def test_the_screening_is_read_through_the_api(api: Api, tmp_path: Path) -> None:
    assert api.ok("aldo", "GET", "/scope3/screening", params={"year": 2025}) == []
    path = write_screening(tmp_path, screening_rows({1: "spend_based", 4: "distance_based"}))
    import_screening(api.db, path, year=2025, actor="mia")
    body = api.ok("aldo", "GET", "/scope3/screening", params={"year": 2025})
    assert [r["category"] for r in body if r["relevant"]] == ["cat1", "cat4"]
    assert body[3] == {
        "category": "cat4", "relevant": True, "reason": "size", "note": "",
        "method": "distance_based", "data_quality": 3, "batch": body[0]["batch"],
    }  # fmt: skip
    problem(api.call("aldo", "GET", "/scope3/screening", params={"year": 3000}), 422)
