"""Issue #14 (scale, tables): long lists on pages are paged, sorted, searched and exported
by the server, and every link keeps the filters in force."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient

from esgledger.auth.users import principal
from esgledger.catalog import metrics
from esgledger.http_shared.paging import csv_response
from esgledger.ledger.db import Database
from esgledger.workflow import review
from esgledger.workflow.requests import get_request
from esgledger.workflow.values import enter_value
from tests.web import test_workflow_pages as flow
from tests.web.test_workflow_pages import issue, login

org = flow.org  # the test entity tree and one user per role (olga owns HQ and SZ1)
METRICS = [m.id for m in metrics().values() if m.kind != "derived"][:30]
ENTITIES = ["GRP", "HQ", "SZ1", "WH1", "VN1"]
ROW = re.compile(r'data-testid="request-row" data-request="(\d+)"')


def hrefs(page: str, rel: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(rf'<a href="([^"]+)" rel="{rel}"', page)]


@pytest.fixture
def many(org: Database) -> list[int]:
    """150 requests: 30 metrics × 5 entities, all owned by mia."""
    return issue(org, METRICS, ENTITIES, owner="mia")


def test_the_request_list_shows_one_page_and_links_the_next(
    web: TestClient, org: Database, many: list[int]
) -> None:
    login(web, org, "mia")
    first = web.get("/requests?entity=GRP")
    assert first.status_code == 200
    assert len(ROW.findall(first.text)) == 100
    assert "1–100 of 150 requests" in first.text
    assert hrefs(first.text, "prev") == []
    (following,) = hrefs(first.text, "next")
    assert "entity=GRP" in following and "page=2" in following  # the filter is kept
    second = web.get(following)
    assert len(ROW.findall(second.text)) == 50 and "101–150 of 150 requests" in second.text
    seen = ROW.findall(first.text) + ROW.findall(second.text)
    assert sorted(map(int, seen)) == sorted(many)


def test_column_headers_sort_on_the_server(web: TestClient, org: Database, many: list[int]) -> None:
    login(web, org, "mia")
    page = web.get("/requests?q=wuhan").text
    head = re.search(r'<a href="([^"]+)" data-sort="id">', page)
    assert head is not None
    link = html.unescape(head.group(1))
    assert "sort=id" in link and "q=wuhan" in link  # sorting keeps the search
    ascending = web.get(link).text
    ids = list(map(int, ROW.findall(ascending)))
    assert ids == sorted(ids) and len(ids) == 30
    again = html.unescape(re.search(r'<a href="([^"]+)" data-sort="id">', ascending).group(1))
    assert "sort=-id" in again  # a second click reverses
    assert list(map(int, ROW.findall(web.get(again).text))) == sorted(ids, reverse=True)
    refused = web.get("/requests?sort=owner_id")
    assert refused.status_code == 422 and "cannot sort by &#39;owner_id&#39;" in refused.text
    assert web.get("/requests?limit=5000").status_code == 422


def test_the_search_box_filters_on_the_server_and_keeps_the_order(
    web: TestClient, org: Database, many: list[int]
) -> None:
    login(web, org, "mia")
    page = web.get(f"/requests?q={METRICS[1]}&sort=-entity").text
    shown = ROW.findall(page)
    assert len(shown) == 5 and "1–5 of 5 requests" in page
    assert 'name="sort" value="-entity"' in page  # the form keeps the order
    assert f'name="q" value="{METRICS[1]}"' in page
    entities = re.findall(r'<td data-label="Entity">(GRP|HQ|SZ1|WH1|VN1)</td>', page)
    assert entities == sorted(ENTITIES, reverse=True)


def test_the_csv_export_holds_the_whole_filtered_list(
    web: TestClient, org: Database, many: list[int]
) -> None:
    login(web, org, "mia")
    page = web.get("/requests?entity=HQ&sort=-id").text
    link = html.unescape(re.search(r'<a href="([^"]+)" data-testid="csv"', page).group(1))
    assert "format=csv" in link and "entity=HQ" in link
    got = web.get(link)
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert len(rows) == 60  # HQ and SZ1, every page
    assert {r["entity"] for r in rows} == {"HQ", "SZ1"}
    ids = [int(r["id"]) for r in rows]
    assert ids == sorted(ids, reverse=True)
    assert rows[0]["metric name"] == metrics()[rows[0]["metric"]].name


def test_a_data_owner_pages_only_through_their_entities(
    web: TestClient, org: Database, many: list[int]
) -> None:
    login(web, org, "olga")
    page = web.get("/requests").text
    assert "1–60 of 60 requests" in page
    body = web.get("/requests?format=csv").content.decode("utf-8-sig")
    assert {r["entity"] for r in csv.DictReader(io.StringIO(body))} == {"HQ", "SZ1"}


def test_csv_text_cells_never_run_as_formulas() -> None:
    rows = [{"note": "=cmd|' /C calc'!A0", "name": "@SUM(1)", "plain": "Wuhan", "n": -5}]
    cols = [("note", "note"), ("name", "name"), ("plain", "plain"), ("n", "n")]
    body = csv_response(rows, cols, "x.csv").body.decode("utf-8-sig")
    (row,) = list(csv.DictReader(io.StringIO(body)))
    assert row == {"note": "'=cmd|' /C calc'!A0", "name": "'@SUM(1)", "plain": "Wuhan", "n": "-5"}


def test_the_review_queue_pages_the_requests_for_this_reviewer(
    web: TestClient, org: Database
) -> None:
    mine = issue(org, METRICS[:3], ["WH1"], owner="mia", reviewer="rita")
    (other,) = issue(org, METRICS[3:4], ["WH1"], owner="mia", reviewer="rex")
    with org.write() as session:
        mia = principal(session, "mia")
        for rid in [*mine, other]:
            unit = metrics()[get_request(session, rid).metric_id].unit
            enter_value(session, mia, rid, version=1, value=1, unit=unit)
            review.submit(session, mia, rid, version=2)
    login(web, org, "rita")
    first = web.get("/review?limit=2&sort=id").text
    shown = re.findall(r'data-testid="review-row" data-request="(\d+)"', first)
    assert list(map(int, shown)) == mine[:2] and "1–2 of 3 requests" in first
    assert "3 submitted requests waiting for you" in first  # the queue, not the page
    (following,) = hrefs(first, "next")
    rest = web.get(following).text
    assert re.findall(r'data-testid="review-row" data-request="(\d+)"', rest) == [str(mine[2])]
    assert web.get("/review?sort=secret").status_code == 422
