"""Issue #14, "daily work to make easy": the pages a data team uses every day, through HTTP.

Template year and wording, the materiality empty state, the review queue's context (prior
year, evidence, owner's notes, changed since submitted) and bulk approve, the survey's
minimum and confirmation step, and the issue form's due date. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from esgledger.assess.materiality import add_topic, create_assessment
from esgledger.assess.respondents import add_respondent, issue_tokens, respondents_of
from esgledger.auth.users import principal
from esgledger.ledger.db import Database
from esgledger.ledger.kpis import import_kpis
from esgledger.workflow import review
from esgledger.workflow.evidence import add_evidence
from esgledger.workflow.requests import issue_requests
from esgledger.workflow.values import enter_value
from tests.web.conftest import csrf_of
from tests.web.test_workflow_pages import DUE, ISSUED, YEAR, login, org, post, state

__all__ = ["org"]  # the fixture, imported for pytest
STATUS = re.compile(r'role="status">([^<]*)<')


def issue(db: Database, metrics: list[str], entities: list[str], **kw: object) -> list[int]:
    """Requests issued by mia: olga owns them and rita reviews, unless said otherwise."""
    with db.write() as s:
        result = issue_requests(
            s, principal(s, "mia"), year=int(kw.get("year", YEAR)), metrics=metrics,  # type: ignore[call-overload]
            owner=str(kw.get("owner", "olga")), due=DUE, entities=entities,
            reviewer=kw.get("reviewer", "rita"), issued_on=ISSUED,  # type: ignore[arg-type]
        )  # fmt: skip
    return list(result["ids"])


def _enter_submit(
    db: Database, rid: int, value: float, note: str = "", owner: str = "olga"
) -> None:
    with db.write() as s:
        req = enter_value(s, principal(s, owner), rid, version=1, value=value, unit="t", note=note)
        review.submit(s, principal(s, owner), rid, version=req.version)


# ---------------------------------------------------------------------------------------------
# 1. Template download


def test_the_template_form_defaults_to_the_open_year_and_names_no_cli_command(
    web: TestClient, org: Database
) -> None:
    """The default was last calendar year and the refusal said "run `esg request issue`"."""
    with org.write() as s:
        issue_requests(s, principal(s, "mia"), year=2031, metrics=["packaging.plastics"],
                       owner="olga", due=dt.date(2032, 3, 31), entities=["HQ"])  # fmt: skip
    issue(org, ["packaging.plastics"], ["SZ1"])
    login(web, org, "olga")
    page = web.get("/upload").text
    assert re.search(r'<option value="2031"[^>]*selected', page), page
    assert '<option value="2025"' in page  # the other open year is offered too
    assert "esg " not in page.replace("esgledger", "")
    refused = web.get("/template?year=1999")
    assert refused.status_code == 404
    (line,) = STATUS.findall(refused.text)
    assert "no open data requests of yours for 1999" in line and "`esg" not in line
    login(web, org, "otto")  # nothing open for otto: the page says so instead of a form
    empty = web.get("/upload").text
    assert 'data-testid="no-open-requests"' in empty and "esg " not in empty.replace(
        "esgledger", ""
    )


def test_the_workbook_instructions_name_the_upload_page_not_a_command(
    web: TestClient, org: Database
) -> None:
    import io

    from openpyxl import load_workbook

    issue(org, ["packaging.plastics"], ["SZ1"])
    login(web, org, "olga")
    wb = load_workbook(io.BytesIO(web.get(f"/template?year={YEAR}").content))
    text = " ".join(str(c.value or "") for ws in wb for row in ws.iter_rows() for c in row)
    assert "esg request upload" not in text and "Upload page" in text


# ---------------------------------------------------------------------------------------------
# 2. Materiality


def test_an_empty_assessment_shows_next_steps_not_a_raw_error(
    web: TestClient, org: Database
) -> None:
    with org.write() as s:
        create_assessment(s, year=YEAR, library="none", actor="test")
    login(web, org, "mia")
    page = web.get("/materiality")
    assert page.status_code == 200
    assert 'data-testid="materiality-empty"' in page.text
    assert "`esg" not in page.text and "<code>esg" not in page.text
    assert "Add respondents and send each their one-time survey link" in page.text
    assert 'data-testid="start-assessment"' in page.text  # a manager may start the next one
    login(web, org, "aldo")  # a reader gets the same state, no error and no start button
    seen = web.get("/materiality").text
    assert 'data-testid="materiality-empty"' in seen and "start-assessment" not in seen


def test_no_assessment_at_all_links_to_how_to_start(web: TestClient, org: Database) -> None:
    token = login(web, org, "mia")
    page = web.get("/materiality").text
    assert 'data-testid="materiality-empty"' in page and "<code>esg" not in page
    started = post(web, "/materiality/start", token, year=YEAR)
    assert started.status_code == 303
    page = web.get(started.headers["location"]).text
    assert f"{YEAR} double materiality" in page and 'data-testid="no-matrix"' in page


# ---------------------------------------------------------------------------------------------
# 3. Review queue, owner notes, bulk approve


def test_the_review_queue_shows_prior_year_evidence_notes_and_changes(
    web: TestClient, org: Database
) -> None:
    (prior,) = issue(org, ["packaging.plastics"], ["SZ1"], year=YEAR - 1)
    with org.write() as s:
        enter_value(s, principal(s, "olga"), prior, version=1, value=8.0, unit="t")
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    with org.write() as s:
        req = enter_value(s, principal(s, "olga"), rid, version=1, value=10.0, unit="t",
                          note="new moulding line since March")  # fmt: skip
        add_evidence(s, principal(s, "olga"), rid, name="meter.pdf", content=b"%PDF-1.4 x",
                     media_type="application/pdf")  # fmt: skip
        review.submit(s, principal(s, "olga"), rid, version=req.version)
    (moved,) = issue(org, ["packaging.cartons"], ["SZ1"])
    _enter_submit(org, moved, 3.0)
    import_kpis_as_restatement(org, "SZ1", "packaging.cartons", 4.0)
    login(web, org, "rita")
    queue = web.get("/review").text
    row = _row(queue, rid)
    assert 'data-testid="prior"' in row and "8" in _cell(row, "prior")
    assert "+25" in _cell(row, "prior")  # 8 → 10 t
    assert _cell(row, "evidence").strip().startswith("1")
    assert "new moulding line since March" in _cell(row, "note")
    assert 'data-testid="changed"' not in row
    assert 'data-testid="changed"' in _row(queue, moved)
    assert "Plastic packaging" in row or "plastic" in row.lower()  # the metric's name


def import_kpis_as_restatement(db: Database, entity: str, metric: str, value: float) -> None:
    """A manager restates the figure by import after submission (the ledger value moves)."""
    import tempfile
    from pathlib import Path

    from tests.factories import write_csv

    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(
            Path(folder) / "kpis.csv",
            ["entity", "year", "metric", "value", "unit", "restatement_reason"],
            [[entity, YEAR, metric, value, "t", "meter recalibrated"]],
        )
        import_kpis(db, path, actor="mia")


def _row(page: str, rid: int) -> str:
    found = re.search(rf'<tr data-testid="review-row" data-request="{rid}".*?</tr>', page, re.S)
    assert found, f"request {rid} not in the queue"
    return found.group(0)


def _cell(row: str, name: str) -> str:
    found = re.search(rf'<td[^>]*data-testid="{name}"[^>]*>(.*?)</td>', row, re.S)
    assert found, f"no {name} cell in {row}"
    return found.group(1)


def test_owner_notes_survive_a_resave_and_reach_the_reviewer(
    web: TestClient, org: Database
) -> None:
    """Issue #14 (lost work): a re-save without the note erased it; the reviewer never saw it."""
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    token = login(web, org, "olga")
    post(web, f"/requests/{rid}/enter", token, version=1, value="4.5", unit="t",
         note="estimated from invoices")  # fmt: skip
    page = web.get(f"/requests/{rid}").text
    assert 'value="estimated from invoices"' in page  # the form keeps the note
    post(web, f"/requests/{rid}/enter", token, version=2, value="4.75", unit="t", note="")
    post(web, f"/requests/{rid}/enter", token, version=3, value="4.8", unit="t",
         note="meter read 31 Dec")  # fmt: skip
    post(web, f"/requests/{rid}/submit", token, version=4)
    assert state(org, rid)["state"] == "submitted"
    login(web, org, "rita")
    row = _row(web.get("/review").text, rid)
    assert "meter read 31 Dec" in _cell(row, "note")
    detail = web.get(f"/requests/{rid}").text
    notes = re.search(r'data-testid="comments">(.*?)</ul>', detail, re.S)
    assert notes and "estimated from invoices" in notes.group(1)
    assert "meter read 31 Dec" in notes.group(1)


