"""Every API route × every role: allowed or denied exactly as ``auth.permissions.MATRIX`` says.

The routes come from the app itself, so a new endpoint without an entry in :data:`ROUTES`
fails this test. "Allowed" means any answer but 401/403 (a 404, 409 or 422 shows the
permission check passed); "denied" means 403 with a token and 401 without one. Versioned
writes send a version that can never match, so an allowed call is a 409 and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute

from esgledger.api.app import PREFIX
from esgledger.auth.permissions import MATRIX, Principal, can
from esgledger.auth.users import principal
from esgledger.registers.complaints import import_complaints
from esgledger.registers.ohs import import_incidents
from esgledger.registers.vulnerabilities import import_vulnerabilities
from tests.api.conftest import USERS, YEAR, Api
from tests.factories import write_csv
from tests.registers import complaint_files, ohs_files, vulnerability_files

STALE = {"version": 2**31 - 1}
BAD_FILE = {"file": ("notes.txt", b"not a table")}
SOME = "some"  # lists filtered to what the user may read: allowed with any grant


@dataclass(frozen=True)
class Case:
    """The permission a route checks, on which entity, and how to call it."""

    action: str
    entity: str | None = None  # SOME, an entity id, or None (global)
    params: dict[str, Any] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    assigned_review: bool = False  # approve/return: also the request's named reviewer


ISSUE = {"year": YEAR, "metrics": ["packaging.plastics"], "owner": "olga", "due": "2099-03-31",
         "entities": ["SZ1"], "reviewer": "rita"}  # fmt: skip

SIGNED_IN = ""  # no right needed beyond a valid token

ROUTES: dict[tuple[str, str], Case] = {
    ("GET", "/me"): Case(SIGNED_IN),
    ("POST", "/me/password"): Case(  # a wrong current password: 422, counted as a failure
        SIGNED_IN, json={"current": "not the password", "new": "kettle orbit saffron"}
    ),
    ("GET", "/entities"): Case("entities.read"),
    ("GET", "/boundaries"): Case("boundaries.read"),
    ("GET", "/boundaries/{code}"): Case("boundaries.read"),
    ("GET", "/metrics"): Case("factors.read"),
    ("GET", "/activities"): Case("activities.read", "SZ1", params={"entity": "SZ1"}),
    ("GET", "/kpis"): Case("kpis.read", params={"year": YEAR}),
    ("GET", "/runs"): Case("calculations.read"),
    ("GET", "/suppliers"): Case("suppliers.read"),
    ("GET", "/suppliers/{supplier_id}"): Case("suppliers.read"),
    ("GET", "/suppliers/{supplier_id}/tiers"): Case("suppliers.read"),
    ("GET", "/supplier-audits"): Case("suppliers.read"),
    ("GET", "/supplier-findings"): Case("suppliers.read"),
    ("GET", "/supplier-declarations"): Case("suppliers.read"),
    ("GET", "/supplier-smelters"): Case("suppliers.read"),
    ("POST", "/supplier-audits"): Case(
        "suppliers.write", json={"supplier": "NOPE", "planned_on": "2025-01-01", "auditor": "x"}
    ),
    ("POST", "/supplier-audits/{audit_id}/report"): Case(
        "suppliers.write", json={"done_on": "2025-01-01", "report_on": "2025-01-02"}
    ),
    ("POST", "/supplier-audits/{audit_id}/findings"): Case(
        "suppliers.write", json={"grade": "Minor", "family": "other", "text": "x"}
    ),
    ("POST", "/supplier-findings/{finding_id}/move"): Case(
        "suppliers.write", json={**STALE, "state": "plan_approved"}
    ),
    ("POST", "/supplier-screenings"): Case(
        "suppliers.write", json={"suppliers": ["NOPE"], "on": "2025-01-01"}
    ),
    ("POST", "/supplier-tiers"): Case(
        "suppliers.write", json={"suppliers": ["NOPE"], "on": "2025-01-01"}
    ),
    ("POST", "/supplier-imports/{kind}"): Case("suppliers.write", files=BAD_FILE),
    ("POST", "/suppliers/{supplier_id}/declarations"): Case(
        "suppliers.write", files={"file": ("cmrt.xlsx", b"not a workbook")}
    ),
    ("POST", "/supplier-questionnaires/{name}/links"): Case(
        "suppliers.write", json={"suppliers": ["NOPE"]}
    ),
    ("GET", "/runs/{run_id}"): Case("calculations.read"),
    ("GET", "/scope3/screening"): Case("calculations.read", params={"year": YEAR}),
    ("GET", "/findings"): Case("kpis.read", params={"year": YEAR}),
    ("GET", "/registers/ohs/hours"): Case("kpis.read"),
    ("GET", "/registers/ohs/incidents"): Case("kpis.read"),
    ("GET", "/registers/ohs/hazards"): Case("kpis.read"),
    ("GET", "/registers/ohs/drills"): Case("kpis.read"),
    ("GET", "/registers/ohs/operators"): Case("kpis.read"),
    ("GET", "/registers/board/members"): Case("kpis.read"),
    ("GET", "/registers/board/meetings"): Case("kpis.read"),
    ("GET", "/registers/certifications"): Case("kpis.read"),
    ("GET", "/registers/assurance"): Case("kpis.read"),
    ("GET", "/registers/giving/donations"): Case("kpis.read"),
    ("GET", "/registers/training/coverage"): Case("kpis.read"),
    ("GET", "/registers/complaints"): Case("kpis.read"),
    ("GET", "/registers/complaints/slas"): Case("kpis.read"),
    ("POST", "/registers/complaints/{ref}/move"): Case(
        "kpis.write", "SZ1", json={**STALE, "state": "assigned"}
    ),
    ("POST", "/registers/vulnerabilities/{ref}/move"): Case(
        "kpis.write", "SZ1", json={**STALE, "state": "triage"}
    ),
    ("POST", "/registers/complaints/import"): Case("kpis.write", SOME, files=BAD_FILE),
    ("POST", "/registers/vulnerabilities/import"): Case("kpis.write", SOME, files=BAD_FILE),
    ("POST", "/registers/ohs/incidents/import"): Case("kpis.write", SOME, files=BAD_FILE),
    ("POST", "/registers/ohs/hours/import"): Case("kpis.write", SOME, files=BAD_FILE),
    ("POST", "/registers/nps/import"): Case("kpis.write", SOME, files=BAD_FILE),
    ("POST", "/registers/ohs/incidents/{ref}/move"): Case(
        "kpis.write", "SZ1", json={**STALE, "state": "investigating"}
    ),
    ("GET", "/registers/nps"): Case("kpis.read", params={"year": 2025}),
    ("GET", "/registers/vulnerabilities"): Case("kpis.read"),
    ("GET", "/registers/vulnerabilities/slas"): Case("kpis.read"),
    ("GET", "/registers/whistleblowing/counts"): Case("kpis.read"),
    ("GET", "/registers/whistleblowing/cases"): Case("cases.read"),
    ("POST", "/registers/whistleblowing/links"): Case("cases.handle", json={"entity": "SZ1"}),
    ("POST", "/registers/whistleblowing/cases/{code}/move"): Case(
        "cases.handle", json={**STALE, "state": "triaged"}
    ),
    ("GET", "/requests"): Case("requests.read", SOME),
    ("GET", "/requests/overdue"): Case("requests.read", SOME),
    ("GET", "/requests/template"): Case("requests.read", SOME, params={"year": YEAR}),
    ("GET", "/requests/{request_id}"): Case("requests.read", "SZ1"),
    ("POST", "/requests"): Case("request.issue", json=ISSUE),
    ("POST", "/requests/{request_id}/value"): Case(
        "request.enter", "SZ1", json={**STALE, "value": 1, "unit": "t"}
    ),
    ("POST", "/requests/{request_id}/submit"): Case("request.submit", "SZ1", json=STALE),
    ("POST", "/requests/{request_id}/approve"): Case(
        "request.approve", "SZ1", json=STALE, assigned_review=True
    ),
    ("POST", "/requests/{request_id}/return"): Case(
        "request.return", "SZ1", json={**STALE, "comment": "why"}, assigned_review=True
    ),
    ("POST", "/requests/{request_id}/lock"): Case("request.lock", "SZ1", json=STALE),
    ("POST", "/requests/{request_id}/restate"): Case(
        "request.restate", "SZ1", json={**STALE, "value": 1, "unit": "t", "reason": "r"}
    ),
    ("POST", "/requests/{request_id}/comments"): Case(
        "request.comment", "SZ1", json={"body": "a question"}
    ),
    ("POST", "/requests/lock-year"): Case("request.lock", json={"year": 1999}),
    ("POST", "/requests/upload"): Case("request.enter", SOME, files=BAD_FILE),
    ("GET", "/requests/{request_id}/evidence"): Case("evidence.read", "SZ1"),
    ("POST", "/requests/{request_id}/evidence"): Case(
        "evidence.add", "SZ1", files={"file": ("meter.txt", b"reading 123")}
    ),
    ("GET", "/evidence/{evidence_id}"): Case("evidence.read", "SZ1"),
    ("GET", "/materiality"): Case("assessments.read"),
    ("GET", "/materiality/{year}"): Case("assessments.read"),
    ("GET", "/risks"): Case("assessments.read"),
    ("GET", "/risks/{code}"): Case("assessments.read"),
    ("GET", "/targets"): Case("assessments.read"),
    ("GET", "/targets/progress"): Case("assessments.read", params={"year": YEAR}),
    ("GET", "/audit"): Case("audit.read"),
    ("GET", "/audit/verify"): Case("audit.read"),
    ("GET", "/users"): Case("users.read"),
    ("GET", "/reports"): Case("reports.read"),
    ("GET", "/reports/{report_id}/file"): Case("reports.read"),
    ("POST", "/imports/entities"): Case("entities.write", files=BAD_FILE),
    ("POST", "/imports/activities"): Case("activities.write", SOME, files=BAD_FILE),
    ("POST", "/imports/kpis"): Case("kpis.write", SOME, files=BAD_FILE),
}


def expected(user: Principal, case: Case) -> bool:
    """What the permission matrix (and the assigned-reviewer rule) allow."""
    if case.action == SIGNED_IN:
        return user.active
    if case.entity == SOME:
        grants = MATRIX[user.role]
        allowed = can(user, case.action) or (case.action in grants.scoped and bool(user.scope))
    else:
        allowed = can(user, case.action, entity=case.entity)
    if case.assigned_review:
        allowed = allowed and (user.role == "admin" or user.username == "rita")
    return allowed


def _api_routes(api: Api) -> list[tuple[str, str]]:
    """(method, path) of every API operation: the published schema's, plus any route added
    to the app directly (FastAPI keeps included routers behind private wrappers)."""
    schema = api.client.app.openapi()  # type: ignore[attr-defined]
    out = {(m.upper(), p.removeprefix(PREFIX)) for p, item in schema["paths"].items() for m in item}
    for route in api.client.app.routes:  # type: ignore[attr-defined]
        if isinstance(route, APIRoute) and route.path.startswith(PREFIX):
            out |= {(m, route.path.removeprefix(PREFIX)) for m in route.methods}
    return sorted(out)


def test_every_route_has_a_matrix_entry(api: Api) -> None:
    routes = _api_routes(api)
    missing = [r for r in routes if r not in ROUTES]
    assert not missing, f"add these routes to ROUTES with the permission they check: {missing}"
    assert not set(ROUTES) - set(routes), "ROUTES names routes the app no longer has"


def _register_rows(api: Api, tmp: Path) -> None:
    """A complaint, a vulnerability and an OHS incident at SZ1, all ``AUTHZ-1``, for the
    move routes."""
    complaint = [*complaint_files.COMPLAINTS[0][1:]]
    vulnerability = [*vulnerability_files.ROWS[2][1:]]
    import_complaints(api.db, write_csv(tmp / "c.csv", complaint_files.HEADER,
                                        [["AUTHZ-1", *complaint]]), actor="t")  # fmt: skip
    import_vulnerabilities(api.db, write_csv(tmp / "v.csv", vulnerability_files.HEADER,
                                             [["AUTHZ-1", "SZ1", *vulnerability[1:]]]),
                           actor="t")  # fmt: skip
    import_incidents(api.db, ohs_files.incidents_file(tmp, [["AUTHZ-1", *ohs_files.INCIDENTS[0][1:]]]),
                     actor="t")  # fmt: skip


def test_every_route_allows_and_denies_as_the_matrix_says(api: Api, tmp_path: Path) -> None:
    (rid,) = api.ok("mia", "POST", "/requests", 201, json=ISSUE)["ids"]
    _register_rows(api, tmp_path)
    evidence = api.ok("olga", "POST", f"/requests/{rid}/evidence", 201,
                      files={"file": ("meter.txt", b"reading 123")})  # fmt: skip
    ids = {"request_id": rid, "evidence_id": evidence["id"], "run_id": 1, "code": "NOPE", "report_id": 1,
           "year": YEAR, "supplier_id": "NOPE", "audit_id": 999999, "finding_id": 999999,
           "name": "NOPE", "kind": "suppliers", "ref": "AUTHZ-1"}  # fmt: skip
    with api.db.read() as session:
        who = {name: principal(session, name) for name in USERS}

    wrong: list[str] = []
    checked = 0
    for (method, path), case in ROUTES.items():
        url = path.format(**{k: v for k, v in ids.items() if "{" + k + "}" in path})
        for name in [*USERS, None]:
            got = api.call(name, method, url, params=case.params, json=case.json, files=case.files)
            checked += 1
            assert got.status_code < 500, (method, url, name, got.text)
            if name is None:
                if got.status_code != 401:
                    wrong.append(f"{method} {path} without a token: {got.status_code}")
                continue
            allowed = expected(who[name], case)
            denied = got.status_code in (401, 403)
            if allowed == denied or (denied and got.status_code != 403):
                role = USERS[name][0]
                wrong.append(
                    f"{method} {path} as {name} ({role}): {got.status_code} but "
                    f"{'allowed' if allowed else 'denied'} by the matrix: {got.text[:200]}"
                )
    assert checked == len(ROUTES) * (len(USERS) + 1)
    assert not wrong, "\n".join(wrong)
