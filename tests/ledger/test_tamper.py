"""Issue #13.2: the audit chain covers the data and can be anchored.

Each edit of the ledger that an insider could make with a database client is detected by
``esg audit verify --deep`` or by ``esg audit verify --head SEQ:HASH``, on SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import make_url, select, text
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.disclose.publish import publish_report
from esgledger.ledger import audit, digests
from esgledger.ledger.backup import write_backup
from esgledger.ledger.db import Database
from esgledger.ledger.factors import EditionMeta, import_edition
from esgledger.ledger.models import AuditEvent
from esgledger.ledger.restore import restore_backup
from tests.conftest import Cli, DemoBuild
from tests.factories import ACTIVITY_HEADER, entities_file, monthly_rows, write_csv
from tests.pg_pool import admin_connection

KPI_HEADER = ["entity", "year", "metric", "value", "unit", "restatement_reason"]


@dataclass(frozen=True)
class Ledger:
    db: Database
    cli: Cli
    head: str  # as `esg audit head` printed it once everything was written


@dataclass
class Filled:
    """The module's first filled ledger per database, kept to copy. Filling one (imports, a
    run, a publication) cost ~3 CPU s, paid before by each of the ~30 tests that edit one (#20).
    """

    copies: dict[str, tuple[str, str]] = field(default_factory=dict)  # dialect → (source, head)
    pg_base_url: str = ""  # the server holding the PostgreSQL template, to drop it at the end


@pytest.fixture(scope="module")
def filled() -> Iterator[Filled]:
    kept = Filled()
    yield kept
    if "postgresql" in kept.copies:
        with admin_connection(kept.pg_base_url) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {kept.copies['postgresql'][0]} WITH (FORCE)")


@pytest.fixture
def ledger(
    db: Database,
    cli: Cli,
    tmp_path: Path,
    filled: Filled,
    request: pytest.FixtureRequest,
) -> Ledger:
    """A fresh ledger of the test's own, filled by :func:`fill`: a copy of the module's first
    one (the same rows, digests and head), or that first one."""
    if db.dialect in filled.copies:
        source, head = filled.copies[db.dialect]
        _copy_into(db, source, request)
        return Ledger(db, cli, head)
    head = fill(db, cli, tmp_path)
    filled.copies[db.dialect] = (_keep(db, tmp_path, filled, request), head)
    return Ledger(db, cli, head)


def _keep(db: Database, folder: Path, filled: Filled, request: pytest.FixtureRequest) -> str:
    """A copy of the filled workspace to copy from: a SQLite file, or a template database."""
    db.dispose()
    if db.sqlite_path is not None:
        kept = folder / "filled.db"
        with (
            closing(sqlite3.connect(db.sqlite_path)) as source,
            closing(sqlite3.connect(kept)) as target,
        ):
            source.backup(target)
        return str(kept)
    name, kept = make_url(db.url).database, f"filled_{uuid.uuid4().hex[:12]}"
    filled.pg_base_url = request.getfixturevalue("pg_base_url")
    with admin_connection(filled.pg_base_url) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        )
        conn.execute(f"CREATE DATABASE {kept} TEMPLATE {name}")
    return kept


def _copy_into(db: Database, source: str, request: pytest.FixtureRequest) -> None:
    """Replace the test's fresh workspace with a copy of ``source`` (see :func:`_keep`)."""
    db.dispose()
    if db.sqlite_path is not None:
        for leftover in ("-wal", "-shm"):
            Path(f"{db.sqlite_path}{leftover}").unlink(missing_ok=True)
        shutil.copy(source, db.sqlite_path)
        return
    name = make_url(db.url).database
    with admin_connection(request.getfixturevalue("pg_base_url")) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {source}")


def fill(db: Database, cli: Cli, tmp_path: Path) -> str:
    """Imports, a restatement, a calculation run, a publication and one event after it; the
    head ``esg audit head`` then prints."""
    cli("import", "entities", str(entities_file(tmp_path)))
    rows = monthly_rows("SZ1", "fuel.diesel", "t", 2024, 3) + monthly_rows(
        "WH1", "electricity.purchased", "MWh", 2024, 40
    )
    cli("import", "activities", str(write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows)))
    kpis = [["GRP", "2024", "economy.revenue", "1000", "RMB million", ""]]
    cli("import", "kpis", str(write_csv(tmp_path / "k1.csv", KPI_HEADER, kpis)))
    kpis = [["GRP", "2024", "economy.revenue", "1100", "RMB million", "audited figure"]]
    cli("import", "kpis", str(write_csv(tmp_path / "k2.csv", KPI_HEADER, kpis)))
    cli("boundary", "create", "2024-all", "--year", "2024", "--include", "GRP")
    cli("calc", "--year", "2024")
    publish_report(db, 2024, out=tmp_path / "report", formats=["html"], archive_as="mia")
    cli("boundary", "create", "2024-other", "--year", "2024", "--include", "WH1")
    return str(cli("audit", "head").stdout.strip())


