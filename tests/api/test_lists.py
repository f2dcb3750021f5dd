"""Issue #14 (scale): API lists are paged, sorted and filtered by the server.

`GET /requests` answered every row of a year (4,300 at team scale) in one body; now it
answers one page, with RFC 8288 `Link` headers and `X-Total-Count`, a bounded `limit`, a
whitelisted `sort` (422 on anything else) and the filters applied before paging.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgledger.catalog import metrics
from esgledger.ledger.activities import import_activities
from tests.api.conftest import YEAR, Api, problem
from tests.factories import ACTIVITY_HEADER, monthly_rows, write_csv

METRICS = [m.id for m in metrics().values() if m.kind != "derived"][:30]
ENTITIES = ["GRP", "HQ", "SZ1", "WH1", "VN1"]
LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')


def issue(api: Api, metric_ids: list[str], entities: list[str], owner: str = "mia") -> list[int]:
    body = {"year": YEAR, "metrics": metric_ids, "owner": owner, "due": "2099-03-31",
            "entities": entities}  # fmt: skip
    return api.ok("mia", "POST", "/requests", 201, json=body)["ids"]


def links(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {rel: url for url, rel in LINK.findall(response.headers["Link"])}


@pytest.fixture
def many(api: Api) -> list[int]:
    """150 requests: 30 metrics × 5 entities."""
    return issue(api, METRICS, ENTITIES)


def test_requests_come_one_page_at_a_time_with_link_headers(api: Api, many: list[int]) -> None:
    first = api.call("aldo", "GET", "/requests")
    assert first.status_code == 200
    assert len(first.json()) == 100  # the default page size
    assert first.headers["X-Total-Count"] == "150"
    rels = links(first)
    assert set(rels) == {"first", "next", "last"}  # no prev on page 1
    assert "page=2" in rels["next"] and "page=2" in rels["last"]
    second = api.client.get(rels["next"], headers=api.headers("aldo"))
    assert len(second.json()) == 50 and set(links(second)) == {"first", "prev", "last"}
    seen = [r["id"] for r in first.json()] + [r["id"] for r in second.json()]
    assert sorted(seen) == sorted(many)  # every row once: no overlap, none skipped
    past = api.call("aldo", "GET", "/requests?page=3")
    assert past.json() == [] and past.headers["X-Total-Count"] == "150"


def test_limit_is_bounded_and_the_sort_key_whitelisted(api: Api, many: list[int]) -> None:
    assert len(api.ok("aldo", "GET", "/requests?limit=1000")) == 150
    for bad in ("limit=1001", "limit=0", "page=0", "limit=abc"):
        problem(api.call("aldo", "GET", f"/requests?{bad}"), 422)
    body = problem(api.call("aldo", "GET", "/requests?sort=password_hash"), 422)
    assert "cannot sort by 'password_hash'" in body["detail"] and "due" in body["detail"]


def test_sort_keys_order_the_whole_list(api: Api, many: list[int]) -> None:
    newest = api.ok("aldo", "GET", "/requests?sort=-id&limit=10")
    assert [r["id"] for r in newest] == sorted(many, reverse=True)[:10]
    by_entity = api.ok("aldo", "GET", "/requests?sort=entity&limit=1000")
    assert [r["entity"] for r in by_entity] == sorted(r["entity"] for r in by_entity)
    by_metric = api.ok("aldo", "GET", "/requests?sort=-metric&limit=1000")
    assert [r["metric"] for r in by_metric] == sorted(METRICS * 5, reverse=True)


def test_filters_and_search_apply_before_paging(api: Api, many: list[int]) -> None:
    wuhan = api.call("aldo", "GET", "/requests?entity=WH1&limit=7")
    assert wuhan.headers["X-Total-Count"] == "30"
    assert {r["entity"] for r in wuhan.json()} == {"WH1"} and len(wuhan.json()) == 7
    assert "entity=WH1" in links(wuhan)["next"]  # the filter is kept in every link
    by_name = api.call("aldo", "GET", "/requests?q=wuhan")  # the entity's name
    assert by_name.headers["X-Total-Count"] == "30"
    one_metric = api.ok("aldo", "GET", f"/requests?q={METRICS[0]}&entity=VN1")
    assert [(r["metric"], r["entity"]) for r in one_metric] == [(METRICS[0], "VN1")]
    assert api.ok("aldo", "GET", "/requests?state=approved") == []


def test_a_data_owner_pages_only_through_their_entities(api: Api, many: list[int]) -> None:
    mine = issue(api, METRICS[:3], ["SZ1"], owner="olga")  # already there: none created
    assert mine == []
    got = api.call("olga", "GET", "/requests?limit=5")
    assert got.headers["X-Total-Count"] == "60"  # HQ and SZ1 (her grant's subtree)
    everything = api.ok("olga", "GET", "/requests?limit=1000")
    assert {r["entity"] for r in everything} == {"HQ", "SZ1"}


def test_the_overdue_list_is_paged_too(api: Api, many: list[int]) -> None:
    late = api.call("aldo", "GET", "/requests/overdue?today=2100-01-01&limit=20&sort=-id")
    assert late.headers["X-Total-Count"] == "150" and len(late.json()) == 20
    assert [r["id"] for r in late.json()] == sorted(many, reverse=True)[:20]
    none_yet = api.call("aldo", "GET", "/requests/overdue?today=2020-01-01")
    assert none_yet.headers["X-Total-Count"] == "0" and none_yet.json() == []


def test_activities_and_findings_page_the_same_way(api: Api, tmp_path: Path) -> None:
    rows = [
        row
        for entity in ("SZ1", "WH1", "VN1")
        for row in monthly_rows(entity, "electricity.purchased", "MWh", YEAR, 100.0)
    ]
    import_activities(api.db, write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows), actor="t")
    first = api.call("aldo", "GET", "/activities?limit=10&sort=-start")
    assert first.headers["X-Total-Count"] == "36" and len(first.json()) == 10
    starts = [r["start"] for r in first.json()]
    assert starts == sorted(starts, reverse=True) and starts[0] == f"{YEAR}-12-01"
    last = api.client.get(links(first)["last"], headers=api.headers("aldo"))
    assert len(last.json()) == 6 and "sort=-start" in links(first)["last"]
    only = api.call("aldo", "GET", "/activities?entity=WH1&limit=1000")
    assert only.headers["X-Total-Count"] == "12"
    searched = api.call("aldo", "GET", "/activities?q=vn1")
    assert searched.headers["X-Total-Count"] == "12"
    assert {r["entity"] for r in searched.json()} == {"VN1"}
    problem(api.call("aldo", "GET", "/activities?limit=5000"), 422)
    problem(api.call("aldo", "GET", "/activities?sort=quantity"), 422)
    checked = api.call("aldo", "GET", f"/findings?year={YEAR}&limit=5")
    assert checked.status_code == 200 and "X-Total-Count" in checked.headers
    body = problem(api.call("aldo", "GET", f"/findings?year={YEAR}&sort=quantity"), 422)
    assert "severity" in body["detail"]


def test_the_audit_log_api_links_its_pages(api: Api, many: list[int]) -> None:
    first = api.call("aldo", "GET", "/audit?limit=2")
    total = int(first.headers["X-Total-Count"])
    assert total == first.json()["total"] and total >= 3
    rels = links(first)
    assert "prev" not in rels and "offset=2" in rels["next"] and "limit=2" in rels["next"]
    second = api.client.get(rels["next"], headers=api.headers("aldo")).json()
    assert second["offset"] == 2
    last = api.call("aldo", "GET", f"/audit?limit=2&offset={(total - 1) // 2 * 2}")
    assert "next" not in links(last) and "prev" in links(last)


def test_values_are_found_for_every_row_however_many(
    api: Api, many: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Current values are read in chunks of keys (bound-parameter limits); rows in every
    chunk get theirs."""
    monkeypatch.setattr("esgledger.workflow.request_list.KEYS_PER_QUERY", 7)
    entered = many[::10]
    for rid in entered:
        req = api.ok("mia", "GET", f"/requests/{rid}")
        body = {"version": req["version"], "value": rid, "unit": metrics()[req["metric"]].unit}
        api.ok("mia", "POST", f"/requests/{rid}/value", json=body)
    rows = api.ok("aldo", "GET", "/requests?limit=1000&sort=id")
    values = {r["id"]: r["value"] for r in rows if r["value"] is not None}
    assert values == {rid: rid for rid in entered}
