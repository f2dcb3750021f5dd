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


def test_the_checks_see_a_draft_value_but_their_kpi_table_does_not(org: Org) -> None:
    """The checks read every stored row once and build their KPI tables from it: a draft
    request's value is among the rows they check, never among the figures."""
    from esgledger.checks.context import CheckContext
    from esgledger.kpi.values import kpi_table

    (rid,) = issue(org, ["packaging.plastics"], ["GRP"], owner="mia")
    with org.db.write() as s:
        enter_value(s, org.manager, rid, version=1, value=12.5, unit="t")
    with org.db.read() as session:
        ctx = CheckContext(session=session, year=YEAR)
        drafts = [v for v in ctx.current_rows() if v.metric_id == "packaging.plastics"]
        assert [(v.value, v.pending) for v in drafts] == [(12.5, True)]
        assert ctx.table() == kpi_table(session, YEAR)
        assert ctx.figure("packaging.plastics") == kpi_table(session, YEAR).get(
            ("packaging.plastics", "")
        )