def test_bulk_approve_runs_each_item_through_the_same_rules(web: TestClient, org: Database) -> None:
    a, b = issue(org, ["packaging.plastics"], ["HQ", "SZ1"], reviewer=None)
    (c,) = issue(org, ["packaging.cartons"], ["SZ1"], reviewer=None)
    _enter_submit(org, a, 1.0)
    _enter_submit(org, b, 2.0)
    with org.write() as s:  # mia (a manager) entered and submitted c
        req = enter_value(s, principal(s, "mia"), c, version=1, value=3.0, unit="t")
        review.submit(s, principal(s, "mia"), c, version=req.version)
    token = login(web, org, "ada")
    queue = web.get("/review").text
    assert 'data-testid="bulk-approve"' in queue
    versions = {rid: state(org, rid)["version"] for rid in (a, b, c)}
    stale = f"{b}:{versions[b] - 1}"
    no_csrf = web.post("/review/approve", data={"item": [f"{a}:{versions[a]}"]})
    assert no_csrf.status_code == 403 and state(org, a)["state"] == "submitted"
    answer = web.post(
        "/review/approve",
        data={"csrf_token": token, "item": [f"{a}:{versions[a]}", stale, f"{c}:{versions[c]}"]},
    )
    assert answer.status_code == 409  # not all done: said so, item by item
    results = re.search(r'data-testid="bulk-results">(.*?)</table>', answer.text, re.S)
    assert results, answer.text
    assert re.search(rf'data-request="{a}"[^>]*>.*?approved', results.group(1), re.S)
    assert re.search(rf'data-request="{b}"[^>]*>.*?changed by', results.group(1), re.S)
    assert state(org, a)["state"] == "approved"
    assert state(org, b)["state"] == "submitted"  # a stale version is refused, item by item
    assert state(org, c)["state"] == "approved"  # ada (admin) may approve what mia entered
    token = login(web, org, "rita")
    again = web.post(
        "/review/approve",
        data={"csrf_token": token, "item": [f"{b}:{versions[b]}", f"{c}:{versions[c]}"]},
    )
    assert again.status_code == 409 and state(org, b)["state"] == "approved"
    assert re.search(rf'data-request="{c}"[^>]*>.*?changed by', again.text, re.S)


