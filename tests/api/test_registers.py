"""#17 over HTTP: the OHS register's rows with their SLA clocks, behind ``kpis.read``; the
whistleblowing register's counts for KPI readers and its cases for compliance officers."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers import whistle
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


def test_whistleblowing_counts_for_kpi_readers_content_for_compliance_only(api: Api) -> None:
    """#17: an auditor, an admin and a manager see how many cases, never what they say."""
    links = api.ok("cora", "POST", "/registers/whistleblowing/links", 201,
                   json={"entity": "SZ1", "count": 2})  # fmt: skip
    assert len(links["tokens"]) == 2
    with api.db.write() as session:
        receipt = whistle.submit_report(
            session, links["tokens"][0], case_type="fraud", description="invoices split in two"
        )
    for name in ("aldo", "ada", "mia"):
        counts = api.ok(name, "GET", "/registers/whistleblowing/counts")
        assert counts["received"] == 1 and counts["by_type"] == {"fraud": 1}
        assert receipt.code not in str(counts)
        problem(api.call(name, "GET", "/registers/whistleblowing/cases"), 403)
        move = {"version": 1, "state": "triaged"}
        url = f"/registers/whistleblowing/cases/{receipt.code}/move"
        denied = api.call(name, "POST", url, json=move)
        problem(denied, 403)
        assert "invoices" not in denied.text
    cases = api.ok("cora", "GET", "/registers/whistleblowing/cases")
    assert cases["rows"][0]["description"] == "invoices split in two"
    url = f"/registers/whistleblowing/cases/{receipt.code}/move"
    problem(api.call("cora", "POST", url, json={"version": 7, "state": "triaged"}), 409)
    moved = api.ok("cora", "POST", url, json={"version": 1, "state": "triaged"})
    assert (moved["state"], moved["version"]) == ("triaged", 2)
    problem(api.call("cora", "POST", url, json={"version": 2, "state": "closed"}), 422)
