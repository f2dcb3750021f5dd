"""#18: a run's unresolved activity rows are stored a group at a time (entity, activity type,
quantity, reason, with the count and the activity ids), not a row per row and quantity; every
reader still finds every unresolved row, and runs stored the old way still read."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select

from esgledger.calc.issue_groups import (
    expand_ids,
    first_issue_rows,
    grouped_issues,
    issue_counts,
    issue_totals,
    listed_issues,
)
from esgledger.calc.runs import stored_unresolved
from esgledger.kpi.unresolved import unresolved_of
from esgledger.ledger.audit_deep import verify_data
from esgledger.ledger.db import Database
from esgledger.ledger.issue_models import CalculationIssueGroup
from esgledger.ledger.models import CalculationIssue
from tests.checks.workspace import Workspace, only


def _unresolved(rows: list[tuple[int, str, str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["activity_id", "entity_id", "activity", "quantity", "reason"], orient="row"
    )


def test_groups_keep_every_id_and_runs_of_ids_are_written_as_ranges() -> None:
    why = "no grid emission factor for heat.purchased in VN"
    ids = [3, 4, 5, 6, 9, 11, 12, 40]
    frame = _unresolved(
        [
            (i, "VN1", "heat.purchased", quantity, why)
            for i in ids
            for quantity in ("scope2_market_tco2e", "scope2_location_tco2e")
        ]
        + [(7, "HQ", "waste.hazardous", "scope3_tco2e", "no factor")]
    ).sort("activity_id", maintain_order=True)
    groups = grouped_issues(frame)
    assert groups.height == 3
    location = groups.filter(pl.col("quantity") == "scope2_location_tco2e").row(0, named=True)
    assert location["activity_ids"] == "3-6,9,11-12,40"
    assert (location["row_count"], location["first_activity_id"]) == (8, 3)
    assert expand_ids("3-6,9,11-12,40") == ids
    # the groups give back every row, in the order the engine listed them (market first)
    back = listed_issues(groups)
    assert back.equals(frame.select(back.columns))


def test_an_empty_run_has_no_groups() -> None:
    assert grouped_issues(_unresolved([])).height == 0


@pytest.fixture
def ws(db: Database, tmp_path: Path) -> Workspace:
    return Workspace(db, tmp_path)


def test_a_run_stores_groups_and_every_reader_finds_its_rows(ws: Workspace) -> None:
    ws.activities(
        [
            ("SZ1", 2025, "electricity.purchased", 1000, "MWh"),
            ("VN1", 2025, "heat.purchased", 500, "GJ"),
            ("VN1", 2025, "steam.purchased", 70, "GJ"),
            ("HQ", 2025, "waste.hazardous", 12, "t"),
        ]
    )
    run = ws.calc(2025)
    assert run["unresolved_rows"] >= 3
    with ws.db.read() as session:
        legacy = session.scalar(
            select(func.count()).where(CalculationIssue.run_id == run["run_id"])
        )
        groups = session.scalar(
            select(func.count()).where(CalculationIssueGroup.run_id == run["run_id"])
        )
        assert legacy == 0 and 0 < groups <= run["unresolved_rows"]
        assert stored_unresolved(session, _run(session, run["run_id"])) == run["unresolved"]
        counted = sum(n for *_, n in issue_counts(session, run["run_id"]))
        assert counted == run["unresolved_rows"]
        first = first_issue_rows(session, run["run_id"], None, 10)
        assert len(first) == min(10, run["unresolved_rows"])
        assert [a for a, _ in first] == sorted(a for a, _ in first)
        by_total = unresolved_of(session, run["run_id"]).by_total
        assert sum(by_total.values()) == run["unresolved_rows"]
        # the totals by (activity, quantity) add up what the rows by entity and reason give
        totals: dict[tuple[str, str], int] = {}
        for activity, quantity, _reason, _entity, n in issue_counts(session, run["run_id"]):
            totals[(activity, quantity)] = totals.get((activity, quantity), 0) + n
        assert sorted(issue_totals(session, run["run_id"])) == sorted(
            (*key, n) for key, n in totals.items()
        )
        assert verify_data(session).ok
    (finding,) = only(ws.check(2025, claims={}), "calc.incomplete")
    assert finding.details["run"] == run["run_id"] and finding.details["activity_rows"]


def test_a_run_stored_a_row_per_issue_still_reads(ws: Workspace) -> None:
    """Runs before 0030 kept a row per unresolved row and quantity in ``calculation_issues``."""
    ws.activities([("VN1", 2025, "heat.purchased", 500, "GJ")])
    run = ws.calc(2025)
    with ws.db.write() as session:
        groups = session.scalars(
            select(CalculationIssueGroup).where(CalculationIssueGroup.run_id == run["run_id"])
        ).all()
        for group in groups:
            for activity_id in expand_ids(group.activity_ids):
                session.add(
                    CalculationIssue(
                        run_id=run["run_id"],
                        activity_id=activity_id,
                        entity_id=group.entity_id,
                        activity=group.activity,
                        quantity=group.quantity,
                        reason=group.reason,
                    )
                )
            session.delete(group)
    with ws.db.read() as session:
        assert stored_unresolved(session, _run(session, run["run_id"])) == run["unresolved"]
        assert sum(unresolved_of(session, run["run_id"]).by_total.values()) == 2
        assert sum(n for *_, n in issue_totals(session, run["run_id"])) == 2
        assert len(first_issue_rows(session, run["run_id"], None, 10)) == 2


def _run(session, run_id):  # type: ignore[no-untyped-def]
    from esgledger.calc.runs import get_run

    return get_run(session, run_id)