def _sql(db: Database, statement: str, **params: object) -> None:
    with db.engine.begin() as conn:
        assert conn.execute(text(statement), params).rowcount >= 1


def test_an_untouched_ledger_verifies_deep_and_against_its_head(ledger: Ledger) -> None:
    out = ledger.cli("audit", "verify", "--deep", "--head", ledger.head).stdout
    assert f"head {ledger.head}." in out and "Data digests match for" in out
    data = json.loads(ledger.cli("audit", "verify", "--deep", "--json").stdout)
    assert data["ok"] and data["head"] == ledger.head and not data["data"]["problems"]
    assert {"batch:2", "run:1", "report:2024/1"} <= _scopes(ledger.db)


def _scopes(db: Database) -> set[str]:
    with db.read() as session:
        return digests.scopes_in_tables(session)


DATA_EDITS = {
    "activity row": (
        "UPDATE activity_records SET quantity = quantity * 2 "
        "WHERE id = (SELECT min(id) FROM activity_records)",
        "batch:2: activity_records differs",
    ),
    "KPI value": (
        "UPDATE kpi_values SET value = 999 WHERE is_current AND metric_id = 'economy.revenue'",
        "kpi_values differs",
    ),
    "restated KPI value": (
        "UPDATE kpi_values SET value = 999 WHERE NOT is_current",
        "batch:3: kpi_values differs",
    ),
    "calculation result": (
        "UPDATE calculation_results SET value = value + 1 "
        "WHERE id = (SELECT max(id) FROM calculation_results)",
        "run:1: calculation_results differs",
    ),
    "batch digest": (
        "UPDATE import_batches SET sha256 = 'ffff' WHERE id = 2",
        "batch:2: import_batches differs",
    ),
    "published report content": (
        "UPDATE published_reports SET content = :forged, sha256 = :sha",
        "report:2024/1: published_reports differs",
    ),
    "deleted calculation result": (
        "DELETE FROM calculation_results WHERE id = (SELECT max(id) FROM calculation_results)",
        "run:1: calculation_results differs",
    ),
}


@pytest.mark.parametrize("edit", sorted(DATA_EDITS))
def test_a_direct_edit_of_the_data_is_found_by_the_deep_check(ledger: Ledger, edit: str) -> None:
    statement, message = DATA_EDITS[edit]
    forged = b"<html>nothing to see</html>"
    params = {"forged": forged, "sha": "0" * 64} if ":forged" in statement else {}
    _sql(ledger.db, statement, **params)
    assert ledger.cli("audit", "verify").exit_code == 0  # the chain itself still fits
    result = ledger.cli("audit", "verify", "--deep", expect=1)
    assert message in result.output
    assert "audit data check failed" in result.output
    data = json.loads(ledger.cli("audit", "verify", "--deep", "--json", expect=1).stdout)
    assert data["chain_ok"] and not data["ok"] and data["data"]["problems"]


def test_deleting_the_newest_events_is_found_against_the_head(ledger: Ledger) -> None:
    _sql(ledger.db, "DELETE FROM audit_events WHERE id >= (SELECT max(id) - 1 FROM audit_events)")
    assert ledger.cli("audit", "verify").exit_code == 0  # a shorter chain still fits
    result = ledger.cli("audit", "verify", "--head", ledger.head, expect=1)
    seq = int(ledger.head.split(":")[0])
    assert f"the chain ends at event {seq - 2} but the anchored head is event {seq}" in (
        result.output
    )
    # The publication was one of the deleted events: its files are digested by none now.
    result = ledger.cli("audit", "verify", "--deep", expect=1)
    assert "report:2024/1: has rows that no audit event digested" in result.output


def test_deleting_every_event_fails_even_without_a_head(ledger: Ledger) -> None:
    _sql(ledger.db, "DELETE FROM audit_events")
    result = ledger.cli("audit", "verify", expect=1)
    assert "the chain is empty but the ledger holds data (batch:1" in result.output
    assert "its events were deleted" in result.output


def _rewrite_chain(db: Database, change: dict[int, dict[str, str]]) -> None:
    """What an insider with a copy of the code can do: edit events and rehash the rest."""
    with db.write() as session:
        prev = audit.GENESIS
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            for column, value in change.get(event.id, {}).items():
                setattr(event, column, value)
            event.prev_hash = prev
            event.hash = audit.event_hash(event)
            prev = event.hash


def test_a_consistent_rewrite_is_found_against_the_head(ledger: Ledger) -> None:
    _rewrite_chain(ledger.db, {2: {"actor": "mallory"}})
    assert ledger.cli("audit", "verify", "--deep").exit_code == 0  # self-consistent again
    result = ledger.cli("audit", "verify", "--head", ledger.head, expect=1)
    seq = ledger.head.split(":")[0]
    assert f"audit chain broken at event {seq}: its hash is not the anchored head's" in (
        result.output
    )


