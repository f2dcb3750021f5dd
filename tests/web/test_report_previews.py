"""Issue #14 (PDF previews): a preview renders in the background, a status page follows
it, one job per ledger state, year and format, at most ``ESG_PREVIEW_WORKERS`` at once,
and a reader asking for the same state gets the finished file; a year that cannot be
reported, or a render that fails, gets a clear page, never a broken download."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.web.conftest import log_in, make_user
from tests.web.test_dashboard_pages import YEAR

STATE = re.compile(r'data-testid="preview-state" data-state="(\w+)"')


@pytest.fixture
def workspace(dashboard_workspace: dict[str, Any]) -> dict[str, Any]:
    """:func:`build_workspace`'s group, filled once per run and copied (tests/web/conftest.py)."""
    return dashboard_workspace


def wait_for(web: TestClient, status_url: str) -> str:
    """Follow a preview's status page (as its refresh would) until it has finished."""
    for _ in range(1200):  # a bound on polls, not on time: the render's speed is not tested
        page = web.get(status_url)
        state = STATE.search(page.text)
        assert state, page.text[:300]
        if state.group(1) in ("done", "failed"):
            return page.text
        assert '<meta http-equiv="refresh"' in page.text
        time.sleep(0.1)
    raise AssertionError(f"{status_url} never finished")


def fetch_preview(web: TestClient, year: int, fmt: str) -> httpx.Response:
    """The preview file of ``year`` in ``fmt``, through the status page if it is not ready."""
    first = web.get(f"/reports/download?year={year}&format={fmt}")
    if first.status_code != 303:
        return first
    page = wait_for(web, first.headers["location"])
    link = re.search(r'href="(/reports/preview/\w+/file)"', page)
    assert link, page[:500]
    return web.get(link.group(1))


# The PDF preview on SQLite; on PostgreSQL the same job's HTML. publish_report reads the
# ledger in one session before it writes any format, and the PDF is WeasyPrint's layout of
# that HTML with no read of its own (disclose/publish.py): PostgreSQL's part is the same for
# both formats, and a PDF render (~7 CPU s here, twice a test) was paid on both (#20). The
# job after a data change is the HTML's on both: the state in the job's key, not the PDF.
PREVIEWED = {"sqlite": ("pdf", b"%PDF"), "postgresql": ("html", b"<!DOCTYPE html>")}


def test_a_preview_renders_in_the_background_once_per_ledger_state(
    db: Database, cli: Cli, web: TestClient, workspace: dict
) -> None:
    fmt, magic = PREVIEWED[db.dialect]
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    start = web.get(f"/reports/download?year={YEAR}&format={fmt}")
    assert start.status_code == 303, "no render inside the request"
    status_url = start.headers["location"]
    assert re.fullmatch(r"/reports/preview/\w+", status_url)
    page = wait_for(web, status_url)
    assert 'data-state="done"' in page and f"esg-report-{YEAR}.{fmt}" in page
    made = web.get(f"{status_url}/file")
    assert made.status_code == 200 and made.content.startswith(magic)
    assert made.headers["content-disposition"].startswith("attachment;")

    again = web.get(f"/reports/download?year={YEAR}&format={fmt}")  # same ledger state
    assert again.status_code == 200 and again.content == made.content, "served from cache"
    other_reader = TestClient(web.app, follow_redirects=False)
    make_user(db, "ann", "auditor")  # a sign-in or a new user changes no figure
    log_in(other_reader, "ann")
    assert other_reader.get(f"/reports/download?year={YEAR}&format={fmt}").content == made.content

    # A data change starts a new job, asked of the HTML (the job's key is the ledger state,
    # the year and the format: the PDF's layout after it would be paid again for nothing).
    html_url = status_url
    if fmt != "html":
        html_job = web.get(f"/reports/download?year={YEAR}&format=html")
        assert html_job.status_code == 303 and html_job.headers["location"] != status_url
        html_url = html_job.headers["location"]
        assert 'data-state="done"' in wait_for(web, html_url)
        assert web.get(f"/reports/download?year={YEAR}&format=html").status_code == 200
    cli("calc", "--year", str(YEAR))  # the data changed: a new job
    changed = web.get(f"/reports/download?year={YEAR}&format=html")
    assert changed.status_code == 303 and changed.headers["location"] != html_url
    assert 'data-state="done"' in wait_for(web, changed.headers["location"])


def test_at_most_the_configured_number_of_previews_render_at_once(
    db: Database, web: TestClient, workspace: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_PREVIEW_WORKERS", "1")
    make_user(db, "mia", "esg_manager")
    log_in(web, "mia")
    started = [web.get(f"/reports/download?year={y}&format={f}")
               for y, f in ((YEAR, "html"), (YEAR, "xlsx"), (YEAR - 1, "html"))]  # fmt: skip
    assert [s.status_code for s in started] == [303, 303, 303]
    assert len({s.headers["location"] for s in started}) == 3
    for s in started:
        assert 'data-state="done"' in wait_for(web, s.headers["location"])
    assert web.app.state.previews.most_running == 1  # type: ignore[attr-defined]


def test_a_year_without_data_or_a_failed_render_gets_a_clear_page(
    db: Database, web: TestClient, workspace: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db, "mia", "esg_manager")
    make_user(db, "olga_b", "data_owner")
    log_in(web, "mia")
    empty = web.get("/reports/download?year=1990&format=pdf")
    assert empty.status_code == 422 and empty.headers["content-type"].startswith("text/html")
    assert "content-disposition" not in empty.headers
    assert "no report for 1990" in empty.text and str(YEAR) in empty.text
    assert web.get("/reports/preview/nosuchjob").status_code == 404

    monkeypatch.setenv("ESG_FAULT_POINT", "report.staged:enospc")  # the disk fills up
    start = web.get(f"/reports/download?year={YEAR}&format=html")
    page = wait_for(web, start.headers["location"])
    assert 'data-state="failed"' in page and "could not be rendered" in page
    assert web.get(start.headers["location"]).status_code == 422
    assert web.get(f"{start.headers['location']}/file").status_code == 303  # no broken file
    monkeypatch.delenv("ESG_FAULT_POINT")
    retry = web.get(f"/reports/download?year={YEAR}&format=html")  # "Try again"
    assert retry.status_code == 303
    assert 'data-state="done"' in wait_for(web, retry.headers["location"])

    owner = TestClient(web.app, follow_redirects=False)
    log_in(owner, "olga_b")
    assert owner.get(start.headers["location"]).status_code == 403
