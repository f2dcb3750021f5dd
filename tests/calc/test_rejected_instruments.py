"""#18: the instrument rows a run rejects (Scope 2 Quality Criteria, GHG Protocol Scope 2
Guidance ch. 7, Table 7.1) live in ``calculation_instrument_rejections``, not in the run's
totals JSON (318 MB at 10⁷ rows); the totals keep counts per activity and criterion; ``esg
calc`` and ``esg calc show`` list them a page at a time with the count; the run's digest
covers them; runs stored with the list inside their totals still show it. Since
``0034_calc7`` the rows are stored a group at a time (``test_rejected_groups``): read here
through ``listed_rejections``, every row as it was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl
import pytest
from sqlalchemy import text

from esgledger.calc.rejected_groups import GROUP_SCHEMA, GROUPS, listed_rejections
from tests.calc.test_instruments import CERT, GOOD, Workspace, _row
from tests.conftest import Cli

TABLE = GROUPS


class Rejected(NamedTuple):
    run_id: int
    activity_id: int
    entity_id: str
    activity: str
    instrument: str
    mwh: float
    failed: str


def _rows(ws: Workspace, run: int | None = None) -> list[Rejected]:
    """The run's rejected rows (every run's when ``run`` is None), by run and activity id."""
    where = "" if run is None else f" WHERE run_id = {run}"
    with ws.cli.db.engine.connect() as conn:
        stored = conn.execute(text(f"SELECT * FROM {GROUPS}{where} ORDER BY id")).mappings().all()
    groups = pl.DataFrame([dict(r) for r in stored], schema={"id": pl.Int64, **GROUP_SCHEMA})
    rows = []
    for (run_id,), part in sorted(groups.partition_by("run_id", as_dict=True).items()):
        rows += [Rejected(run_id, *r) for r in listed_rejections(part).iter_rows()]
    return rows


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Workspace:
    return Workspace(cli, tmp_path)


def _three(ws: Workspace) -> dict[str, Any]:
    ws.load(
        [
            _row("SZ", "electricity.purchased", 1000),
            _row("SZ", CERT, 200, **{**GOOD, "vintage": "2022", "certificate_ids": "A-1"}),
            _row("CD", CERT, 50, **{**GOOD, "market": "VN", "certificate_ids": "B-1"}),
            _row("VN1", CERT, 7, **{**GOOD, "certificate_ids": "C-1", "vintage": ""}),
            _row("SZ", CERT, 10, **{**GOOD, "certificate_ids": "D-1"}),  # qualifies
        ]
    )
    out: dict[str, Any] = json.loads(ws.cli("calc", "--year", "2024", "--json", expect=None).stdout)
    return out


def _show(ws: Workspace, run: int, *args: str) -> dict[str, Any]:
    shown = ws.cli("calc", "show", "--run", str(run), *args, "--json").stdout
    out: dict[str, Any] = json.loads(shown)
    return out


def test_rejected_rows_are_rows_of_their_table_and_the_totals_keep_counts(ws: Workspace) -> None:
    run = _three(ws)["run_id"]
    with ws.cli.db.engine.connect() as conn:
        stored = conn.execute(text("SELECT totals FROM calculation_runs")).scalar_one()
    rows = _rows(ws, run)
    block = json.loads(stored)["scope2_instruments"]
    assert "rejected" not in block and block["rejected_in"] == TABLE
    assert block["rejected_rows"] == 3
    # counts per activity and criterion: each row counted once per criterion it fails
    # (VN1 fails 4 and 5: its certificate, issued in CN, is no Vietnamese market instrument)
    assert block["rejected_by_activity"] == {CERT: {"rows": 3, "criteria": {"4": 2, "5": 2}}}
    assert [(r.entity_id, r.mwh) for r in rows] == [("SZ", 200), ("CD", 50), ("VN1", 7)]
    assert [[f["criterion"] for f in json.loads(r.failed)] for r in rows] == [[4], [5], [4, 5]]
    listed = _show(ws, run)["scope2_instruments"]
    assert [r["activity_id"] for r in listed["rejected"]] == [r.activity_id for r in rows]
    assert (listed["rejected_rows"], listed["rejected_offset"]) == (3, 0)
    assert ws.cli("audit", "verify", "--deep").exit_code == 0


def test_the_listing_is_paged(ws: Workspace) -> None:
    run = _three(ws)["run_id"]
    every = _show(ws, run)["scope2_instruments"]["rejected"]
    page = _show(ws, run, "--rejected-offset", "1", "--rejected-limit", "1")["scope2_instruments"]
    assert page["rejected"] == every[1:2]
    assert (page["rejected_rows"], page["rejected_offset"]) == (3, 1)
    shown = " ".join(
        ws.cli("calc", "show", "--run", str(run), "--rejected-limit", "1").stdout.split()
    )
    assert "row 2 " in shown and "row 3 " not in shown
    assert "rejected instruments 1-1 of 3" in shown and "--rejected-offset 1" in shown


def test_an_edited_rejection_is_found_by_the_deep_audit(ws: Workspace) -> None:
    _three(ws)
    with ws.cli.db.engine.begin() as conn:
        conn.execute(text(f"UPDATE {TABLE} SET mwh = '0.0' WHERE entity_id = 'CD'"))
    result = ws.cli("audit", "verify", "--deep", expect=1)
    assert f"{TABLE} differs" in result.output


def test_a_run_stored_with_its_rejected_list_in_the_totals_still_lists_it(ws: Workspace) -> None:
    run = _three(ws)["run_id"]
    before = _show(ws, run)
    rows = _rows(ws, run)
    legacy = [{**r._asdict(), "failed": json.loads(r.failed)} for r in rows]
    for entry in legacy:
        del entry["run_id"]
    with ws.cli.db.engine.begin() as conn:
        totals = json.loads(conn.execute(text("SELECT totals FROM calculation_runs")).scalar_one())
        block = totals["scope2_instruments"]
        for key in ("rejected_in", "rejected_rows", "rejected_by_activity"):
            del block[key]
        block["rejected"] = legacy
        conn.execute(text(f"DELETE FROM {TABLE}"))
        conn.execute(text("UPDATE calculation_runs SET totals = :t"), {"t": json.dumps(totals)})
    after = _show(ws, run)["scope2_instruments"]
    assert "rejected_in" not in after  # the list is in the totals, not in the table
    assert after == {k: v for k, v in before["scope2_instruments"].items() if k != "rejected_in"}
    page = _show(ws, run, "--rejected-offset", "2")["scope2_instruments"]
    assert page["rejected"] == before["scope2_instruments"]["rejected"][2:]


def test_a_run_in_chunks_stores_the_same_rejected_rows(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chunked path (``ESG_CALC_CHUNK_ROWS``) reviews each chunk's instruments: the table
    gets the in-memory run's rows, and the totals the same counts."""
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")
    whole = _three(ws)
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "2")  # five rows: chunks of whole entities
    chunked = json.loads(ws.cli("calc", "--year", "2024", "--json", expect=None).stdout)
    assert chunked["input_digest"] == whole["input_digest"]
    assert chunked["scope2_instruments"] == whole["scope2_instruments"]
    rows = _rows(ws)
    by_run = {run: [tuple(r[1:]) for r in rows if r[0] == run] for run in {r[0] for r in rows}}
    assert (
        by_run[chunked["run_id"]] == by_run[whole["run_id"]] and len(by_run[whole["run_id"]]) == 3
    )
