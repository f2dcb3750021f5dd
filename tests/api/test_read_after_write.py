"""Issue #14, a KPI read after a write: the table kept for the last state is updated where
the write can move it (the written metric and the derived metrics reading it), its rows'
JSON and tags reused, and the answer is what a server with no cache at all gives, to the
byte and the entity tag. Held on SQLite and PostgreSQL after a value written, approved and
restated through the API (updated in place) and after activity rows voided (recomputed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import Response

from esgledger.api import routes, state_bodies
from esgledger.kpi import cache
from esgledger.ledger import request_events
from esgledger.ledger.activities import import_activities
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.voiding import Selection, void_activities
from tests.api.conftest import YEAR, Api
from tests.api.test_read_statements import statements
from tests.factories import ACTIVITY_HEADER, monthly_rows, write_csv

pytestmark = pytest.mark.usefixtures("one_recheck_window")

PATHS = (f"/kpis?year={YEAR}&years=2", f"/kpis?year={YEAR}&years=2&area=packaging")


def _seed(api: Api, tmp_path: Path) -> int:
    """Two years of packaging and headcount figures and a year of electricity; the id of
    the activity import batch."""
    rows = [
        [entity, year, metric, value + year - YEAR, unit]
        for year in (YEAR - 1, YEAR)
        for entity, metric, value, unit in (
            ("SZ1", "packaging.plastics", 10, "t"),
            ("SZ1", "packaging.wood", 2, "t"),
            ("HQ", "workforce.headcount", 100, "person"),
        )
    ]
    import_kpis(api.db, write_csv(tmp_path / "k.csv", ["entity", "year", "metric", "value",
                                                       "unit"], rows), actor="t")  # fmt: skip
    acts = monthly_rows("SZ1", "electricity.purchased", "kWh", YEAR, 1000)
    done = import_activities(api.db, write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, acts),
                             actor="t")  # fmt: skip
    return int(done["batch_id"])


def _warm(api: Api) -> dict[str, Response]:
    """The answers of a server that has been answering all along (caches warm)."""
    got = {p: api.call("mia", "GET", p) for p in PATHS}
    assert all(r.status_code == 200 for r in got.values())
    return got


def _cold(api: Api) -> dict[str, Response]:
    """The answers of a server with nothing kept: every cache emptied, and another token
    (the replay keeps answers per token)."""
    cache.clear()
    state_bodies.clear()
    routes._readouts.clear()
    routes._row_bytes.clear()
    got = {p: api.call("aldo", "GET", p) for p in PATHS}
    assert all(r.status_code == 200 for r in got.values())
    return got


def _same_as_cold(api: Api) -> None:
    warm = _warm(api)
    cold = _cold(api)
    for path in PATHS:
        assert warm[path].content == cold[path].content, path
        assert warm[path].headers["etag"] == cold[path].headers["etag"], path
    _warm(api)  # the next write starts from a warm table again


def test_a_read_after_a_write_is_a_cold_read(api: Api, tmp_path: Path) -> None:
    batch = _seed(api, tmp_path)
    _same_as_cold(api)
    issued = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": ["packaging.cartons"], "owner": "mia", "reviewer": "rita",
        "due": "2099-03-31", "entities": ["SZ1"]})  # fmt: skip
    [rid] = issued["ids"]
    _same_as_cold(api)  # issuing requests: the table is recomputed
    version = 1
    for value in (5, 7):  # a value entered, then changed
        before = cache.computed["incremental"]
        version = api.ok("mia", "POST", f"/requests/{rid}/value", json={
            "version": version, "value": value, "unit": "t"})["version"]  # fmt: skip
        _same_as_cold(api)
        assert cache.computed["incremental"] > before  # updated in place, not recomputed
    version = api.ok("mia", "POST", f"/requests/{rid}/submit", json={"version": version})["version"]
    _same_as_cold(api)
    version = api.ok("rita", "POST", f"/requests/{rid}/approve", json={"version": version})[
        "version"
    ]
    _same_as_cold(api)  # now a figure: cartons and the packaging total move
    body = api.ok("mia", "GET", PATHS[1])
    [cartons] = [k for k in body["kpis"] if k["metric"] == "packaging.cartons"]
    assert cartons["values"][str(YEAR)] == 7.0
    version = api.ok("mia", "POST", f"/requests/{rid}/lock", json={"version": version})["version"]
    before = cache.computed["incremental"]
    restated = api.ok("mia", "POST", f"/requests/{rid}/restate", json={
        "version": version, "value": 8, "unit": "t", "reason": "weighbridge recalibrated"})  # fmt: skip
    api.ok("rita", "POST", f"/requests/{rid}/approve", json={"version": restated["version"]})
    _same_as_cold(api)
    assert cache.computed["incremental"] > before
    body = api.ok("mia", "GET", PATHS[1])
    [cartons] = [k for k in body["kpis"] if k["metric"] == "packaging.cartons"]
    assert cartons["values"][str(YEAR)] == 8.0
    void_activities(api.db, Selection(batch=batch), reason="double counted", actor="ada")
    _same_as_cold(api)


def test_a_read_after_a_value_write_reads_only_that_metrics_values(
    api: Api, tmp_path: Path
) -> None:
    _seed(api, tmp_path)
    issued = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": ["packaging.cartons"], "owner": "mia",
        "due": "2099-03-31", "entities": ["SZ1"]})  # fmt: skip
    [rid] = issued["ids"]
    _warm(api)
    api.ok("mia", "POST", f"/requests/{rid}/value", json={"version": 1, "value": 5, "unit": "t"})
    with statements(api) as seen:
        _warm(api)
    reads = [q for q in seen if q.startswith("SELECT kpi_values.")]  # rows of values
    assert reads, seen
    for query in reads:  # no whole year of values read again: only the written metric's
        assert "kpi_values.metric_id" in query.split("WHERE", 1)[-1], query


def _touched_queries(seen: list[str]) -> list[str]:
    """The statements that ask what the writes since the kept table touched: the audit
    events after it, the requests they name."""
    asks = ("SELECT audit_events.action, audit_events.subject", "SELECT data_requests.year")
    return [q for q in seen if q.startswith(asks)]


def test_a_read_after_this_servers_own_value_write_knows_what_it_touched(
    api: Api, tmp_path: Path
) -> None:
    """The writer notes what its request event touched (keyed by the event's hash), so the
    read after it in the same process asks the database nothing about it; a process that
    did not make the write (the note forgotten here) asks, and both answer as a cold read."""
    _seed(api, tmp_path)
    issued = api.ok("mia", "POST", "/requests", 201, json={
        "year": YEAR, "metrics": ["packaging.cartons"], "owner": "mia",
        "due": "2099-03-31", "entities": ["SZ1"]})  # fmt: skip
    [rid] = issued["ids"]
    _warm(api)
    version = 1
    for value, elsewhere in ((5, False), (6, True), (7, False)):
        version = api.ok("mia", "POST", f"/requests/{rid}/value", json={
            "version": version, "value": value, "unit": "t"})["version"]  # fmt: skip
        if elsewhere:
            request_events.clear()  # as in a process that did not make the write
        before = cache.computed["incremental"]
        with statements(api) as seen:
            _warm(api)
        assert cache.computed["incremental"] == before + 1
        asked = _touched_queries(seen)
        assert bool(asked) == elsewhere, asked
        _same_as_cold(api)
