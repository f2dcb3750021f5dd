"""Issue #14: the demo grows a data collection at team scale for measuring the pages."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from esgledger.demo import REPORT_YEAR
from esgledger.demo.scale_stage import scale_requests
from esgledger.errors import InvalidInput
from esgledger.ledger.db import Database
from esgledger.ledger.workflow_models import DataRequest, User
from tests.conftest import DemoBuild

YEAR = REPORT_YEAR + 1


def demo_copy(demo_build: DemoBuild, tmp_path: Path) -> Database:
    """A private copy of the built demo (the shared one is read-only)."""
    target = tmp_path / "esg.db"
    with sqlite3.connect(demo_build.db_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return Database(str(target))


def test_scale_requests_issues_and_moves_a_share(demo_build: DemoBuild, tmp_path: Path) -> None:
    db = demo_copy(demo_build, tmp_path)
    with db.read() as session:
        before = Counter(session.scalars(select(DataRequest.state).where(DataRequest.year == YEAR)))
    result = scale_requests(db, year=YEAR, count=300)
    assert result["requests"] == 300 and result["issued"] == 300
    assert (result["submitted"], result["approved"]) == (30, 30)  # every fifth, half approved
    with db.read() as session:
        rows = session.execute(
            select(DataRequest.state, User.username)
            .join(User, User.id == DataRequest.owner_id)
            .where(DataRequest.year == YEAR)
        ).all()
    states = Counter(state for state, _ in rows) - before
    assert states == Counter({"draft": 240, "submitted": 30, "approved": 30})
    assert {"owner.sz", "owner.wh", "manager"} <= {owner for _, owner in rows}
    with pytest.raises(InvalidInput, match="--requests must be between 1 and"):
        scale_requests(db, year=YEAR, count=10**6)
    db.dispose()
