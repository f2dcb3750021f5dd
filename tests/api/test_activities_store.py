"""#18: `GET /activities` lists the rows kept in the Parquet activity store too.

Rows imported with ``--store`` have no ledger row; a list read from the ledger alone would
hide them without a word. The list merges both in the order asked (the sort key, then the
id in the sort's direction), pages them without overlap or gap, counts both in ``X-Total-Count`` and applies the
same filters and search to both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from esgledger.ledger import activity_pages
from esgledger.ledger.activities import import_activities
from tests.api.conftest import YEAR, Api
from tests.factories import ACTIVITY_HEADER, monthly_rows, write_csv

LINK = re.compile(r'<([^>]+)>; rel="(\w+)"')
KEYS = {"id": "id", "start": "start", "entity": "entity", "activity": "activity"}


def walk(api: Api, query: str) -> tuple[list[dict[str, Any]], int]:
    """Every page of a list, following its ``next`` links; the rows and the total."""
    got = api.call("aldo", "GET", f"/activities?{query}")
    assert got.status_code == 200, got.text
    total, rows = int(got.headers["X-Total-Count"]), list(got.json())
    while nxt := dict((rel, url) for url, rel in LINK.findall(got.headers["Link"])).get("next"):
        got = api.client.get(nxt, headers=api.headers("aldo"))
        rows.extend(got.json())
    return rows, total


def expected(rows: list[dict[str, Any]], sort: str) -> list[int]:
    key = KEYS[sort.removeprefix("-")]
    # ties by id in the sort's direction: a descending list is the ascending one reversed
    ordered = sorted(rows, key=lambda r: (r[key], r["id"]), reverse=sort.startswith("-"))
    return [r["id"] for r in ordered]


@pytest.fixture
def both(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Api:
    """Rows of three entities, some in the ledger, some in the store, interleaved in time."""
    monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store"))
    ledger = [
        *monthly_rows("SZ1", "electricity.purchased", "MWh", YEAR, 100.0)[::2],
        *monthly_rows("VN1", "fuel.diesel", "L", YEAR, 10.0)[:5],
    ]
    store = [
        *monthly_rows("SZ1", "electricity.purchased", "MWh", YEAR, 100.0)[1::2],
        *monthly_rows("WH1", "electricity.purchased", "MWh", YEAR, 50.0),
        *monthly_rows("VN1", "fuel.diesel", "L", YEAR - 1, 10.0)[:4],
    ]
    import_activities(api.db, write_csv(tmp_path / "l.csv", ACTIVITY_HEADER, ledger), actor="t")
    done = import_activities(
        api.db, write_csv(tmp_path / "s.csv", ACTIVITY_HEADER, store), actor="t", store=True
    )
    assert done["store_files"]
    import_activities(
        api.db,
        write_csv(tmp_path / "m.csv", ACTIVITY_HEADER, monthly_rows("HQ", "water.municipal",
                                                                    "m3", YEAR, 1.0)[:3]),
        actor="t",
    )  # fmt: skip
    return api


def test_store_rows_are_listed_merged_in_every_order_and_page(both: Api) -> None:
    every, total = walk(both, "limit=1000")
    assert total == len(every) == 6 + 5 + 6 + 12 + 4 + 3
    assert sum(1 for r in every if r["start"] < f"{YEAR}-01-01") == 4
    for sort in ("id", "-id", "start", "-start", "entity", "-entity", "activity", "-activity"):
        rows, total = walk(both, f"limit=7&sort={sort}")
        assert total == len(every)
        assert [r["id"] for r in rows] == expected(every, sort), sort
    assert walk(both, "limit=3&page=13")[0] == []  # past the end: empty, total still said


def test_filters_and_search_apply_to_store_rows_alike(both: Api) -> None:
    every, _ = walk(both, "limit=1000")
    cases = {
        "entity=WH1": lambda r: r["entity"] == "WH1",
        f"year={YEAR - 1}": lambda r: r["start"].startswith(str(YEAR - 1)),
        "activity=fuel.diesel": lambda r: r["activity"] == "fuel.diesel",
        "q=wh": lambda r: "wh" in r["entity"].lower() or "wh" in r["activity"].lower(),
        f"entity=SZ1&year={YEAR}&sort=-start": lambda r: r["entity"] == "SZ1",
    }
    for query, wanted in cases.items():
        rows, total = walk(both, f"limit=5&{query}")
        sort = re.search(r"sort=([-\w]+)", query)
        want = expected([r for r in every if wanted(r)], sort[1] if sort else "id")
        assert [r["id"] for r in rows] == want and total == len(want), query
    row = next(r for r in every if r["entity"] == "WH1")  # January: the base plus 1
    assert (row["start"], row["end"]) == (f"{YEAR}-01-01", f"{YEAR}-01-31")
    assert row["voided"] is None and row["quantity"] == 51.0 and row["unit"] == "MWh"


def test_a_store_side_too_large_to_sort_is_refused_naming_the_filters(
    both: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the bound a later page's store rows would be held in memory to sort: refused in
    one line (422) naming the filters that narrow it, never cut short. The first page reads
    the store a file at a time and is served."""
    monkeypatch.setattr(activity_pages, "STORE_ROWS", 10)
    refused = both.call("aldo", "GET", "/activities?page=2")
    assert refused.status_code == 422 and "narrow it with year and entity" in refused.text
    first = both.call("aldo", "GET", "/activities?limit=5")  # read a file at a time: served
    assert first.status_code == 200 and int(first.headers["X-Total-Count"]) == 36
    rows, total = walk(both, f"entity=VN1&year={YEAR - 1}")
    assert total == len(rows) == 4
