"""#17 over HTTP: the OHS register's rows with their SLA clocks, behind ``kpis.read``."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.ohs import import_hours, import_incidents
from tests.api.conftest import Api, problem
from tests.factories import write_csv
from tests.registers.ohs_files import HOURS, HOURS_HEADER, INCIDENT_HEADER, INCIDENTS


def test_incidents_and_hours_with_filters(api: Api, tmp_path: Path) -> None:
    import_hours(api.db, write_csv(tmp_path / "h.csv", HOURS_HEADER, HOURS), actor="t")
    path = write_csv(tmp_path / "i.csv", INCIDENT_HEADER, INCIDENTS)
    import_incidents(api.db, path, actor="t")
    page = api.ok("aldo", "GET", "/registers/ohs/incidents", params={"year": 2025, "limit": 2})
    assert page["total"] == 5 and [r["ref"] for r in page["rows"]] == ["I-5", "I-4"]
    assert page["rows"][0]["clock"]["state"] == "reported"
    assert "description" not in page["rows"][0]
    hours = api.ok("mia", "GET", "/registers/ohs/hours", params={"year": 2025})
    assert sum(h["hours"] for h in hours) == 1_200_000
    problem(api.call("olga", "GET", "/registers/ohs/incidents"), 403)  # scoped data owner
    problem(api.call(None, "GET", "/registers/ohs/hours"), 401)
