"""The workflow pages through HTTP: each role's path, and every refused post changes nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from esgledger.assess.materiality import add_topic, create_assessment, get_assessment
from esgledger.assess.respondents import add_respondent, issue_tokens, respondents_of
from esgledger.auth.users import get_user, principal, set_password
from esgledger.ledger.db import Database
from esgledger.ledger.workflow_models import DataRequest
from esgledger.workflow.requests import get_request, issue_requests, request_dict
from esgledger.workflow.review import comments
from tests.web.conftest import PASSWORD, csrf_of, fill_org, log_in, set_cookie

YEAR = 2025
DUE = dt.date(2026, 3, 31)
ISSUED = dt.date(2020, 1, 2)  # seeded history: the day the requests went out


@pytest.fixture
def org(db: Database, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The test entity tree and one user per role (olga owns HQ and SZ1, otto WH1): in
    tests/web a copy of the workspace :func:`~tests.web.conftest.fill_org` filled once per
    run, elsewhere filled here.

    Passwords are set when a user first logs in (:func:`login`): hashing is the slow part.
    """
    if not getattr(request.node, "filled", {}).get("web_org"):
        fill_org(db, tmp_path)
    return db


def login(web: TestClient, db: Database, name: str) -> str:
    """Log ``name`` in through the form (setting their password the first time)."""
    with db.write() as session:
        if not get_user(session, name).password_hash:
            set_password(session, name, PASSWORD, actor="setup")
    return log_in(web, name)


def issue(db: Database, metrics: list[str], entities: list[str], **kw: object) -> list[int]:
    with db.write() as session:
        result = issue_requests(
            session, principal(session, "mia"), year=YEAR, metrics=metrics,
            owner=kw.pop("owner", "olga"), due=kw.pop("due", DUE), entities=entities,
            reviewer=kw.pop("reviewer", "rita"), issued_on=kw.pop("issued_on", ISSUED),
        )  # fmt: skip
    return result["ids"]


def state(db: Database, rid: int) -> dict:
    with db.read() as session:
        return request_dict(session, get_request(session, rid))


def post(web: TestClient, path: str, token: str | None, **data: object):  # type: ignore[no-untyped-def]
    form = {k: str(v) for k, v in data.items()}
    if token is not None:
        form["csrf_token"] = token
    return web.post(path, data=form)


def test_owner_enters_reviewer_returns_then_approves_manager_locks(
    web: TestClient, org: Database
) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    page = web.get(f"/requests/{rid}")
    assert page.status_code == 200 and 'data-testid="enter-form"' in page.text
    assert 'data-testid="approve-form"' not in page.text  # owners never approve
    answer = post(web, f"/requests/{rid}/enter", token, version=1, value="4.5", unit="t")
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"/requests/{rid}?done=entered",
    )
    assert "Value saved." in web.get(answer.headers["location"]).text
    answer = post(web, f"/requests/{rid}/submit", token, version=2)
    assert answer.headers["location"] == f"/requests/{rid}?done=submitted"
    assert (state(org, rid)["state"], state(org, rid)["value"]) == ("submitted", 4.5)

    token = login(web, org, "rita")
    queue = web.get("/review").text
    assert f'data-request="{rid}"' in queue
    missing = post(web, f"/requests/{rid}/return", token, version=3, comment="  ")
    assert missing.status_code == 422 and "a comment is required" in missing.text
    assert state(org, rid)["state"] == "submitted"
    answer = post(web, f"/requests/{rid}/return", token, version=3, comment="Is it kg?",
                  back="review")  # fmt: skip
    assert answer.headers["location"] == f"/review?done=returned&request={rid}"
    assert f"Request {rid}: Returned" in web.get(answer.headers["location"]).text

    token = login(web, org, "olga")
    page = web.get(f"/requests/{rid}").text
    assert "Is it kg?" in page and 'class="state returned"' in page
    post(web, f"/requests/{rid}/enter", token, version=4, value="4.25", unit="t")
    post(web, f"/requests/{rid}/submit", token, version=5)

    token = login(web, org, "rita")
    answer = post(web, f"/requests/{rid}/approve", token, version=6)
    assert answer.headers["location"] == f"/requests/{rid}?done=approved"
    assert state(org, rid)["state"] == "approved"

    token = login(web, org, "mia")
    assert 'data-testid="lock-form"' in web.get(f"/requests/{rid}").text
    answer = post(web, f"/requests/{rid}/lock", token, version=7)
    assert answer.headers["location"] == f"/requests/{rid}?done=locked"
    page = web.get(answer.headers["location"]).text
    assert 'data-testid="restate-form"' in page and "Locked" in page
    after = state(org, rid)
    assert (after["state"], after["value"], after["version"]) == ("locked", 4.25, 8)
    history = re.findall(r"<td>(enter|submit|return|approve|lock)</td>", page)
    assert history == ["enter", "submit", "return", "enter", "submit", "approve", "lock"]
    # a change after lock is a restatement, with a reason, and goes back to review
    no_reason = post(web, f"/requests/{rid}/restate", token, version=8, value="4.3", unit="t")
    assert no_reason.status_code == 422 and "needs a reason" in no_reason.text
    assert 'name="value" required value="4.3"' in no_reason.text
    answer = post(web, f"/requests/{rid}/restate", token, version=8, value="4.3", unit="t",
                  reason="late invoice")  # fmt: skip
    assert answer.headers["location"] == f"/requests/{rid}?done=restated"
    after = state(org, rid)
    assert (after["state"], after["value"]) == ("submitted", 4.3)
    answer = post(web, f"/requests/{rid}/comment", token, body="Restated for the Q4 invoice")
    assert answer.headers["location"] == f"/requests/{rid}?done=commented"
    with org.read() as session:
        assert [c["kind"] for c in comments(session, rid)] == ["return", "restate", "comment"]


