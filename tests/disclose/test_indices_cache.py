"""`esg index`, `esg index gaps` and `esg report` render the report once per ledger state
(#12): the printed indices are kept on disk under the state, and a write moves the state."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from esgledger.disclose import indices_cache
from esgledger.disclose.publish import printed_indices
from esgledger.ledger.db import Database
from tests.conftest import Cli
from tests.disclose.test_index import KPI_HEADER, entry, gaps_json, index_json, ws  # noqa: F401
from tests.factories import write_csv


@pytest.fixture
def counted() -> dict[str, int]:
    indices_cache.stats.update(hits=0, misses=0)
    return indices_cache.stats


def test_index_and_gaps_reuse_one_render_until_a_write(
    ws: Cli,  # noqa: F811
    tmp_path: Path,
    counted: dict[str, int],
) -> None:
    before = index_json(ws, "gri-2021")
    assert counted == {"hits": 0, "misses": 1}
    gaps = gaps_json(ws, "gri-2021")
    assert counted == {"hits": 1, "misses": 1}  # the same state: no second render
    assert any(g["code"] == "305-7" for g in gaps["gaps"])
    assert index_json(ws, "gri-2021") == before
    assert counted == {"hits": 2, "misses": 1}

    rows = [["GRP", 2024, "air.nox", 12.5, "t", "", "", ""]]
    ws("import", "kpis", str(write_csv(tmp_path / "k.csv", KPI_HEADER, rows)))
    after = index_json(ws, "gri-2021")
    assert counted["misses"] == 2  # the write moved the state: rendered again
    assert entry(before, "305-7")["status"] == "kpi-missing"
    assert entry(after, "305-7")["status"] == "answered"
    assert not any(g["code"] == "305-7" for g in gaps_json(ws, "gri-2021")["gaps"])


def test_an_omission_is_a_write_that_shows_at_once(ws: Cli, counted: dict[str, int]) -> None:  # noqa: F811
    assert "Stack tests start" not in json.dumps(entry(index_json(ws, "gri-2021"), "305-7"))
    ws(
        "index", "omit", "--year", "2024", "--framework", "gri-2021", "--disclosure", "305-7",
        "--reason", "information unavailable/incomplete", "--explanation", "Stack tests start in 2025.",
    )  # fmt: skip
    omitted = entry(index_json(ws, "gri-2021"), "305-7")
    assert counted["misses"] == 2
    assert "Stack tests start in 2025." in json.dumps(omitted)


def test_the_report_keeps_its_indices_for_esg_index(
    ws: Cli,  # noqa: F811
    tmp_path: Path,
    counted: dict[str, int],
) -> None:
    ws("report", "--year", "2024", "--preview", "--format", "html", "--out", str(tmp_path / "r"))
    index_json(ws, "szse-17")
    assert counted == {"hits": 1, "misses": 0}  # read off the report just rendered


def test_a_foreign_or_broken_entry_is_a_miss_never_an_answer(
    db: Database, counted: dict[str, int]
) -> None:
    with db.read() as session:
        first = printed_indices(session, 2024, ("gri-2021",))
        key = indices_cache.indices_key(session, 2024, None)
        folder = indices_cache._folder(session)
    assert folder is not None and not os.stat(folder).st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    (folder / f"{key}.pickle").write_bytes(b"not a pickle")
    with db.read() as session:
        again = printed_indices(session, 2024, ("gri-2021",))
    assert counted == {"hits": 0, "misses": 2}
    assert again["gri-2021"].as_dict() == first["gri-2021"].as_dict()
