"""A value entered through a data request reaches KPI tables only once it is approved."""

from __future__ import annotations

from esgledger.kpi.series import kpi_series
from esgledger.workflow import review
from esgledger.workflow.values import enter_value
from tests.workflow.conftest import YEAR, Org, issue


def _plastics(org: Org) -> object:
    with org.db.read() as session:
        series = kpi_series(session, YEAR, years=1)
    [row] = [k for k in series["kpis"] if k["metric"] == "packaging.plastics" and not k["dims"]]
    return row["values"][str(YEAR)]


def test_draft_submitted_and_returned_values_stay_out_of_kpi_tables(org: Org) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["GRP"], owner="mia")
    empty = _plastics(org)
    with org.db.write() as s:
        req = enter_value(s, org.manager, rid, version=1, value=12.5, unit="t")
    assert _plastics(org) == empty  # draft
    with org.db.write() as s:
        req = review.submit(s, org.manager, rid, version=req.version)
    assert _plastics(org) == empty  # submitted, not yet reviewed
    with org.db.write() as s:
        req = review.return_request(s, org.rita, rid, version=req.version, comment="check")
    assert _plastics(org) == empty  # returned
    with org.db.write() as s:
        req = review.submit(s, org.manager, rid, version=req.version)
        req = review.approve(s, org.rita, rid, version=req.version)
    assert _plastics(org) == 12.5
    with org.db.write() as s:
        review.lock(s, org.manager, rid, version=req.version)
    assert _plastics(org) == 12.5
