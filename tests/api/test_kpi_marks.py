"""Issue #11 "marked everywhere" and #14 "partial years look final", on the API: each KPI
figure says which source it uses and why, both values side by side with difference and
tolerance, and why it is partial, incomplete or not available; a year-on-year change on a
partial or incomplete year carries a caveat. The OpenAPI schema documents every field."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from esgledger.api.app import PREFIX
from esgledger.ledger.db import Database
from esgledger.server import create_app
from tests.api_reads import auditor_get, undivided_kpi_rows
from tests.web.kpi_marks_workspace import LAST, MIDDLE, build

FIGURE_FIELDS = {
    "used",
    "reported",
    "recomputed",
    "difference",
    "tolerance",
    "why",
    "partial",
    "partial_reason",
    "incomplete",
    "incomplete_reason",
    "not_available_reason",
}


@pytest.fixture
def rows(db: Database, tmp_path: Path) -> Iterator[dict[str, dict[str, Any]]]:
    build(db, tmp_path)
    body = auditor_get(db, "/kpis", params={"year": LAST, "years": 3})
    yield undivided_kpi_rows(body)


def test_partial_year_is_marked_and_its_change_has_a_caveat(
    rows: dict[str, dict[str, Any]],
) -> None:
    water = rows["water.withdrawal.municipal"]
    now = water["figures"][str(LAST)]
    assert now.keys() >= FIGURE_FIELDS
    assert now["value"] == 2500 and now["partial"] is True and now["incomplete"] is False
    assert now["partial_reason"] == f"no {LAST} activity data for 1 member(s) (WH1)"
    assert now["used"] == "calculated" and now["recomputed"] == 2500 and now["reported"] is None
    assert water["change_pct"] == pytest.approx(-68.75)  # kept as it was, for compatibility
    assert water["change_caveat"] == (
        f"not a final comparison: {LAST} is partial (no {LAST} activity data for 1 member(s) (WH1))"
    )
    assert water["values"][str(LAST)] == 2500  # the old fields are still there
    total = rows["water.withdrawal.total"]["figures"][str(LAST)]  # a formula over it
    assert total["partial"] is True
    assert total["partial_reason"] == f"from Municipal water ({now['partial_reason']})"


def test_reported_and_recomputed_side_by_side(rows: dict[str, dict[str, Any]]) -> None:
    before = rows["water.withdrawal.municipal"]["figures"][str(MIDDLE)]
    assert before["reported"] == 8000.4 and before["recomputed"] == 8000
    assert before["difference"] == pytest.approx(0.4) and before["tolerance"] == pytest.approx(0.05)
    assert before["used"] == "calculated"
    assert before["why"] == "recomputed from the ledger's data (it takes precedence)"
    assert before["partial_reason"] is None and before["not_available_reason"] is None


def test_incomplete_run_and_not_available_figures(rows: dict[str, dict[str, Any]]) -> None:
    scope2 = rows["ghg.scope2_market"]
    now = scope2["figures"][str(LAST)]
    assert now["incomplete"] is True and now["value"] > 0
    assert "left 1 activity result(s) of it unresolved" in now["incomplete_reason"]
    assert scope2["change_caveat"].startswith(f"not a final comparison: {LAST} is incomplete")
    waste = rows["waste.hazardous.total"]
    gone = waste["figures"][str(LAST)]
    assert gone["value"] is None and gone["used"] is None  # not available, never 0
    assert gone["not_available_reason"] == f"no waste.hazardous records in the boundary in {LAST}"
    assert waste["change_pct"] is None and waste["change_caveat"] is None
    energy = rows["energy.total"]
    assert energy["change_caveat"] is None  # complete in both years: a final comparison


def test_openapi_documents_the_figure_fields(db: Database) -> None:
    with TestClient(create_app(db.url)) as client:
        schema = client.get(f"{PREFIX}/openapi.json").json()
    parts = schema["components"]["schemas"]
    assert parts["KpiFigure"]["properties"].keys() >= FIGURE_FIELDS
    for name in FIGURE_FIELDS:
        assert parts["KpiFigure"]["properties"][name].get("description"), name
    row = parts["KpiRow"]["properties"]
    assert {"figures", "change_pct", "change_caveat", "values"} <= row.keys()