def test_a_stale_version_shows_the_conflict_and_keeps_what_was_typed(
    web: TestClient, org: Database
) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    assert (
        post(web, f"/requests/{rid}/enter", token, version=1, value="7", unit="t").status_code
        == 303
    )
    stale = post(web, f"/requests/{rid}/enter", token, version=1, value="99.5", unit="kg",
                  note="from the meter")  # fmt: skip
    assert stale.status_code == 409
    assert f"request {rid} was changed by olga" in stale.text
    assert "your value 99.5 kg was not saved" in stale.text
    assert 'name="value" inputmode="decimal" required value="99.5"' in stale.text
    assert 'value="from the meter"' in stale.text
    assert '<input type="hidden" name="version" value="2">' in stale.text  # what is now stored
    after = state(org, rid)
    assert (after["value"], after["unit"], after["version"]) == (7.0, "t", 2)


def test_bad_input_is_refused_with_the_services_words(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    answer = post(web, f"/requests/{rid}/enter", token, version=1, value="lots", unit="t")
    assert answer.status_code == 422
    assert f"request {rid}: value: &#39;lots&#39; is not a number" in answer.text
    early = post(web, f"/requests/{rid}/submit", token, version=1)
    assert early.status_code == 409 and "it has no value yet" in early.text
    assert state(org, rid)["version"] == 1 and state(org, rid)["value"] is None


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_post_without_the_right_csrf_token_is_refused(
    web: TestClient, org: Database, token: str | None
) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    login(web, org, "olga")
    answer = post(web, f"/requests/{rid}/enter", token, version=1, value="4.5", unit="t")
    assert answer.status_code == 403 and "security token" in answer.text
    assert state(org, rid)["version"] == 1 and state(org, rid)["value"] is None


def test_an_auditor_reads_everything_and_changes_nothing(web: TestClient, org: Database) -> None:
    sz1, wh1 = issue(org, ["packaging.plastics"], ["SZ1", "WH1"], owner="mia")
    token = login(web, org, "mia")
    post(web, f"/requests/{sz1}/enter", token, version=1, value="3.5", unit="t")
    post(web, f"/requests/{sz1}/submit", token, version=2)
    token = login(web, org, "aldo")
    listing = web.get("/requests").text
    assert f'data-request="{sz1}"' in listing and f'data-request="{wh1}"' in listing
    page = web.get(f"/requests/{sz1}").text
    assert 'data-testid="current-value">3.5 t' in page
    assert '<form method="post" action="/requests' not in page  # no forms at all
    assert 'data-testid="read-only"' in page
    before = state(org, sz1)
    for step, data in (("approve", {"version": 3}), ("return", {"version": 3, "comment": "x"}),
                       ("enter", {"version": 3, "value": "1", "unit": "t"}),
                       ("comment", {"body": "hello"})):  # fmt: skip
        answer = post(web, f"/requests/{sz1}/{step}", token, **data)
        assert answer.status_code == 403, step
        assert "aldo (auditor) may not" in answer.text
    assert state(org, sz1) == before
    with org.read() as session:
        assert comments(session, sz1) == []
    assert web.get("/review").status_code == 403
    assert web.get("/requests/issue").status_code == 403


def test_an_owner_sees_only_their_entities(web: TestClient, org: Database) -> None:
    sz1, wh1 = issue(org, ["packaging.plastics"], ["SZ1", "WH1"], owner="mia")
    (mine,) = issue(org, ["packaging.cartons"], ["HQ"])
    login(web, org, "olga")
    listing = web.get("/requests").text
    assert f'data-request="{sz1}"' in listing and f'data-request="{mine}"' in listing
    assert f'data-request="{wh1}"' not in listing
    refused = web.get(f"/requests/{wh1}")
    assert refused.status_code == 403
    assert "olga (data_owner) has no grant on entity &#39;WH1&#39;" in refused.text
    assert web.get("/requests/9999").status_code == 404
    assert web.get("/requests/abc").status_code == 404


def test_list_filters_and_the_overdue_view(web: TestClient, org: Database) -> None:
    late, fine = issue(org, ["packaging.plastics"], ["SZ1", "WH1"], owner="mia",
                       due=dt.date(2020, 1, 31))  # fmt: skip
    (future,) = issue(org, ["packaging.cartons"], ["HQ"], due=dt.date(2099, 1, 31))
    token = login(web, org, "mia")
    post(web, f"/requests/{fine}/enter", token, version=1, value="1", unit="t")
    post(web, f"/requests/{fine}/submit", token, version=2)
    login(web, org, "rita")
    post(web, f"/requests/{fine}/approve", csrf_of(web.get("/review").text), version=3)
    login(web, org, "mia")
    for url in ("/requests/overdue", "/requests?overdue=1"):
        page = web.get(url).text
        found = set(map(int, re.findall(r'data-request="(\d+)"', page)))
        assert found == {late}, url
    by_owner = web.get("/requests?owner=olga").text
    assert set(map(int, re.findall(r'data-request="(\d+)"', by_owner))) == {future}
    by_state = web.get(f"/requests?state=approved&year={YEAR}").text
    assert set(map(int, re.findall(r'data-request="(\d+)"', by_state))) == {fine}
    by_entity = web.get("/requests?entity=HQ").text  # HQ's subtree: HQ and SZ1
    assert set(map(int, re.findall(r'data-request="(\d+)"', by_entity))) == {late, future}
    assert web.get("/requests?year=abc").status_code == 422
    assert web.get("/requests?owner=nobody").status_code == 422


def test_the_manager_issues_requests_through_the_form(web: TestClient, org: Database) -> None:
    token = login(web, org, "mia")
    form = web.get("/requests/issue").text
    assert "packaging.plastics" in form and ">olga</option>" in form
    due = (dt.date.today() + dt.timedelta(days=90)).isoformat()  # the form refuses past dates
    data = {"csrf_token": token, "year": str(YEAR), "due": due, "owner": "olga",
            "reviewer": "rita", "metric": ["packaging.plastics", "packaging.cartons"],
            "entity": ["HQ", "SZ1"]}  # fmt: skip
    answer = web.post("/requests/issue", data=data)
    assert answer.headers["location"] == f"/requests?year={YEAR}&done=issued&created=4&existing=0"
    assert "4 requests issued, 0 existed already." in web.get(answer.headers["location"]).text
    again = web.post("/requests/issue", data={**data, "entity": ["WH1"]})
    assert again.status_code == 422
    assert "olga has no grant on WH1" in again.text
    assert 'value="WH1" checked' in again.text  # the form keeps the choices
    no_metric = web.post("/requests/issue", data={**data, "metric": []})
    assert no_metric.status_code == 422 and "name at least one metric" in no_metric.text
    bad_date = web.post("/requests/issue", data={**data, "due": "soon"})
    assert bad_date.status_code == 422 and "is not a date" in bad_date.text
    with org.read() as session:
        assert session.scalar(select(func.count()).select_from(DataRequest)) == 4
    login(web, org, "olga")
    assert web.get("/requests/issue").status_code == 403


def test_evidence_is_attached_and_downloaded_byte_for_byte(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    content = b"%PDF-1.4 meter reading \x00\xff"
    answer = web.post(f"/requests/{rid}/evidence", data={"csrf_token": token},
                      files={"file": ("reading.pdf", content, "application/pdf")})  # fmt: skip
    assert answer.headers["location"] == f"/requests/{rid}?done=evidence"
    page = web.get(f"/requests/{rid}").text
    (eid,) = re.findall(r'href="/evidence/(\d+)" download>reading.pdf<', page)
    got = web.get(f"/evidence/{eid}")
    assert got.content == content and "attachment" in got.headers["content-disposition"]
    empty = web.post(f"/requests/{rid}/evidence", data={"csrf_token": token},
                     files={"file": ("empty.txt", b"", "text/plain")})  # fmt: skip
    assert empty.status_code == 422 and "is empty" in empty.text
    login(web, org, "otto")
    assert web.get(f"/evidence/{eid}").status_code == 403


def _fill(xlsx: bytes, values: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(xlsx))
    ws = wb["kpis"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col["value"]).value = values[ws.cell(r, col["entity"]).value]
        ws.cell(r, col["unit"]).value = "t"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_workbook_is_downloaded_and_uploaded_all_or_nothing(
    web: TestClient, org: Database
) -> None:
    hq, sz1 = issue(org, ["packaging.plastics"], ["HQ", "SZ1"])
    issue(org, ["packaging.plastics"], ["WH1"], owner="otto")
    token = login(web, org, "olga")
    assert web.get("/template").status_code == 422
    template = web.get(f"/template?year={YEAR}")
    assert template.status_code == 200 and "olga" in template.headers["content-disposition"]
    assert web.get("/template?year=1999").status_code == 404
    bad = _fill(template.content, {"HQ": "lots", "SZ1": -2})
    answer = web.post("/upload", data={"csrf_token": token},
                      files={"file": ("olga.xlsx", bad, "application/octet-stream")})  # fmt: skip
    assert answer.status_code == 422
    (line,) = re.findall(r'role="status">([^<]*)<', answer.text)
    assert line.startswith("olga.xlsx: refused, 2 problems, nothing was stored — row 2")
    assert "&#39;lots&#39; is not a number" in line and "value is negative" in line
    assert state(org, hq)["value"] is None and state(org, sz1)["value"] is None
    good = _fill(template.content, {"HQ": 12.5, "SZ1": 3})
    answer = web.post("/upload", data={"csrf_token": token},
                      files={"file": ("olga.xlsx", good, "application/octet-stream")})  # fmt: skip
    assert answer.headers["location"] == (
        "/upload?done=uploaded&added=2&updated=0&restated=0&unchanged=0"
    )
    assert "Workbook stored: 2 added" in web.get(answer.headers["location"]).text
    assert (state(org, hq)["value"], state(org, sz1)["value"]) == (12.5, 3.0)
    junk = web.post("/upload", data={"csrf_token": token},
                    files={"file": ("notes.xlsx", b"not a workbook", "text/plain")})  # fmt: skip
    assert junk.status_code == 422 and "notes.xlsx: refused" in junk.text
    login(web, org, "aldo")
    assert web.get(f"/template?year={YEAR}").status_code == 403


def _survey(db: Database) -> str:
    with db.write() as session:
        a = create_assessment(session, year=YEAR, library="none", actor="test")
        for code in ("A", "B"):
            add_topic(session, a, code=code, name=f"Topic {code}", actor="test")
        add_respondent(session, a, group="investors", name="INV-1", actor="test")
        (token,) = issue_tokens(session, a, actor="test")
    return token["token"]


def test_a_respondent_answers_once_without_logging_in(web: TestClient, org: Database) -> None:
    token = _survey(org)
    page = web.get(f"/survey/{token}")
    assert page.status_code == 200 and "Topic A" in page.text and "Scale – Topic B" in page.text
    assert 'href="/requests"' not in page.text and "Log out" not in page.text
    form = {"csrf_token": csrf_of(page.text), "valence.0": "negative", "actuality.0": "actual",
            "scale.0": "4", "scope.0": "3"}  # fmt: skip
    refused = web.post(f"/survey/{token}", data=form)  # negative needs irremediability
    assert refused.status_code == 422
    assert "Topic A: irremediability is required for a negative impact" in refused.text
    assert '<option value="4" selected>4</option>' in refused.text  # typed answers are kept
    forged = web.post(f"/survey/{token}", data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    form["csrf_token"] = csrf_of(refused.text)
    form_cookie = web.cookies["esg_form"]
    check = web.post(f"/survey/{token}", data={**form, "irremediability.0": "2"})
    assert check.status_code == 200 and 'data-testid="survey-confirm"' in check.text
    form["csrf_token"] = csrf_of(check.text)
    form_cookie = web.cookies["esg_form"]
    answer = web.post(f"/survey/{token}", data={**form, "irremediability.0": "2", "confirmed": "1"})
    assert answer.headers["location"] == f"/survey/{token}?done=1"
    assert "your answers are recorded" in web.get(answer.headers["location"]).text
    second = web.get(f"/survey/{token}")
    assert "already been answered" in second.text and 'data-testid="survey-form"' not in second.text
    set_cookie(web, "esg_form", form_cookie)  # the very form again, with its valid token
    reused = web.post(f"/survey/{token}", data={**form, "irremediability.0": "2", "confirmed": "1"})
    assert reused.status_code == 409 and "already been answered" in reused.text
    with org.read() as session:
        (who,) = respondents_of(session, get_assessment(session, YEAR))
    assert who["responded"] is True
    assert web.get("/survey/not-a-token").status_code == 404


def test_an_upload_named_over_255_bytes_is_refused_in_one_line(
    web: TestClient, org: Database
) -> None:
    """Issue #14 (lower): the page answered 500 for a file name the file system refuses."""
    token = login(web, org, "olga")
    answer = web.post("/upload", data={"csrf_token": token},
                      files={"file": ("é" * 130 + ".xlsx", b"PK", "application/octet-stream")})  # fmt: skip
    assert answer.status_code == 422
    (line,) = re.findall(r'role="status">([^<]*)<', answer.text)
    assert "255 bytes" in line
