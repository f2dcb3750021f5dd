"""#17 finding 1: register figures in the KPI table — ``source: "register"``, inputs naming
the register and its rows, roll-up over the entity tree, lineage, and the same precedence
against typed values as any recomputed figure. Served for any provider: the tests add one
of their own next to the OHS register's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from esgledger.kpi.register_source import PROVIDERS, RegisterFigure
from esgledger.kpi.registered import register_lineage
from esgledger.kpi.scope import Scopes
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from tests.checks.workspace import Workspace, kpi

CASES = "compliance.whistleblowing.received"
GIVEN: list[RegisterFigure] = []


def given_cases(session: Session, year: int) -> list[RegisterFigure]:
    """A stand-in register: whatever figures the test gave it for 2025."""
    return [f for f in GIVEN if f.year == year]


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Iterator[Workspace]:
    PROVIDERS.append(given_cases)
    try:
        yield Workspace(db, tmp_path)
    finally:
        PROVIDERS.remove(given_cases)
        GIVEN.clear()


def cases(
    entity: str, value: float | None, rows: tuple[int, ...], note: str = ""
) -> RegisterFigure:
    return RegisterFigure(CASES, 2025, entity, value, "case", "whistleblowing", rows, note=note)


def figure(ws: Workspace, metric: str = CASES) -> dict[str, Any]:
    with ws.db.read() as session:
        series = kpi_series(session, 2025, years=1)
    (row,) = [k for k in series["kpis"] if k["metric"] == metric and not k["dims"]]
    return row["figures"]["2025"]


def test_a_register_covering_the_boundary_wins_with_the_comparison_shown(ws: Workspace) -> None:
    GIVEN.extend([cases("GRP", 7, (1, 2, 3, 4, 5, 6, 7))])  # a group-wide hotline covers all
    ws.kpis(kpi(CASES, "9", "case"))
    got = figure(ws)
    assert (got["value"], got["source"], got["partial"]) == (7, "register", False)
    assert got["inputs"] == [{"register": "whistleblowing", "rows": 7, "entities": 1}]
    side = got["comparison"]
    assert (side["reported"], side["calculated"], side["used"]) == (9, 7, "calculated")
    assert side["recomputed_source"] == "register" and side["difference"] == 2


def test_partial_coverage_keeps_the_typed_value_with_the_register_beside(ws: Workspace) -> None:
    GIVEN.extend([cases("SZ1", 2, (1, 2)), cases("WH1", 0, ())])  # VN1 has no register
    ws.kpis(kpi(CASES, "5", "case"))
    got = figure(ws)
    assert (got["value"], got["source"]) == (5, "reported")
    side = got["comparison"]
    assert (side["calculated"], side["calculated_partial"], side["used"]) == (2, True, "reported")
    assert side["why"] == "reported; the recomputed figure covers only part of the boundary"


def test_without_a_typed_value_a_partial_register_figure_is_shown_marked(ws: Workspace) -> None:
    GIVEN.extend([cases("SZ1", 2, (1, 2))])
    got = figure(ws)
    assert (got["value"], got["source"], got["partial"]) == (2, "register", True)
    assert "partial: the register does not cover 2 member(s) (VN1, WH1)" in got["note"]


def test_rolled_up_over_the_tree_within_the_boundary(ws: Workspace) -> None:
    ws.boundary("2025-social", 2025, "social", "HQ", "WH1")  # with SZ1 below HQ; VN1 is out
    GIVEN.extend([cases("SZ1", 2, (1, 2)), cases("WH1", 1, (3,)), cases("VN1", 4, (4, 5, 6, 7))])
    with ws.db.read() as session:
        series = kpi_series(session, 2025, years=1, boundary="2025-social")
        lineage = register_lineage(
            session, 2025, Scopes(session, 2025, override="2025-social"), CASES
        )
    (row,) = [k for k in series["kpis"] if k["metric"] == CASES and not k["dims"]]
    got = row["figures"]["2025"]
    assert (got["value"], got["entities"], got["partial"]) == (3, 2, False)
    assert "leaves out 1 entity figure(s) outside the boundary" in got["note"]
    assert got["inputs"] == [{"register": "whistleblowing", "rows": 3, "entities": 2}]
    assert [(x["entity"], x["member"], x["rows"]) for x in lineage] == [
        ("SZ1", "SZ1", [1, 2]),
        ("VN1", None, [4, 5, 6, 7]),
        ("WH1", "WH1", [3]),
    ]


def test_a_register_without_any_figure_is_not_available_never_zero(ws: Workspace) -> None:
    GIVEN.extend([cases("GRP", None, (), note="the hotline export for 2025 is missing")])
    got = figure(ws)
    assert got["value"] is None and got["status"] == "missing"
    assert got["note"].startswith("not available: the register has no figure for the boundary")
    assert "the hotline export for 2025 is missing" in got["note"]
