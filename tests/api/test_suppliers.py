"""#16 supplier register over the API: paged list with filters, one supplier, 404, rights."""

from __future__ import annotations

from pathlib import Path

from esgledger.suppliers.register_import import import_register
from tests.api.conftest import Api, problem
from tests.suppliers.factories import register_files


def test_suppliers_page_with_link_headers_and_one_shows_its_rows(api: Api, tmp_path: Path) -> None:
    for kind, path in register_files(tmp_path).items():
        import_register(api.db, path, kind=kind, actor="setup")
    got = api.call("aldo", "GET", "/suppliers", params={"limit": 2, "sort": "-id"})
    assert got.status_code == 200, got.text
    assert [r["id"] for r in got.json()] == ["S003", "S002"]
    assert got.headers["X-Total-Count"] == "3" and 'rel="next"' in got.headers["Link"]
    only = api.ok("aldo", "GET", "/suppliers", params={"commodity": "cable"})
    assert [r["id"] for r in only] == ["S002"]
    one = api.ok("aldo", "GET", "/suppliers/S001")
    assert [s["name"] for s in one["sites"]] == ["Foshan plant"]
    assert len(one["certifications"]) == 2
    assert (one["onboarded_on"], one["ended_on"]) == ("2024-03-01", None)
    problem(api.call("aldo", "GET", "/suppliers/NOPE"), 404)
    problem(api.call("dora", "GET", "/suppliers"), 403)


def test_tiers_audits_and_overdue_findings_read_over_the_api(api: Api, tmp_path: Path) -> None:
    import datetime as dt

    from esgledger.suppliers.audits import add_finding, plan_audit, report_audit
    from esgledger.suppliers.policy import DEFAULT
    from esgledger.suppliers.tiering import record_tiers

    for kind, path in register_files(tmp_path).items():
        import_register(api.db, path, kind=kind, actor="setup")
    with api.db.write() as session:
        record_tiers(session, DEFAULT, on=dt.date(2025, 1, 2), actor="setup")
        audit = plan_audit(session, supplier="S001", planned_on=dt.date(2025, 3, 1),
                           mode="remote", auditor="A", actor="setup")  # fmt: skip
        add_finding(session, audit.id, grade="Priority", family="social", text="t", actor="setup")
        report_audit(session, audit.id, done_on=dt.date(2025, 3, 2),
                     report_on=dt.date(2025, 3, 10), actor="setup")  # fmt: skip
    tiers = api.ok("aldo", "GET", "/suppliers/S001/tiers")
    assert [t["decided_on"] for t in tiers] == ["2025-01-02"]
    assert [a["mode"] for a in api.ok("aldo", "GET", "/supplier-audits")] == ["remote"]
    late = api.ok("aldo", "GET", "/supplier-findings", params={"overdue_on": "2025-03-18"})
    assert [(f["grade"], f["plan_due"]) for f in late] == [("Priority", "2025-03-17")]
    assert api.ok("aldo", "GET", "/supplier-findings", params={"overdue_on": "2025-03-17"}) == []
    problem(api.call("aldo", "GET", "/suppliers/NOPE/tiers"), 404)
    problem(api.call("aldo", "GET", "/supplier-findings", params={"overdue_on": "soon"}), 422)
    problem(api.call("dora", "GET", "/supplier-audits"), 403)


def test_tier_on_a_day_is_the_cli_answer_and_a_bad_day_is_a_422(api: Api, tmp_path: Path) -> None:
    import datetime as dt

    from esgledger.suppliers.policy import DEFAULT
    from esgledger.suppliers.tiering import record_tiers, tier_on

    for kind, path in register_files(tmp_path).items():
        import_register(api.db, path, kind=kind, actor="setup")
    with api.db.write() as session:
        record_tiers(session, DEFAULT, on=dt.date(2025, 1, 2), actor="setup")
    got = api.ok("aldo", "GET", "/suppliers/S001/tiers", params={"on": "2025-01-02"})
    assert (got["supplier"], got["on"], got["decided_on"]) == ("S001", "2025-01-02", "2025-01-02")
    with api.db.read() as session:  # the service `esg suppliers history --on` prints
        assert got == tier_on(session, "S001", dt.date(2025, 1, 2))
    before = api.ok("aldo", "GET", "/suppliers/S001/tiers", params={"on": "2025-01-01"})
    assert (before["tier"], before["decided_on"]) == (None, None)
    assert isinstance(api.ok("aldo", "GET", "/suppliers/S001/tiers"), list)  # no `on`: history
    bad = problem(api.call("aldo", "GET", "/suppliers/S001/tiers", params={"on": "soon"}), 422)
    assert [e["location"] for e in bad["errors"]] == [["query", "on"]]
    problem(api.call("aldo", "GET", "/suppliers/NOPE/tiers", params={"on": "2025-01-02"}), 404)
    problem(api.call("dora", "GET", "/suppliers/S001/tiers", params={"on": "2025-01-02"}), 403)


def test_declarations_and_the_smelter_roll_up_read_over_the_api(api: Api, tmp_path: Path) -> None:
    from esgledger.suppliers.minerals_import import import_declaration
    from tests.suppliers.cmrt_files import TODAY, Cmrt, cmrt_file, company

    for kind, path in register_files(tmp_path).items():
        import_register(api.db, path, kind=kind, actor="setup")
    spec = Cmrt(fields=company(**{"Authorizer (*):": "Li Wei"}))  # a warning is stored
    import_declaration(api.db, cmrt_file(tmp_path / "c.xlsx", spec), supplier="S001",
                       actor="setup", today=TODAY)  # fmt: skip
    [one] = api.ok("aldo", "GET", "/supplier-declarations", params={"supplier": "S001"})
    assert (one["template"], one["version"], one["smelter_rows"]) == ("CMRT", "6.5", 2)
    assert one["in_use"] == ["tin", "gold"] and "authorizer is the contact" in one["warnings"][0]
    assert api.ok("aldo", "GET", "/supplier-declarations", params={"supplier": "S002"}) == []
    rolled = api.ok("aldo", "GET", "/supplier-smelters", params={"year": 2026})
    assert [s["smelter_id"] for s in rolled["smelters"]] == ["CID000002", "CID000001"]
    assert rolled["conformant_share"] is None
    assert api.ok("aldo", "GET", "/supplier-smelters", params={"year": 2025})["suppliers"] == 0
    problem(api.call("aldo", "GET", "/supplier-declarations", params={"supplier": "NOPE"}), 404)
    problem(api.call("aldo", "GET", "/supplier-smelters", params={"template": "AMRT"}), 422)
    problem(api.call("dora", "GET", "/supplier-smelters"), 403)
