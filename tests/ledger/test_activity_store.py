"""Issue #18: the Parquet activity store (`esg import activities --store`).

Rows imported to the store are Parquet files by year and entity under the store root, each
registered (path, rows, SHA-256) with the import's batch and audit event. The same rows
stored in the ledger in one workspace and in the store in another give the same runs to the
bit (figures, input digest, coefficients, issues), in memory and on the chunked path, also
when ledger rows are imported after store rows. A bad row or a failed commit leaves no file
behind; `esg audit verify --deep` names each changed, removed or added file and exits 3.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from esgledger.demo.activity_data import ACTIVITY_HEADER, activity_rows
from esgledger.demo.files import write_csv
from esgledger.demo.org import ENTITY_HEADER, entity_rows
from esgledger.ledger.db import Database
from esgledger.ledger.models import ActivityRecord, ImportBatch
from esgledger.ledger.store_models import ActivityFile
from tests.calc.test_chunked_calc_run import stored
from tests.conftest import Cli
from tests.pg_pool import DatabasePool

YEAR = 2024
INTEGRITY = 3


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Cli, Cli]]:
    """Two fresh workspaces on one backend, the demo's entities in each: one keeps its rows
    in the ledger, the other in the activity store (beside a SQLite file by default, in
    ``ESG_ACTIVITY_STORE`` for PostgreSQL)."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        dbs = []
        for name in ("ledger", "store"):
            shutil.copy(template, tmp_path / f"{name}.db")
            dbs.append(Database(str(tmp_path / f"{name}.db")))
    else:
        pool: DatabasePool = request.getfixturevalue("pg_pool")
        names = [pool.take(), pool.take()]
        dbs = [Database(pool.url_of(n)) for n in names]
        monkeypatch.setenv("ESG_ACTIVITY_STORE", str(tmp_path / "store-pg"))
    entities = write_csv(tmp_path / "e.csv", ENTITY_HEADER, entity_rows())
    clis = (Cli(dbs[0]), Cli(dbs[1]))
    for cli in clis:
        cli("import", "entities", str(entities))
    try:
        yield clis
    finally:
        for db in dbs:
            db.dispose()
        if request.param == "postgresql":
            for name in names:
                pool.give_back(name)


def root_of(cli: Cli, tmp_path: Path) -> Path:
    path = cli.db.sqlite_path
    return Path(f"{path}.store") if path is not None else tmp_path / "store-pg"


def demo_files(tmp_path: Path) -> tuple[Path, Path]:
    """The demo's 2024 activity rows in two files (first half, second half)."""
    rows = activity_rows(YEAR)
    half = len(rows) // 2
    return (
        write_csv(tmp_path / "a1.csv", ACTIVITY_HEADER, rows[:half]),
        write_csv(tmp_path / "a2.csv", ACTIVITY_HEADER, rows[half:]),
    )


def calc(cli: Cli) -> dict[str, Any]:
    """``esg calc --json`` (exit 1: the demo's water and waste rows have no factor)."""
    return json.loads(cli("calc", "--year", str(YEAR), "--json", expect=1).stdout)


def same_run(a: Cli, b: Cli) -> None:
    run_a, run_b = calc(a), calc(b)
    for key in ("input_digest", "totals", "by_entity", "by_gas", "by_activity", "unresolved"):
        assert run_a[key] == run_b[key], key
    assert run_a["activity_rows"] == run_b["activity_rows"] > 1000
    assert stored(a.db, run_a["run_id"]) == stored(b.db, run_b["run_id"])
    for metric in ("ghg.scope1", "ghg.scope3.cat3"):  # the rows shown, wherever they are kept
        args = ("--metric", metric, "--limit", "5", "--json")
        shown = [
            json.loads(cli("calc", "explain", "--run", str(run["run_id"]), *args).stdout)
            for cli, run in ((a, run_a), (b, run_b))
        ]
        assert shown[0].pop("run_id") == run_a["run_id"] and shown[1].pop("run_id")
        assert shown[0] == shown[1], metric
        assert json.dumps(shown[0]).count('"start"') >= 5, metric  # rows with their dates