def test_bulk_approve_keeps_four_eyes_and_refuses_readers(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"], owner="ada", reviewer=None)
    with org.write() as s:
        req = enter_value(s, principal(s, "ada"), rid, version=1, value=3.0, unit="t")
        review.submit(s, principal(s, "ada"), rid, version=req.version)
    token = login(web, org, "ada")
    version = state(org, rid)["version"]
    own = web.post("/review/approve", data={"csrf_token": token, "item": [f"{rid}:{version}"]})
    assert own.status_code == 409 and "cannot also approve" in own.text
    assert state(org, rid)["state"] == "submitted"
    none = web.post("/review/approve", data={"csrf_token": token})
    assert none.status_code == 422 and "tick" in " ".join(STATUS.findall(none.text))
    token = login(web, org, "aldo")
    refused = web.post("/review/approve", data={"csrf_token": token, "item": [f"{rid}:{version}"]})
    assert refused.status_code == 403 and state(org, rid)["state"] == "submitted"


# ---------------------------------------------------------------------------------------------
# 4. Survey


def _survey(db: Database, topics: int) -> str:
    with db.write() as s:
        a = create_assessment(s, year=YEAR, mode="single", library="none", actor="test")
        for i in range(topics):
            add_topic(s, a, code=f"T{i}", name=f"Topic {i}", actor="test")
        add_respondent(s, a, group="customers", name="C-1", actor="test")
        (token,) = issue_tokens(s, a, actor="test")
    return token["token"]


def _responded(db: Database) -> bool:
    from esgledger.assess.materiality import get_assessment

    with db.read() as s:
        (who,) = respondents_of(s, get_assessment(s, YEAR))
    return bool(who["responded"])


def test_a_survey_needs_the_minimum_and_a_confirmation_before_the_link_locks(
    web: TestClient, org: Database
) -> None:
    token = _survey(org, 6)
    page = web.get(f"/survey/{token}").text
    assert "at least 3 of the 6 topics" in page
    one = {"csrf_token": csrf_of(page), "score.0": "4"}
    refused = web.post(f"/survey/{token}", data=one)
    assert refused.status_code == 422 and "at least 3 of the 6 topics" in refused.text
    assert not _responded(org)
    no_view = {**one, "csrf_token": csrf_of(refused.text), "no_view": "1"}
    check = web.post(f"/survey/{token}", data=no_view)
    assert check.status_code == 200 and 'data-testid="survey-confirm"' in check.text
    assert "1 of 6 topics" in check.text and not _responded(org)
    three = {"csrf_token": csrf_of(check.text), "score.0": "4", "score.2": "2", "score.5": "5"}
    check = web.post(f"/survey/{token}", data=three)
    assert 'data-testid="survey-confirm"' in check.text and not _responded(org)
    confirmed = {**three, "csrf_token": csrf_of(check.text), "confirmed": "1"}
    answer = web.post(f"/survey/{token}", data=confirmed)
    assert answer.status_code == 303 and _responded(org)


# ---------------------------------------------------------------------------------------------
# 5. Issue form


def test_the_issue_form_refuses_a_past_due_date_in_one_line(web: TestClient, org: Database) -> None:
    token = login(web, org, "mia")
    form = web.get("/requests/issue").text
    assert 'type="checkbox" name="metric"' in form and 'type="checkbox" name="entity"' in form
    assert 'data-testid="filter-metric"' in form
    past = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    answer = post(web, "/requests/issue", token, year=YEAR, due=past, owner="olga",
                  metric="packaging.plastics", entity="SZ1")  # fmt: skip
    assert answer.status_code == 422
    (line,) = STATUS.findall(answer.text)
    assert line == f"due date {past} is in the past; choose today or a later date"
    assert 'value="packaging.plastics" checked' in answer.text  # the choice is kept
    with org.read() as s:
        from sqlalchemy import func, select

        from esgledger.ledger.workflow_models import DataRequest

        assert s.scalar(select(func.count()).select_from(DataRequest)) == 0


# ---------------------------------------------------------------------------------------------
# 6. Names for owners


def test_an_owner_reads_metric_names_with_the_code_beside(web: TestClient, org: Database) -> None:
    (rid,) = issue(org, ["packaging.plastics"], ["SZ1"])
    login(web, org, "olga")
    page = web.get("/").text
    row = re.search(rf'<tr data-request="{rid}".*?</tr>', page, re.S)
    assert row, page
    assert f'<a href="/requests/{rid}">Plastic packaging</a>' in row.group(0)
    assert '<span class="muted">packaging.plastics</span>' in row.group(0)
    assert "Shenzhen plant" in row.group(0)
