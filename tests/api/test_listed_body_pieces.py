"""Issue #14: a KPI body is joined from its rows' JSON kept from the last body of the same
question (`api/state_bodies.listed_body`). Held here: the bytes are exactly the JSON of the
whole, and the tag is the same whatever was kept, for a first body, a body whose rows are
partly new, reordered or fewer, an empty list and a list of one."""

from __future__ import annotations

from typing import Any

from esgledger.api.deps import json_bytes
from esgledger.api.state_bodies import ItemBytes, listed_body


def _rows(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [{"metric": f"m{i}", "values": {"2025": i * 1.5, "2024": None}, "note": "税 \"q\""}
            for i in range(start, start + n)]  # fmt: skip


def _same(data: dict[str, Any], kept: ItemBytes) -> None:
    body = listed_body(data, "kpis", kept)
    assert body.content == json_bytes(data)
    assert body.etag == listed_body(data, "kpis", {}).etag  # nothing kept: the same tag


def test_a_body_joined_from_kept_rows_is_the_json_of_the_whole() -> None:
    kept: ItemBytes = {}
    rows = _rows(50)
    data = {"year": 2025, "years": [2024, 2025], "kpis": rows, "after": {"x": [1, 2]}}
    _same(data, kept)
    assert len(kept) == 50
    rows[7] = {"metric": "m7", "values": {"2025": 99.0}, "note": ""}  # a row written
    rows[0] = {"metric": "m0", "values": {}, "note": "first"}  # the first row new
    _same(data, kept)
    _same({**data, "kpis": list(reversed(rows))}, kept)  # the same rows in another order
    _same({**data, "kpis": rows[:1]}, kept)
    _same({**data, "kpis": []}, kept)
    _same({"kpis": rows[3:9]}, kept)  # the list first
    _same({"a": 1}, kept)  # no list at all
    changed = listed_body({**data, "kpis": rows[:5]}, "kpis", kept).etag
    assert changed != listed_body({**data, "kpis": rows[:4]}, "kpis", kept).etag
