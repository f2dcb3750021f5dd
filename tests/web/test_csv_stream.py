"""Issue #14 (pages): the request list's CSV export of a whole year is streamed a page at a
time, holds every row once in order, and an export over the limit is refused whole."""

from __future__ import annotations

import csv
import html
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from esgledger.auth.users import principal
from esgledger.catalog import metrics
from esgledger.http_shared import paging
from esgledger.ledger.db import Database
from esgledger.ledger.models import KpiValue
from esgledger.ledger.workflow_models import DataRequest
from esgledger.web import listing
from esgledger.workflow.request_list import request_dicts
from esgledger.workflow.requests import get_request
from esgledger.workflow.values import enter_value
from tests.web.test_list_pages import many, org  # noqa: F401 - fixtures
from tests.web.test_workflow_pages import login


def test_the_csv_is_streamed_in_chunks_with_every_row_once(
    web: TestClient,
    org: Database,  # noqa: F811
    many: list[int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
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
    web: TestClient,
    org: Database,  # noqa: F811
    many: list[int],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(listing, "CSV_ROWS", 10)
    login(web, org, "mia")
    refused = web.get("/requests?format=csv")
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("text/html")
    assert "more than a CSV export's 10" in html.unescape(refused.text)


def test_the_export_reads_plain_rows_with_the_same_cells_as_the_list(
    web: TestClient,
    org: Database,  # noqa: F811
    many: list[int],  # noqa: F811
) -> None:
    """A year's export is thousands of rows: it is read as plain rows in one ordered query,
    no request or value loaded as an ORM object, and holds what the list shows."""
    with org.write() as session:
        mia = principal(session, "mia")
        for rid in many[:4]:
            unit = metrics()[get_request(session, rid).metric_id].unit
            enter_value(session, mia, rid, version=1, value=rid / 3, unit=unit)
    with org.read() as session:
        shown = {
            r["id"]: r for r in request_dicts(session, [get_request(session, i) for i in many])
        }
    loaded: list[object] = []

    def count(target: object, context: object) -> None:
        loaded.append(target)

    login(web, org, "mia")
    for model in (DataRequest, KpiValue):
        event.listen(model, "load", count)
    try:
        got = web.get("/requests?format=csv&sort=-owner")
    finally:
        for model in (DataRequest, KpiValue):
            event.remove(model, "load", count)
    assert got.status_code == 200 and loaded == []
    rows = list(csv.DictReader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == sorted(many)
    for row in rows:
        want = shown[int(row["id"])]
        assert row["owner"] == want["owner"] and row["reviewer"] == (want["reviewer"] or "")
        assert row["value"] == ("" if want["value"] is None else str(want["value"]))
        assert row["unit"] == (want["unit"] or "") and row["status"] == (want["status"] or "")
        assert row["state"] == want["state"] and row["due"] == want["due"]
        assert row["overdue"] == str(want["overdue"]) and row["metric"] == want["metric"]
        assert row["metric name"] == metrics()[want["metric"]].name
    assert sum(r["value"] != "" for r in rows) == 4