def counts(db: Database) -> tuple[int, int, int]:
    """(ledger activity rows, registered store files, import batches)."""
    with db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(ActivityRecord)) or 0,
            session.scalar(select(func.count()).select_from(ActivityFile)) or 0,
            session.scalar(select(func.count()).select_from(ImportBatch)) or 0,
        )


def test_same_rows_in_the_store_give_the_ledgers_run_to_the_bit(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger, store = pair
    first, second = demo_files(tmp_path)
    ledger("import", "activities", str(first))
    out = json.loads(store("import", "activities", str(first), "--store", "--json").stdout)
    assert out["store_files"] > 5
    assert counts(store.db)[:2] == (0, out["store_files"])
    files = sorted(root_of(store, tmp_path).rglob("*.parquet"))
    assert len(files) == out["store_files"] and all("year=2024/entity=" in str(f) for f in files)
    # ledger rows imported after store rows take ids above them, in both workspaces alike
    for cli in pair:
        cli("import", "activities", str(second))
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "0")  # in memory
    same_run(ledger, store)
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "150")  # chunked, the digest over a merged pass
    same_run(ledger, store)
    store("audit", "verify", "--deep")


def test_store_rows_are_refused_a_second_time_from_either_side(
    pair: tuple[Cli, Cli], tmp_path: Path
) -> None:
    _, store = pair
    first, _ = demo_files(tmp_path)
    store("import", "activities", str(first), "--store")
    for extra in (["--store"], []):
        result = store("import", "activities", str(first), *extra, expect=2)
        assert "already imported (batch 2)" in result.output
    result = store("import", "activities", str(first), "--replace", "--reason", "fix", expect=2)
    assert "activity store, which are never replaced" in result.output
    result = store(
        "import", "activities", str(first), "--store", "--replace", "--reason", "x", expect=2
    )
    assert "--replace is not available with --store" in result.output


