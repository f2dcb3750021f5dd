"""#18: a run's rejected instrument rows stored a group at a time.

At 10⁷ activity rows a run rejected half a million attribute-less certificates and wrote a
row for each (its findings text, ~500 bytes, repeated every time): 300 MB a run, 4–5 CPU s
of inserts, digests and commit. Rows of one entity, activity type, instrument and findings
now share one row of ``calculation_instrument_rejection_groups`` with their count, their
activity ids (runs of consecutive ids written ``first-last``) and each row's MWh in id
order, as the shortest text that reads back to the same float. Every row is still there:
``esg calc show`` lists the same pages, the run's digest covers the groups, and runs stored
one row per instrument keep their rows and still list and verify.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from sqlalchemy import text

from esgledger.calc import runs
from esgledger.calc.instruments import REJECTED_SCHEMA
from esgledger.calc.options import RunOptions
from esgledger.calc.rejected_groups import GROUPS, grouped_rejections, listed_rejections
from tests.calc.test_instruments import CERT, GOOD, Workspace, _row
from tests.conftest import Cli

ROWS = "calculation_instrument_rejections"  # runs stored one row per rejected instrument

FINDINGS = [
    '[{"criterion":4,"why":"vintage 2022 is outside the reporting year 2024"}]',
    '[{"criterion":5,"why":"market VN is not the consuming entity\'s country (CN)"}]',
    '[{"criterion":1,"why":"no energy_source"},{"criterion":2,"why":"no \\"ids\\""}]',
]
# floats whose shortest text is long, tiny, huge, negative zero or exactly halfway-looking
AWKWARD = [0.1, 1 / 3, 1e-7, 5e-324, 1.7976931348623157e308, -0.0, 0.0, 2.5e15, 1e16, 123.0]


def rejected(n: int, seed: int, *, ordered: bool = True) -> pl.DataFrame:
    """``n`` rejected rows of ``REJECTED_SCHEMA``: entities interleaved, runs of consecutive
    ids, a few instruments and findings, MWh of every kind of float."""
    rng = np.random.default_rng(seed)
    ids = np.cumsum(rng.choice([1, 1, 1, 2, 7, 1000], n)).astype(np.int64)
    mwh = rng.standard_normal(n) * 10.0 ** rng.integers(-12, 12, n)
    mwh[rng.integers(0, n, n // 10)] = rng.choice(AWKWARD, n // 10)
    frame = pl.DataFrame(
        {
            "activity_id": ids,
            "entity_id": rng.choice(["E1", "E2", "厂区-3", "E,4"], n),
            "activity": rng.choice([CERT, "ppa.renewable_electricity"], n),
            "instrument": rng.choice(["", "GEC", "I-REC"], n),
            "mwh": mwh,
            "failed": rng.choice(FINDINGS, n),
        },
        schema=REJECTED_SCHEMA,
    )
    return frame if ordered else frame.sample(fraction=1.0, shuffle=True, seed=seed)


@pytest.mark.parametrize(("n", "seed", "ordered"), [(1, 1, True), (500, 2, True), (5000, 3, False)])
def test_the_groups_give_back_every_row_bit_for_bit(n: int, seed: int, ordered: bool) -> None:
    rows = rejected(n, seed, ordered=ordered)
    groups = grouped_rejections(rows, run_id=7)
    keys = ["entity_id", "activity", "instrument", "failed"]
    assert groups.height == rows.select(keys).unique().height  # one row per key
    assert (groups["run_id"] == 7).all() and groups["row_count"].sum() == n
    back = listed_rejections(groups)
    expected = rows.sort("activity_id")
    assert_frame_equal(back, expected.select(list(REJECTED_SCHEMA)))
    bits = back["mwh"].to_numpy().view(np.int64)
    assert (bits == expected["mwh"].to_numpy().view(np.int64)).all()  # -0.0, 5e-324 included
    # stored in the order of their first row; each group's ids ascending, runs written a-b
    assert groups["first_activity_id"].is_sorted()
    for row in groups.iter_rows(named=True):
        ends = [[int(i) for i in p.split("-")] for p in row["activity_ids"].split(",")]
        assert ends[0][0] == row["first_activity_id"]
        assert all(len(e) == 1 or e[0] < e[1] for e in ends)
        # runs as long as they go: a run starts after a gap
        assert all(b[0] > a[-1] + 1 for a, b in itertools.pairwise(ends))
        assert len(row["mwh"].split(",")) == row["row_count"]


def test_no_rejected_row_makes_no_group() -> None:
    assert grouped_rejections(pl.DataFrame(schema=REJECTED_SCHEMA), run_id=1).height == 0


@pytest.fixture
def ws(cli: Cli, tmp_path: Path) -> Workspace:
    return Workspace(cli, tmp_path)


CERTS = [
    _row("SZ", "electricity.purchased", 1000),
    _row("SZ", CERT, 200, **{**GOOD, "vintage": "2022", "certificate_ids": "A-1"}),
    _row("CD", CERT, 50, **{**GOOD, "market": "VN", "certificate_ids": "B-1"}),
    _row("VN1", CERT, 7, **{**GOOD, "certificate_ids": "C-1", "vintage": ""}),
    _row("SZ", CERT, 10, **{**GOOD, "certificate_ids": "D-1"}),  # qualifies
    _row("SZ", CERT, 0.1, **{**GOOD, "vintage": "2022", "certificate_ids": "A-2"}),
    _row("SZ", CERT, 1 / 3, **{**GOOD, "vintage": "2022", "certificate_ids": "A-3"}),
    _row("CD", CERT, 2.5e-7, **{**GOOD, "market": "VN", "certificate_ids": "B-2"}),
]


def _show(ws: Workspace, run: int, *args: str) -> dict[str, Any]:
    shown = ws.cli("calc", "show", "--run", str(run), *args, "--json").stdout
    out: dict[str, Any] = json.loads(shown)
    return out


def _runs(ws: Workspace) -> tuple[int, int]:
    """The same inputs stored twice: one row per rejected instrument (as runs were stored
    before the groups), then grouped (as every new run is)."""
    ws.load(CERTS)
    options = RunOptions(year=2024)
    old = runs.run_calculation(ws.cli.db, options, actor="test", rejected_grouped=False)
    new = runs.run_calculation(ws.cli.db, options, actor="test")
    return int(old["run_id"]), int(new["run_id"])


def _count(ws: Workspace, table: str, run: int) -> int:
    with ws.cli.db.engine.connect() as conn:
        found = conn.execute(text(f"SELECT count(*) FROM {table} WHERE run_id = {run}"))
        return int(found.scalar_one())


def test_a_new_run_stores_groups_and_lists_what_a_run_of_rows_lists(ws: Workspace) -> None:
    old, new = _runs(ws)
    assert (_count(ws, ROWS, old), _count(ws, GROUPS, old)) == (6, 0)
    # SZ's two vintages of one findings text are one group: 3 groups hold 6 rows
    assert (_count(ws, ROWS, new), _count(ws, GROUPS, new)) == (0, 3)
    before, after = _show(ws, old), _show(ws, new)
    assert before["scope2_instruments"].pop("rejected_in") == ROWS
    assert after["scope2_instruments"].pop("rejected_in") == GROUPS
    assert after["scope2_instruments"] == before["scope2_instruments"]
    assert after["totals"] == before["totals"] and after["by_entity"] == before["by_entity"]
    listed = after["scope2_instruments"]["rejected"]
    assert [r["mwh"] for r in listed] == [200, 50, 7, 0.1, 1 / 3, 2.5e-7]  # exact floats
    for offset, limit in ((0, 1), (1, 2), (2, 100), (5, 1), (6, 3), (40, 5)):
        args = ("--rejected-offset", str(offset), "--rejected-limit", str(limit))
        page = _show(ws, new, *args)["scope2_instruments"]
        assert page["rejected"] == _show(ws, old, *args)["scope2_instruments"]["rejected"]
        assert page["rejected"] == listed[offset : offset + limit]
    shown = " ".join(
        ws.cli("calc", "show", "--run", str(new), "--rejected-limit", "2").stdout.split()
    )
    assert "rejected instruments 1-2 of 6" in shown and "--rejected-offset 2" in shown


def test_a_store_holding_both_shapes_verifies_and_an_edited_group_is_found(ws: Workspace) -> None:
    _runs(ws)
    assert ws.cli("audit", "verify", "--deep").exit_code == 0
    with ws.cli.db.engine.begin() as conn:
        conn.execute(text(f"UPDATE {GROUPS} SET mwh = replace(mwh, '200', '201')"))
    result = ws.cli("audit", "verify", "--deep", expect=1)
    assert f"{GROUPS} differs" in result.output


def test_a_run_in_chunks_stores_the_same_groups(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")
    ws.load(CERTS)
    whole = json.loads(ws.cli("calc", "--year", "2024", "--json", expect=None).stdout)
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "3")  # chunks of whole entities
    chunked = json.loads(ws.cli("calc", "--year", "2024", "--json", expect=None).stdout)
    assert chunked["scope2_instruments"] == whole["scope2_instruments"]
    columns = (
        "entity_id, activity, instrument, failed, row_count, first_activity_id, activity_ids, mwh"
    )
    with ws.cli.db.engine.connect() as conn:
        stored = [
            conn.execute(
                text(f"SELECT {columns} FROM {GROUPS} WHERE run_id = {run} ORDER BY id")
            ).all()
            for run in (whole["run_id"], chunked["run_id"])
        ]
    assert stored[0] == stored[1] and len(stored[0]) == 3


@pytest.mark.parametrize("name", ["sqlite_db", "pg_db"])
def test_0034_calc7_down_and_up(request: pytest.FixtureRequest, name: str) -> None:
    """Down to 0033_regsort the groups' table goes (the rows of a row each stay where they
    are); up again it is back, as the models declare it (test_migrations)."""
    from alembic import command
    from sqlalchemy import inspect

    from esgledger.ledger.db import Database
    from esgledger.ledger.migrate import _config, current_revision, upgrade

    db: Database = request.getfixturevalue(name)
    with db.engine.begin() as conn:
        cfg = _config(db)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0033_regsort")
    assert current_revision(db) == "0033_regsort"
    with db.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert GROUPS not in tables and ROWS in tables
    assert upgrade(db) == ("0033_regsort", "0034_calc7")
    with db.engine.connect() as conn:
        found = inspect(conn)
        assert [c["name"] for c in found.get_columns(GROUPS)] == ["id", "run_id", *KEYS_STORED]
        assert [i["column_names"] for i in found.get_indexes(GROUPS)] == [["run_id"]]


KEYS_STORED = [
    "entity_id",
    "activity",
    "instrument",
    "failed",
    "row_count",
    "first_activity_id",
    "activity_ids",
    "mwh",
]


def test_storing_a_run_loads_the_factor_library_once(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run's notes name editions from the library the run was computed with, not from a
    second load of it (0.16–0.2 CPU s a run at any size)."""
    from esgledger.calc.library import FactorLibrary

    loads: list[int] = []
    real = FactorLibrary.load.__func__  # type: ignore[attr-defined]

    def counted(cls: type[FactorLibrary], session: Any = None) -> FactorLibrary:
        loads.append(1)
        return real(cls, session)  # type: ignore[no-any-return]

    ws.load(CERTS)
    monkeypatch.setattr(FactorLibrary, "load", classmethod(counted))
    out = runs.run_calculation(ws.cli.db, RunOptions(year=2024), actor="test")
    assert len(loads) == 1
    # the same notes as `esg calc show` works out with a library of its own
    assert out["resolution_notes"] and any("mee-grid-2023" in n for n in out["resolution_notes"])
    assert _show(ws, int(out["run_id"]))["resolution_notes"] == out["resolution_notes"]
