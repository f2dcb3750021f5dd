"""Issue #14 (pages): the request list's CSV export of a whole year is streamed a page at a
time, holds every row once in order, and an export over the limit is refused whole."""

from __future__ import annotations

import csv
import html
import io

import pytest
from fastapi.testclient import TestClient

from esgledger.http_shared import paging
from esgledger.ledger.db import Database
from esgledger.web import listing
from tests.web.test_list_pages import many, org  # noqa: F401 - fixtures
from tests.web.test_workflow_pages import login


def test_the_csv_is_streamed_in_chunks_with_every_row_once(
    web: TestClient, org: Database, many: list[int], monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setattr(listing, "MAX_LIMIT", 7)  # many pages of the list, as a year would be
    monkeypatch.setattr(paging, "STREAM_ROWS", 5)  # many chunks on the wire
    login(web, org, "mia")
    with web.stream("GET", "/requests?format=csv&sort=id") as got:
        assert got.status_code == 200 and "content-length" not in got.headers
        chunks = list(got.iter_raw())
    assert len(chunks) > 1
    body = b"".join(chunks).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [int(r["id"]) for r in rows] == sorted(many)


def test_an_export_over_the_limit_is_refused_before_any_byte(
    web: TestClient, org: Database, many: list[int], monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    monkeypatch.setattr(listing, "CSV_ROWS", 10)
    login(web, org, "mia")
    refused = web.get("/requests?format=csv")
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")
    assert "more than a CSV export's 10" in html.unescape(refused.text)