def test_a_forged_appended_event_cannot_bless_edited_rows(ledger: Ledger) -> None:
    """Rows written once (activities, runs, reports) keep the digest they were written with."""
    _sql(ledger.db, "UPDATE activity_records SET quantity = 0 WHERE batch_id = 2")
    with ledger.db.write() as session:
        digests.touch(session, digests.batch_scope(2))
        audit.record(
            session,
            actor="mallory",
            action="import.activities",
            subject="batch:2",
            payload={"rows": 24},
        )
    assert ledger.cli("audit", "verify").exit_code == 0  # a well-formed event
    result = ledger.cli("audit", "verify", "--deep", expect=1)
    assert "batch:2: activity_records was written once by event" in result.output


def test_a_forged_event_with_a_made_up_hash_breaks_the_chain(ledger: Ledger) -> None:
    seq = int(ledger.head.split(":")[0])
    _sql(
        ledger.db,
        "INSERT INTO audit_events (id, ts, actor, action, subject, payload, prev_hash, hash) "
        "VALUES (:id, '2030-01-01 00:00:00', 'mallory', 'calc.run', 'run:9', '{}', :prev, :h)",
        id=seq + 1,
        prev=ledger.head.split(":")[1],
        h="e" * 64,
    )
    result = ledger.cli("audit", "verify", expect=1)
    assert f"audit chain broken at event {seq + 1}: its content does not match" in result.output


def test_a_bad_head_is_a_one_line_error(ledger: Ledger) -> None:
    result = ledger.cli("audit", "verify", "--head", "12:abc", expect=2)
    assert "is not SEQ:HASH" in result.output and "Traceback" not in result.output


def test_events_without_digests_still_verify_with_a_note(ledger: Ledger) -> None:
    """A workspace written by an older version: its events carry no data digests."""
    with ledger.db.read() as session:
        events = list(session.scalars(select(AuditEvent)))
    legacy = {}
    for event in events:
        payload = json.loads(event.payload)
        if isinstance(payload, dict) and payload.pop("data", None) is not None:
            legacy[event.id] = {"payload": audit.canonical_json(payload)}
    _rewrite_chain(ledger.db, legacy)
    result = ledger.cli("audit", "verify", "--deep")
    assert "note: batch:2: written before data digests; its rows are unchecked" in result.output
    assert "Data digests match" in result.output


def test_digests_are_the_same_on_sqlite_and_postgresql(
    sqlite_db: Database, pg_db: Database, tmp_path: Path
) -> None:
    rows = [
        *monthly_rows("SZ1", "fuel.diesel", "t", 2024, 1 / 3),
        ["VN1", "2024-02-01", "2024-02-29", "electricity.purchased", "1e-7", "kWh"],
    ]
    file = write_csv(tmp_path / "a.csv", ACTIVITY_HEADER, rows)
    found = []
    for db in (sqlite_db, pg_db):
        cli = Cli(db)
        cli("import", "entities", str(entities_file(tmp_path)))
        cli("import", "activities", str(file))
        with db.read() as session:
            found.append(digests.digest(session, "batch:2")["tables"]["activity_records"])
    assert found[0] == found[1] and found[0][0] == 13


def test_the_demo_verifies_deep(demo_build: DemoBuild) -> None:
    """Every writer the demo uses (imports, restatements, requests, runs, a publication)."""
    args = ["audit", "verify", "--deep", "--json", "--db", str(demo_build.db_path)]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    data = json.loads(result.stdout)
    assert result.exit_code == 0, data
    assert data["data"]["problems"] == [] and data["data"]["notes"] == []
    assert data["data"]["scopes"] > 10


def test_digests_still_match_after_a_restore_into_the_other_database(
    ledger: Ledger, empty_pg_url: str, tmp_path: Path
) -> None:
    """Dates, datetimes, booleans, floats and report bytes spelled alike on both databases."""
    archive = tmp_path / "b.zip"
    write_backup(ledger.db, archive)
    other = "sqlite" if ledger.db.dialect == "postgresql" else "postgresql"
    target = Database(str(tmp_path / "other.db") if other == "sqlite" else empty_pg_url)
    try:
        restore_backup(target, archive)
        out = Cli(target)("audit", "verify", "--deep", "--head", ledger.head).stdout
        assert "Data digests match for" in out and "note:" not in out
    finally:
        target.dispose()


def test_an_edited_value_of_an_imported_factor_edition_is_found(
    db: Database, cli: Cli, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "measured-gas.csv",
        ["kind", "activity", "parameter", "region", "value", "unit"],
        [["energy_coefficient", "fuel.natural_gas", "coef", "CN", 1.21, "kgce/m3"]],
    )
    meta = EditionMeta(
        edition="measured-gas-2023",
        series="cn.gbt2589",
        publisher="Site laboratory",
        title="Measured heating value of the natural gas supply",
        citation="Lab report 2023-17",
    )
    import_edition(db, path, meta, actor="test")
    assert cli("audit", "verify", "--deep").exit_code == 0
    _sql(db, "UPDATE factors SET value = 1.31 WHERE edition = 'measured-gas-2023'")
    result = cli("audit", "verify", "--deep", expect=1)
    assert "batch:1: factors differs from the digest of event" in result.output
