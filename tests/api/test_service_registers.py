"""#17 complaints, NPS and vulnerabilities over HTTP: filtered, searched and paged, with SLA
clocks and breaches, NPS per segment, behind ``kpis.read``."""

from __future__ import annotations

from pathlib import Path

from esgledger.registers.complaints import import_complaints
from esgledger.registers.nps import import_answers
from esgledger.registers.vulnerabilities import import_vulnerabilities
from tests.api.conftest import Api, problem
from tests.factories import write_csv
from tests.registers import complaint_files as cf
from tests.registers import vulnerability_files as vf


def test_complaints_and_nps_for_kpi_readers(api: Api, tmp_path: Path) -> None:
    import_complaints(api.db, write_csv(tmp_path / "c.csv", cf.HEADER, cf.COMPLAINTS), actor="t")
    import_answers(api.db, write_csv(tmp_path / "n.csv", cf.NPS_HEADER, cf.ANSWERS), actor="t")
    page = api.ok("aldo", "GET", "/registers/complaints", params={"limit": 2, "offset": 1})
    assert page["total"] == 5 and [r["ref"] for r in page["rows"]] == ["C-3", "C-2"]
    found = api.ok(
        "mia", "GET", "/registers/complaints", params={"search": "tv", "state": "closed"}
    )
    assert [r["ref"] for r in found["rows"]] == ["C-3"]
    slas = api.ok("mia", "GET", "/registers/complaints/slas")
    assert {"severity": "high", "state": "accepted", "hours": None} in slas  # none set
    segments = api.ok("mia", "GET", "/registers/nps", params={"year": 2025})
    assert segments[-1] == {"segment": "all", "answers": 6, "promoters": 2, "passives": 2,
                            "detractors": 2, "nps": 0.0, "note": ""}  # fmt: skip
    problem(api.call("olga", "GET", "/registers/complaints"), 403)  # scoped data owner
    problem(api.call(None, "GET", "/registers/nps", params={"year": 2025}), 401)
    problem(api.call("mia", "GET", "/registers/nps"), 422)  # the year is required


def test_vulnerabilities_for_kpi_readers(api: Api, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", vf.HEADER, vf.ROWS)
    import_vulnerabilities(api.db, path, actor="t")
    page = api.ok("aldo", "GET", "/registers/vulnerabilities", params={"severity": "critical"})
    (row,) = page["rows"]
    assert (row["ref"], row["cve_id"], row["sla_met"]) == ("V-1", "CVE-2025-10001", True)
    slas = api.ok("mia", "GET", "/registers/vulnerabilities/slas")
    assert {"severity": "high", "days": 30} in slas and {"severity": "low", "days": None} in slas
    problem(api.call("olga", "GET", "/registers/vulnerabilities"), 403)
