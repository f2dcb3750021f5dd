"""The emissions page's entity breakdown never counts a result row without a CO2e as 0: the
figure is marked incomplete (or "not available") with the reason, as ``esg calc explain``."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from esgledger.ledger.db import Database
from esgledger.ledger.models import CalculationResult
from tests.web.conftest import log_in, make_user
from tests.web.test_read_pages import row_of, workspace  # noqa: F401 - the fixture

ENTITY = "B"


def _drop_co2e(db: Database, run_id: int) -> None:
    """Scope 1 result rows of entity B stored without a CO2e (a gas with no GWP leaves them)."""
    with db.write() as session:
        ids = session.scalars(
            select(CalculationResult.id).where(
                CalculationResult.run_id == run_id,
                CalculationResult.quantity == "scope1",
                CalculationResult.entity_id == ENTITY,
            )
        ).all()
        assert ids
        session.execute(
            update(CalculationResult).where(CalculationResult.id.in_(ids)).values(co2e=None)
        )


def test_a_figure_without_co2e_is_not_available_with_its_reason(
    db: Database,
    web: TestClient,
    workspace: dict[str, Any],  # noqa: F811
) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    run_id = workspace["runs"][max(workspace["runs"])]["run_id"]
    _drop_co2e(db, run_id)
    page = web.get(f"/emissions?run={run_id}&entity={ENTITY}").text
    breakdown = page.split('data-testid="entity-breakdown"')[1].split("</section>")[0]
    scope1 = row_of(breakdown, '<tr data-figure="scope1">')
    assert "not available" in scope1
    assert "without a CO2e value left out of the sum" in scope1
    by_activity = breakdown.split("By activity type")[1]
    assert 'data-mark="not-available"' in by_activity
    assert ">0<" not in by_activity.replace(" ", "")
