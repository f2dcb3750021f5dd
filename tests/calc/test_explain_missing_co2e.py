"""``esg calc explain`` never counts a result row without a CO2e as 0: the sum is marked
incomplete with the reason, or "not available" when no row has a CO2e (nothing silent)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from esgledger.calc.explain import explain
from esgledger.ledger.db import Database
from esgledger.ledger.models import CalculationResult
from tests.checks.workspace import Workspace


@pytest.fixture
def run_id(db: Database, tmp_path: Path) -> int:
    ws = Workspace(db, tmp_path)
    ws.activities([("SZ1", 2025, "fuel.diesel", 10, "t"), ("WH1", 2025, "fuel.diesel", 30, "t")])
    return int(ws.calc(2025)["run_id"])


def _drop_co2e(db: Database, run_id: int, *, rows: int | None = None) -> None:
    """Result rows of Scope 1 stored without a CO2e (as a gas with no GWP would leave them)."""
    with db.write() as session:
        ids = session.scalars(
            select(CalculationResult.id)
            .where(CalculationResult.run_id == run_id, CalculationResult.quantity == "scope1")
            .order_by(CalculationResult.id)
            .limit(rows)
        ).all()
        session.execute(
            update(CalculationResult).where(CalculationResult.id.in_(ids)).values(co2e=None)
        )


def _scope1(db: Database, run_id: int) -> dict[str, object]:
    with db.read() as session:
        figure: dict[str, object] = explain(session, run_id, metric="scope1")["figures"]["scope1"]
        return figure


def test_a_sum_with_a_row_without_co2e_is_incomplete_and_says_why(
    db: Database, run_id: int
) -> None:
    whole = _scope1(db, run_id)
    assert whole["incomplete"] is False and "reason" not in whole
    _drop_co2e(db, run_id, rows=1)
    short = _scope1(db, run_id)
    assert short["incomplete"] is True
    assert short["reason"] == "1 result row without a CO2e value left out of the sum"
    assert short["rows"] == whole["rows"]
    assert isinstance(short["value"], float) and isinstance(whole["value"], float)
    assert 0 < short["value"] < whole["value"]


def test_a_sum_without_any_co2e_is_not_available(db: Database, run_id: int) -> None:
    _drop_co2e(db, run_id)
    figure = _scope1(db, run_id)
    assert figure["value"] is None and figure["incomplete"] is True
    assert str(figure["reason"]).endswith("without a CO2e value left out of the sum")
