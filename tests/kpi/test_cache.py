"""The KPI cache for the API and the pages: reused while the ledger is unchanged, recomputed
after any write that can move a figure, never different from a fresh computation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from esgledger.auth.users import add_user, principal
from esgledger.kpi import cache
from esgledger.kpi.cache import cached_kpi_series
from esgledger.kpi.series import kpi_series
from esgledger.ledger.db import Database
from esgledger.workflow import review
from esgledger.workflow.requests import issue_requests
from esgledger.workflow.values import enter_value
from tests.conftest import Cli
from tests.kpi.test_kpi import activities, kpis, ws  # noqa: F401 - the fixture

YEAR = 2024


def _both(db: Database) -> tuple[dict, dict]:
    with db.read() as session:
        return cached_kpi_series(session, YEAR, years=1), kpi_series(session, YEAR, years=1)


def _value(series: dict, metric: str) -> float | None:
    [row] = [k for k in series["kpis"] if k["metric"] == metric and not k["dims"]]
    return row["values"][str(YEAR)]


def test_cached_tables_follow_every_kind_of_write(ws: Cli, tmp_path: Path) -> None:  # noqa: F811
    db = ws.db
    cache.clear()
    first, fresh = _both(db)
    assert first == fresh
    again, _ = _both(db)
    assert again == first and again["kpis"][0] is first["kpis"][0]  # reused, not recomputed

    again["kpis"].clear()  # a caller's own list: filtering it leaves the cache intact
    assert _both(db)[0] == fresh

    kpis(ws, tmp_path, [["GRP", YEAR, "packaging.plastics", 12, "t", "", "", ""]])
    cached, fresh = _both(db)
    assert cached == fresh and _value(cached, "packaging.plastics") == 12.0

    activities(
        ws, tmp_path, [["A", "2024-01-01", "2024-12-31", "electricity.purchased", 10, "MWh"]]
    )
    cached, fresh = _both(db)
    assert cached == fresh and _value(cached, "energy.electricity.purchased") == 10.0

    ws("calc", "--year", str(YEAR))
    cached, fresh = _both(db)
    assert cached == fresh and (_value(cached, "ghg.scope2_market") or 0) > 0

    with db.write() as session:  # a value entered through a request counts once approved
        for name, role in (("mia", "esg_manager"), ("rita", "reviewer")):
            add_user(session, username=name, role=role, actor="t")
        mia, rita = principal(session, "mia"), principal(session, "rita")
        (rid,) = issue_requests(session, mia, year=YEAR, metrics=["packaging.cartons"],
                                owner="mia", due=dt.date(2025, 3, 31), entities=["GRP"],
                                issued_on=dt.date(2025, 1, 5))["ids"]  # fmt: skip
        req = enter_value(session, mia, rid, version=1, value=7, unit="t")
        req = review.submit(session, mia, rid, version=req.version)
    assert _both(db)[0] == _both(db)[1] and _value(_both(db)[0], "packaging.cartons") is None
    with db.write() as session:
        review.approve(session, rita, rid, version=req.version)
    cached, fresh = _both(db)
    assert cached == fresh and _value(cached, "packaging.cartons") == 7.0
