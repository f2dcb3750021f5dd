"""Backup and restore: exact round trips between SQLite and PostgreSQL, and every refusal."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, func, inspect, select
from typer.testing import CliRunner

from esgledger.cli.main import app
from esgledger.errors import Conflict, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.activities import import_activities
from esgledger.ledger.archive_format import data_digest
from esgledger.ledger.backup import write_backup
from esgledger.ledger.boundaries import create_boundary
from esgledger.ledger.db import Database
from esgledger.ledger.entities import import_entities
from esgledger.ledger.kpis import import_kpis
from esgledger.ledger.migrate import _config, current_revision, head_revision, upgrade
from esgledger.ledger.models import ActivityRecord, Base, ImportBatch, KpiValue
from esgledger.ledger.restore import restore_backup
from esgledger.ledger.workspace import init_workspace
from tests.conftest import Cli
from tests.factories import ACTIVITY_HEADER, ENTITIES, ENTITY_HEADER, monthly_rows, write_csv

# Children whose ids sort before their parents' ("a-site" < "ZROOT"), and ids whose order
# differs between code points and a human collation ("A1" < "a-site" < "a1" < "b.dept").
EXTRA_ENTITIES = [
    ["ZROOT", "Z holding", "", "CN", "", "group"],
    ["a-site", "A site under Z", "ZROOT", "CN", "CN-GD", "site"],
    ["a1", "A1 lower", "a-site", "CN", "", "department"],
    ["A1", "A1 upper", "ZROOT", "VN", "", "legal_entity"],
    ["b.dept", "B dept", "a1", "CN", "", "department"],
]
TRICKY = [1 / 3, 0.1 + 0.2, 1e-300, 1.2345678901234567e20, 5e-324, 2.0**52 + 0.5]
FILES = "data/"
_LINE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
POPULATED = (
    "entities", "boundaries", "boundary_members", "import_batches",
    "activity_records", "kpi_values", "audit_events",
)  # fmt: skip


def populate(db: Database, tmp_path: Path) -> None:
    """Every table gets rows: entities, a boundary, activities with attributes, restated KPIs."""
    entities = write_csv(tmp_path / "entities.csv", ENTITY_HEADER, ENTITIES + EXTRA_ENTITIES)
    import_entities(db, entities, actor="alice")
    rows = [[*r, "diesel generator"] for r in monthly_rows("SZ1", "fuel.diesel", "L", 2024, 0.1)]
    rows += [[*r, ""] for r in monthly_rows("a1", "electricity.purchased", "kWh", 2024, 1 / 7)]
    rows += [
        [
            "b.dept",
            f"2024-{m:02d}-01",
            f"2024-{m:02d}-28",
            "electricity.purchased",
            repr(v),
            "kWh",
            "m7",
        ]
        for m, v in enumerate(TRICKY, 1)
    ]
    import_activities(
        db, write_csv(tmp_path / "act.csv", [*ACTIVITY_HEADER, "equipment"], rows), actor="bob"
    )
    header = ["entity", "year", "metric", "value", "unit", "gender", "preliminary"]
    first = [
        ["GRP", 2024, "workforce.headcount", "100", "person", "male", ""],
        ["GRP", 2024, "workforce.headcount", "80", "person", "female", "yes"],
        ["GRP", 2024, "economy.revenue", repr(1 / 3), "RMB million", "", ""],
        ["a1", 2024, "economy.revenue", "/", "RMB million", "", ""],
    ]
    import_kpis(db, write_csv(tmp_path / "k1.csv", header, first), actor="carol")
    second = [["GRP", 2024, "workforce.headcount", "101", "person", "male", "", "recount"]]
    import_kpis(
        db, write_csv(tmp_path / "k2.csv", [*header, "restatement_reason"], second), actor="carol"
    )
    with db.write() as session:
        create_boundary(
            session, code="B2024", year=2024, family="energy_ghg", include=["GRP"],
            members={"VN1": 1 / 3}, actor="dave",
        )  # fmt: skip


def _exact(value: Any) -> Any:
    """Floats by their bits, so 0.30000000000000004 never passes for 0.3."""
    return value.hex() if isinstance(value, float) else value


def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order, floats as hex."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            keys = [table.columns.keys().index(c.name) for c in table.primary_key.columns]
            rows = [tuple(_exact(v) for v in row) for row in conn.execute(select(table))]
            out[table.name] = sorted(rows, key=lambda r, k=keys: tuple(r[i] for i in k))
    return out


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def rewrite(src: Path, dst: Path, changes: dict[str, bytes], drop: tuple[str, ...] = ()) -> Path:
    """A copy of an archive with some members replaced (valid zip CRCs, changed content)."""
    with zipfile.ZipFile(dst, "w") as out:
        for name, data in members(src).items():
            if name not in drop:
                out.writestr(name, changes.get(name, data))
    return dst


def reseal(src: Path, dst: Path, name: str, data: bytes) -> Path:
    """Replace a data file AND fix its checksums, as a careful forger would."""
    manifest = json.loads(members(src)["manifest.json"])
    table = name.removeprefix(FILES).removesuffix(".jsonl")
    manifest["tables"][table]["sha256"] = hashlib.sha256(data).hexdigest()
    manifest["data_sha256"] = data_digest(manifest["tables"])
    return rewrite(src, dst, {name: data, "manifest.json": json.dumps(manifest).encode()})


@pytest.fixture
def archive(db: Database, tmp_path: Path) -> Path:
    """A backup of a populated workspace, from SQLite and from PostgreSQL."""
    populate(db, tmp_path)
    path = tmp_path / "backup.zip"
    write_backup(db, path)
    return path


@pytest.fixture
def new_sqlite(tmp_path: Path) -> Iterator[Database]:
    """A SQLite path that does not exist yet."""
    target = Database(str(tmp_path / "restored" / "esg.db"))
    (tmp_path / "restored").mkdir()
    yield target
    target.dispose()


@pytest.fixture
def icu_pg_url(pg_base_url: str) -> Iterator[str]:
    """An empty PostgreSQL database whose text order is human (ICU en-US), not code points."""
    name = "icu_" + uuid.uuid4().hex[:16]
    admin = pg_base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        )
    yield pg_base_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def assert_works_after_restore(target: Database, tmp_path: Path) -> None:
    """New imports get fresh ids (sequences were reset) and extend the audit chain."""
    with target.read() as session:
        last_batch = session.scalar(select(func.max(ImportBatch.id)))
        last_activity = session.scalar(select(func.max(ActivityRecord.id)))
        events = audit.count(session)
    rows = monthly_rows("VN1", "fuel.diesel", "L", 2025, 2.5)
    summary = import_activities(
        target, write_csv(tmp_path / "more.csv", ACTIVITY_HEADER, rows), actor="eve"
    )
    assert summary["batch_id"] == last_batch + 1
    with target.write() as session:
        boundary = create_boundary(
            session, code="B2025", year=2025, family="social", include=["GRP"], actor="eve"
        )
        assert boundary.id == 2
    with target.read() as session:
        assert session.scalar(select(func.max(ActivityRecord.id))) == last_activity + 12
        result = audit.verify(session)
    assert result.ok and result.events == events + 2


# A test of restoring that does not depend on the database the archive was written from takes
# one written from SQLite (#20): archives written from PostgreSQL are restored, described and
# compared byte for byte by the round-trip, manifest and older-schema tests, on both.
FROM_SQLITE = pytest.mark.parametrize("db", ["sqlite"], indirect=True)


# ---------------------------------------------------------------------------------------------
# Round trips


def test_round_trip_into_new_sqlite_and_empty_postgresql(
    db: Database, archive: Path, new_sqlite: Database, empty_pg_url: str, tmp_path: Path
) -> None:
    source = snapshot(db)
    assert all(source[name] for name in POPULATED), "the tables populate() fills have rows"
    assert not new_sqlite.sqlite_path.exists()
    pg_target = Database(empty_pg_url)
    try:
        for target in (new_sqlite, pg_target):
            result = restore_backup(target, archive)
            assert result["audit"]["ok"] and result["audit"]["events"] == 6
            assert current_revision(target) == head_revision()
            assert snapshot(target) == source
            with target.read() as session:
                assert audit.verify(session).ok
                restated = session.scalars(
                    select(KpiValue).where(KpiValue.restates_id.is_not(None))
                ).one()
                assert restated.value == 101 and restated.restatement_reason == "recount"
            assert_works_after_restore(target, tmp_path)
    finally:
        pg_target.dispose()


def test_manifest_describes_every_table(archive: Path, db: Database) -> None:
    files = members(archive)
    manifest = json.loads(files["manifest.json"])
    assert manifest["format"] == "esgledger-backup" and manifest["format_version"] == 1
    assert manifest["schema_revision"] == head_revision()
    assert list(manifest["tables"]) == [t.name for t in Base.metadata.sorted_tables]
    rows = snapshot(db)  # once: taken again per table, the module's largest cost (#20)
    for name, entry in manifest["tables"].items():
        data = files[entry["file"]]
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert data.count(b"\n") == entry["rows"] == len(rows[name])
    assert manifest["data_sha256"] == data_digest(manifest["tables"])
    activity = files["data/activity_records.jsonl"].decode().splitlines()
    assert any(repr(1 / 3) in line for line in files["data/kpi_values.jsonl"].decode().splitlines())
    assert (
        '"2024-01-01"' in activity[0] and '{\\"equipment\\":\\"diesel generator\\"}' in activity[0]
    )
    entities = [json.loads(line)[0] for line in files["data/entities.jsonl"].decode().splitlines()]
    assert entities == sorted(entities)  # code-point order, the same on both databases


def test_sqlite_to_postgresql_and_back_is_byte_identical(
    sqlite_db: Database, icu_pg_url: str, tmp_path: Path
) -> None:
    """THE acceptance test: SQLite → archive → PostgreSQL → archive gives the same data files."""
    populate(sqlite_db, tmp_path)
    first, second = tmp_path / "from-sqlite.zip", tmp_path / "from-postgresql.zip"
    write_backup(sqlite_db, first)
    pg = Database(icu_pg_url)
    try:
        with pg.engine.connect() as conn:  # the target really sorts text differently
            assert conn.exec_driver_sql("SELECT 'a1' < 'B'").scalar() is True
        restore_backup(pg, first)
        write_backup(pg, second)
    finally:
        pg.dispose()
    a, b = members(first), members(second)
    data = sorted(n for n in a if n.startswith(FILES))
    assert data == sorted(n for n in b if n.startswith(FILES)) and len(data) == len(
        Base.metadata.tables
    )
    for name in data:
        assert a[name] == b[name], name
    ma, mb = json.loads(a["manifest.json"]), json.loads(b["manifest.json"])
    assert (ma["source_dialect"], mb["source_dialect"]) == ("sqlite", "postgresql")
    assert ma["data_sha256"] == mb["data_sha256"]
    assert ma["tables"] == mb["tables"]


@FROM_SQLITE
def test_restore_puts_parents_before_children(
    archive: Path, new_sqlite: Database, tmp_path: Path
) -> None:
    """Rows in the file in reverse order still load: the loader waits for each parent."""
    files = members(archive)
    for name in ("data/entities.jsonl", "data/kpi_values.jsonl"):
        lines = files[name].decode().splitlines(keepends=True)
        files[name] = "".join(reversed(lines)).encode()
        archive = reseal(archive, tmp_path / f"reversed-{len(lines)}.zip", name, files[name])
    restore_backup(new_sqlite, archive)
    with new_sqlite.read() as session:
        assert audit.verify(session).ok
        assert session.scalar(select(func.count()).select_from(KpiValue)) == 5


def at_revision(src: Path, dst: Path, revision: str) -> Path:
    """The same data as an archive written by an older esgledger, at schema ``revision``."""
    scratch = Database(str(dst.with_suffix(".db")))
    upgrade(scratch, revision)
    old = MetaData()
    old.reflect(bind=scratch.engine)
    scratch.dispose()
    files, tables, data = members(src), {}, {}
    manifest = json.loads(files["manifest.json"])
    for name, table in old.tables.items():
        if name == "alembic_version":
            continue
        entry = manifest["tables"][name]
        keep = [i for i, c in enumerate(entry["columns"]) if c["name"] in table.c]
        rows = [json.loads(line) for line in files[entry["file"]].splitlines()]
        lines = "".join(_LINE([row[i] for i in keep]) + "\n" for row in rows).encode()
        data[entry["file"]] = lines
        tables[name] = {**entry, "columns": [entry["columns"][i] for i in keep],
                        "sha256": hashlib.sha256(lines).hexdigest()}  # fmt: skip
    manifest.update(schema_revision=revision, tables=tables, data_sha256=data_digest(tables))
    with zipfile.ZipFile(dst, "w") as out:
        out.writestr("manifest.json", json.dumps(manifest))
        for name, payload in data.items():
            out.writestr(name, payload)
    return dst


def old_columns(snapshot_: dict[str, list[tuple[Any, ...]]], old: Path) -> dict[str, Any]:
    """The populated tables' rows cut to the columns an archive at an older schema holds
    (a column added later, such as ``kpi_values.decimals``, cannot come back from it)."""
    tables = json.loads(members(old)["manifest.json"])["tables"]
    out: dict[str, Any] = {}
    for name in POPULATED:
        kept = {c["name"] for c in tables[name]["columns"]}
        index = [i for i, c in enumerate(Base.metadata.tables[name].columns) if c.name in kept]
        out[name] = [tuple(row[i] for i in index) for row in snapshot_[name]]
    return out


def test_an_archive_from_an_older_schema_is_restored_then_upgraded(
    db: Database, archive: Path, new_sqlite: Database, empty_pg_url: str, tmp_path: Path
) -> None:
    scripts = ScriptDirectory.from_config(_config(db))
    base = scripts.get_bases()[0]
    if base == head_revision():
        pytest.skip("only one schema revision exists")
    old = at_revision(archive, tmp_path / "old.zip", base)
    source = snapshot(db)
    pg = Database(empty_pg_url)
    try:
        for target in (new_sqlite, pg):
            result = restore_backup(target, old)
            assert result["schema_revision"] == base and result["audit"]["ok"]
            assert current_revision(target) == head_revision()
            restored = snapshot(target)
            assert old_columns(restored, old) == old_columns(source, old)
            assert_works_after_restore(target, tmp_path)
    finally:
        pg.dispose()


# ---------------------------------------------------------------------------------------------
# Refusals


def test_restore_refuses_a_non_empty_database_and_changes_nothing(
    archive: Path, db: Database, tmp_path: Path
) -> None:
    before = snapshot(db)
    with pytest.raises(Conflict, match=r"already holds data \(30 rows in activity_records\)"):
        restore_backup(db, archive)
    assert snapshot(db) == before
    fresh, _ = init_workspace(str(tmp_path / "fresh.db"), actor="test")  # one workspace.init event
    try:
        with pytest.raises(Conflict) as err:
            restore_backup(fresh, archive)
        assert str(err.value) == (
            "target database already holds data (1 row in audit_events); "
            "restore needs an empty database"
        )
        assert snapshot(fresh)["audit_events"][0][3] == "workspace.init"
        assert sum(len(rows) for rows in snapshot(fresh).values()) == 1
    finally:
        fresh.dispose()


@FROM_SQLITE
def test_restore_refuses_a_tampered_table_file(
    archive: Path, new_sqlite: Database, empty_pg_url: str, tmp_path: Path
) -> None:
    data = members(archive)["data/entities.jsonl"].replace(b"Wuhan plant", b"Wuhan plant!")
    tampered = rewrite(archive, tmp_path / "tampered.zip", {"data/entities.jsonl": data})
    pg = Database(empty_pg_url)
    try:
        for target in (new_sqlite, pg):
            with pytest.raises(
                InvalidInput, match=re.escape("data/entities.jsonl does not match its sha256")
            ) as err:
                restore_backup(target, tampered)
            assert "\n" not in str(err.value)
        assert not new_sqlite.sqlite_path.exists()
        assert inspect(pg.engine).get_table_names() == []
    finally:
        pg.dispose()


@FROM_SQLITE
def test_a_chain_that_does_not_verify_rolls_back_everything(
    archive: Path, new_sqlite: Database, empty_pg_url: str, tmp_path: Path
) -> None:
    """Checksums fixed up, content edited: only the audit chain notices, and nothing stays."""
    name = "data/audit_events.jsonl"
    edited = members(archive)[name].replace(b'"alice"', b'"mallory"', 1)
    forged = reseal(archive, tmp_path / "forged.zip", name, edited)
    pg = Database(empty_pg_url)
    try:
        for target in (new_sqlite, pg):
            with pytest.raises(InvalidInput, match="audit chain breaks at event 2"):
                restore_backup(target, forged)
        assert not new_sqlite.sqlite_path.exists()
        assert inspect(pg.engine).get_table_names() == []  # the schema's DDL rolled back too
    finally:
        pg.dispose()


@FROM_SQLITE
def test_restore_refuses_what_is_not_a_backup(
    archive: Path, new_sqlite: Database, tmp_path: Path
) -> None:
    no_manifest = rewrite(archive, tmp_path / "archive.zip", {}, drop=("manifest.json",))
    text_file = tmp_path / "notes.zip"
    text_file.write_text("hello")
    cases = {
        no_manifest: f"{no_manifest} is not an esgledger backup (no manifest.json)",
        text_file: f"{text_file} is not an esgledger backup (not a zip archive)",
        tmp_path / "missing.zip": "does not exist",
    }
    for path, message in cases.items():
        with pytest.raises(InvalidInput, match=re.escape(message)) as err:
            restore_backup(new_sqlite, path)
        assert "\n" not in str(err.value)
    assert not new_sqlite.sqlite_path.exists()


@FROM_SQLITE
def test_restore_refuses_a_newer_schema(
    archive: Path, new_sqlite: Database, tmp_path: Path
) -> None:
    manifest = json.loads(members(archive)["manifest.json"])
    manifest["schema_revision"] = "9999"
    newer = rewrite(
        archive, tmp_path / "newer.zip", {"manifest.json": json.dumps(manifest).encode()}
    )
    with pytest.raises(InvalidInput, match="has schema 9999, newer than this esgledger"):
        restore_backup(new_sqlite, newer)
    assert not new_sqlite.sqlite_path.exists()


def test_backup_refuses_to_overwrite_without_force(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "archive.zip"
    path.write_bytes(b"keep me")
    with pytest.raises(Conflict) as err:
        write_backup(db, path)
    assert str(err.value) == f"{path} exists; pass --force to overwrite"
    assert path.read_bytes() == b"keep me"
    manifest = write_backup(db, path, overwrite=True)
    assert manifest["tables"]["audit_events"]["rows"] == 1
    assert zipfile.is_zipfile(path) and not list(tmp_path.glob(".*partial"))


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_backup_and_restore(cli: Cli, db: Database, tmp_path: Path) -> None:
    populate(db, tmp_path)
    path = tmp_path / "cli.zip"
    assert "Wrote" in cli("backup", str(path)).output
    refused = cli("backup", str(path), expect=2)
    assert "exists; pass --force to overwrite" in refused.output
    manifest = json.loads(cli("backup", str(path), "--force", "--json").stdout)
    assert manifest["tables"]["activity_records"]["rows"] == 30

    runner, target = CliRunner(), tmp_path / "restored.db"
    done = runner.invoke(app, ["restore", str(path), "--db", str(target), "--json"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["audit"]["ok"] is True
    again = runner.invoke(app, ["restore", str(path), "--db", str(target)])
    assert again.exit_code == 2
    assert "already holds data" in again.output and "Traceback" not in again.output
    junk = tmp_path / "junk.zip"
    junk.write_text("not a zip")
    bad = runner.invoke(app, ["restore", str(junk), "--db", str(tmp_path / "other.db")])
    assert bad.exit_code == 2 and "is not an esgledger backup (not a zip archive)" in bad.output