def test_a_bad_row_or_a_failed_commit_leaves_no_file(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, store = pair
    rows = activity_rows(YEAR)[:50]
    bad = [*rows[:30], {**rows[30], "start": "2024-13-01"}, *rows[31:]]
    result = store(
        "import",
        "activities",
        str(write_csv(tmp_path / "bad.csv", ACTIVITY_HEADER, bad)),
        "--store",
        expect=2,
    )
    assert "row 32" in result.output
    root = root_of(store, tmp_path)
    assert counts(store.db) == (0, 0, 1) and not list(root.rglob("*.parquet"))
    monkeypatch.setenv("ESG_FAULT_POINT", "db.commit:enospc")
    good = write_csv(tmp_path / "good.csv", ACTIVITY_HEADER, rows)
    store("import", "activities", str(good), "--store", expect=5)
    assert counts(store.db) == (0, 0, 1) and not list(root.rglob("*.parquet"))
    monkeypatch.delenv("ESG_FAULT_POINT")
    store("import", "activities", str(good), "--store")
    assert counts(store.db)[1] == len(list(root.rglob("*.parquet"))) > 0


# SQLite only (#20): the check is files against the registered rows (``verify_files``), the
# same code on either database; on PostgreSQL, whose store folder is the setting, `audit verify
# --deep` over a store passes in test_same_rows_… and a changed file stops a run in
# test_a_year_in_the_store_alone_….
@pytest.mark.parametrize("pair", ["sqlite"], indirect=True)
@pytest.mark.parametrize("tamper", ["changed", "removed", "added"])
def test_verify_deep_names_a_changed_removed_or_added_file(
    pair: tuple[Cli, Cli], tmp_path: Path, tamper: str
) -> None:
    _, store = pair
    first, _ = demo_files(tmp_path)
    store("import", "activities", str(first), "--store")
    store("audit", "verify", "--deep")
    root = root_of(store, tmp_path)
    victim = sorted(root.rglob("*.parquet"))[0]
    if tamper == "changed":
        data = bytearray(victim.read_bytes())
        data[len(data) // 2] ^= 1
        victim.write_bytes(bytes(data))
    elif tamper == "removed":
        victim.unlink()
    else:
        victim = victim.with_name("batch-99-forged.parquet")
        shutil.copy(sorted(root.rglob("*.parquet"))[0], victim)
    result = store("audit", "verify", "--deep", expect=INTEGRITY)
    assert f"activity store file {victim}" in result.output
    assert {"changed": "changed", "removed": "missing", "added": "added"}[tamper] in result.output
    report = json.loads(store("audit", "verify", "--deep", "--json", expect=INTEGRITY).stdout)
    assert len(report["store_problems"]) == 1 and str(victim) in report["store_problems"][0]
    if tamper != "added":  # a run never reads a file that is not what was imported
        result = store("calc", "--year", str(YEAR), expect=INTEGRITY)
        assert f"activity store file {victim}" in result.output


def test_a_file_changed_with_its_registration_breaks_the_batch_digest(
    pair: tuple[Cli, Cli], tmp_path: Path
) -> None:
    """Re-registering a changed file's SHA-256 by hand is an edit of the ledger: the batch's
    data digest, recorded by its audit event, no longer matches."""
    _, store = pair
    first, _ = demo_files(tmp_path)
    store("import", "activities", str(first), "--store")
    victim = sorted(root_of(store, tmp_path).rglob("*.parquet"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 1
    victim.write_bytes(bytes(data))
    relative = victim.relative_to(root_of(store, tmp_path)).as_posix()
    with store.db.engine.begin() as conn:
        updated = conn.execute(
            text("UPDATE activity_files SET sha256 = :sha WHERE path = :path"),
            {"sha": hashlib.sha256(bytes(data)).hexdigest(), "path": relative},
        )
        assert updated.rowcount == 1
    result = store("audit", "verify", "--deep", expect=1)
    assert "batch:2: activity_files differs from the digest of event" in result.output


def audit_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(text("SELECT count(*) FROM audit_events")) or 0


def test_voiding_store_rows_is_refused_and_changes_nothing(
    pair: tuple[Cli, Cli], tmp_path: Path
) -> None:
    """Store files are never changed: `esg activities void` of a store batch or of a store
    row's id is refused out loud (exit 2, one line naming the store), never "0 rows voided"
    nor "no activity row"; nothing is written."""
    _, store = pair
    first, _ = demo_files(tmp_path)
    store("import", "activities", str(first), "--store")
    listed = json.loads(store("activities", "list", "--limit", "2", "--json").stdout)
    before = (counts(store.db), audit_count(store.db))
    for command in ("void", "unvoid"):
        for args in (["--batch", "2"], ["--id", str(listed[1]["id"])]):
            result = store("activities", command, *args, "--reason", "typo", expect=2)
            assert "activity store" in result.output and "never" in result.output, args
            assert len(result.output.strip().splitlines()) == 1
    assert (counts(store.db), audit_count(store.db)) == before


def test_a_year_in_the_store_alone_is_read_from_its_files_without_a_spill(
    pair: tuple[Cli, Cli], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#15: a chunked run over a year no ledger row starts in reads each chunk from the
    store's files and the input digest's pass from them again, a batch at a time, instead of
    setting every row down in temporary files; the run is the ledger's to the bit. A batch
    larger than a chunk still goes through the spill (the digest's pass holds one batch), and
    a changed file stops the run either way."""
    from esgledger.calc.spill import SpilledYear

    ledger, store = pair
    for half in demo_files(tmp_path):
        ledger("import", "activities", str(half))
        store("import", "activities", str(half), "--store")
    with store.db.read() as session:
        batch_rows = session.execute(
            select(func.sum(ActivityFile.rows)).group_by(ActivityFile.batch_id)
        ).scalars()
        largest = max(batch_rows)
    spilled: list[int] = []
    real = SpilledYear.write

    def write(self: SpilledYear, batches: Any) -> None:
        spilled.append(1)
        real(self, batches)

    monkeypatch.setattr(SpilledYear, "write", write)
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", str(largest))  # below the year, not a batch
    same_run(ledger, store)
    assert len(spilled) == 2  # the ledger workspace's run only: its rows are ledger rows
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", "150")  # batches larger than a chunk
    same_run(ledger, store)
    assert len(spilled) == 6
    monkeypatch.setenv("ESG_CALC_CHUNK_ROWS", str(largest))
    victim = sorted(root_of(store, tmp_path).rglob("*.parquet"))[0]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 1
    victim.write_bytes(bytes(data))
    result = store("calc", "--year", str(YEAR), expect=INTEGRITY)
    assert f"activity store file {victim}" in result.output
