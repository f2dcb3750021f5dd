"""Issue #14 (tables): the audit log and the findings list sort, search, page and export
on the server, like the request list."""

from __future__ import annotations

import csv
import html
import io
import re

from fastapi.testclient import TestClient

from esgledger.checks import run_checks
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from tests.web.conftest import log_in, make_user
from tests.web.test_dashboard_pages import YEAR
from tests.web.test_read_pages import workspace  # noqa: F401 (fixture)

EVENT = re.compile(r'<tr data-event="(\d+)">')


def csv_rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text[-300:]
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_audit_log_sorts_searches_pages_and_exports(
    db: Database,
    web: TestClient,
    workspace: dict,  # noqa: F811
) -> None:
    with db.write() as session:
        audit.record(session, actor="setup", action="note.test",
                     subject="=HYPERLINK(\"http://x\")", payload={"n": 1})  # fmt: skip
    make_user(db, "ann", "auditor")
    log_in(web, "ann")
    oldest = web.get("/audit?sort=id&limit=5").text
    ids = list(map(int, EVENT.findall(oldest)))
    assert ids == [1, 2, 3, 4, 5]
    (following,) = re.findall(r'<a href="([^"]+)" rel="next"', oldest)
    assert "sort=id" in html.unescape(following) and "limit=5" in html.unescape(following)
    assert list(map(int, EVENT.findall(web.get(html.unescape(following)).text))) == [6, 7, 8, 9, 10]
    found = web.get("/audit?q=hyperlink").text
    assert len(EVENT.findall(found)) == 1 and "1–1 of 1 matching events" in found
    assert web.get("/audit?sort=payload").status_code == 422
    rows = csv_rows(web.get("/audit?format=csv&action=note.test"))
    assert [r["subject"] for r in rows] == ['\'=HYPERLINK("http://x")']  # text, not a formula
    with db.read() as session:
        total = audit.count(session)
    everything = csv_rows(web.get("/audit?format=csv&sort=id"))
    assert [int(r["id"]) for r in everything] == list(range(1, total + 1))


def test_findings_sort_search_page_and_export(
    db: Database,
    web: TestClient,
    workspace: dict,  # noqa: F811
) -> None:
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    with db.read() as session:
        found = [f for f in run_checks(session, YEAR) if f.acknowledged is None]
    assert len(found) >= 2
    one = web.get(f"/findings?year={YEAR}&limit=1").text
    assert len(re.findall(r"<tr data-key=", one)) == 1
    assert f"1–1 of {len(found)} findings" in one and 'rel="next"' in one
    by_rule = web.get(f"/findings?year={YEAR}&sort=-rule&limit=1000").text
    rules = re.findall(r'<tr data-key="[^"]*" data-rule="([^"]+)"', by_rule)
    assert rules == sorted((f.rule for f in found), reverse=True)
    target = found[0]
    searched = web.get(f"/findings?year={YEAR}&q={target.key}").text
    assert re.findall(r'<tr data-key="([^"]+)"', searched) == [target.key]
    rows = csv_rows(web.get(f"/findings?year={YEAR}&format=csv&sort=key"))
    assert [r["key"] for r in rows] == sorted(f.key for f in found)
    assert web.get(f"/findings?year={YEAR}&sort=nope").status_code == 422
