"""Restoring a backup archive into an empty SQLite or PostgreSQL database.

The activity store's files in the archive are checked and written into the target's store
folder first (:mod:`esgledger.ledger.archive_store`), and removed again if the database part
fails.

Everything happens in one transaction: schema (through the Alembic migrations, at the
archive's revision), rows (parents first), upgrade to head, sequences, and a check of the
audit chain. Any failure leaves the target as it was; a new SQLite file appears only once
complete (built under a temporary name, then renamed).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, MetaData, Table, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import esgledger
from esgledger.atomic import replacing
from esgledger.errors import (
    Conflict,
    DatabaseError,
    IntegrityFailure,
    InvalidInput,
    storage_failure,
)
from esgledger.faults import fault_point
from esgledger.ledger import archive_store, audit, kpi_groups
from esgledger.ledger.activity_store import root_of_url
from esgledger.ledger.archive_format import Manifest, open_archive, read_manifest, verify_files
from esgledger.ledger.db import Database, database_failure
from esgledger.ledger.migrate import _config, head_revision
from esgledger.ledger.models import Base, KpiGroup
from esgledger.ledger.restore_rows import load_table

KEPT = KpiGroup.__tablename__  # kept by triggers on kpi_values: loaded after them


def restore_backup(db: Database, path: str | Path) -> Manifest:
    """Load an archive into an empty database; returns its manifest plus what was checked."""
    path = Path(path)
    source = str(path)
    with open_archive(path) as zf:
        manifest = read_manifest(zf, source)
        revision = _check_revision(manifest, source)
        verify_files(zf, manifest, source)
        registry = archive_store.checked_members(zf, manifest, source)
        target = db.sqlite_path
        if target is not None and not target.parent.is_dir():
            raise InvalidInput(f"folder {target.parent} does not exist; create it first")
        root = root_of_url(db.engine.url)
        archive_store.check_targets(registry, root)
        written: list[Path] = []
        try:
            if registry:  # checked above: root is set
                archive_store.put_back(zf, registry, root, written)  # type: ignore[arg-type]
            if target is not None and not target.exists():
                chain = _restore_new_file(target, zf, manifest, revision, source, db.display)
            else:
                chain = _restore(db, zf, manifest, revision, source, db.display)
        except BaseException:
            archive_store.remove_written(written)
            raise
    return {
        **manifest,
        archive_store.COUNT: len(registry),
        "restored_into": db.display,
        "audit": chain.as_dict(),
    }


def _restore_new_file(
    target: Path, zf: zipfile.ZipFile, manifest: Manifest, revision: str, source: str, display: str
) -> audit.VerifyResult:
    """A new SQLite workspace is built under a temporary name and renamed when complete, so
    a failed or killed restore never leaves a half-made file where the workspace should be."""
    try:
        with replacing(target) as tmp:
            staging = Database(str(tmp))
            try:
                chain = _restore(staging, zf, manifest, revision, source, display)
            finally:
                staging.dispose()
                for sidecar in ("-wal", "-shm", "-journal", ".writer-lock"):
                    Path(f"{tmp}{sidecar}").unlink(missing_ok=True)
    except OSError as exc:
        raise storage_failure(exc, f"restore into {display}") or exc from None
    return chain


def _check_revision(manifest: Manifest, source: str) -> str:
    """The archive's schema revision, refused if this code does not know it (newer)."""
    revision = str(manifest.get("schema_revision") or "")
    if revision not in {r.revision for r in _scripts().walk_revisions()}:
        raise InvalidInput(
            f"{source} has schema {revision or 'none'}, newer than this esgledger "
            f"{esgledger.__version__} knows (schema {head_revision()}); upgrade esgledger first"
        )
    return revision


def _restore(
    db: Database,
    zf: zipfile.ZipFile,
    manifest: Manifest,
    revision: str,
    source: str,
    display: str,
) -> audit.VerifyResult:
    """Everything in one transaction: a failure anywhere rolls all of it back."""
    driver_error = db.engine.dialect.loaded_dbapi.Error
    try:
        with db.engine.connect().execution_options(esg_write=True) as conn, conn.begin():
            _require_empty(conn)
            _require_upgradable(conn, revision)
            _migrate(conn, revision)
            tables = _target_tables(conn, revision)
            _check_tables(tables, manifest, source)
            for table in sorted(tables, key=lambda t: t.name == KEPT):  # kept table last
                if table.name == KEPT:  # filled by the triggers as kpi_values loaded
                    conn.execute(table.delete())
                load_table(conn, zf, table, manifest["tables"][table.name], source)
            if revision != head_revision():
                _migrate(conn, "head")
            _check_kept(conn, source)
            _reset_sequences(conn)
            chain = _verify_chain(conn, source, manifest.get("audit_head"))
            fault_point("restore.loaded")
            return chain
    except (SQLAlchemyError, driver_error) as exc:
        known = database_failure(exc, display)
        if known is not None:
            raise known from None
        cause = getattr(exc, "orig", None) or exc
        first = str(cause).strip().splitlines()
        raise DatabaseError(
            f"cannot restore into {display}: {first[0] if first else type(exc).__name__}; "
            "nothing was restored"
        ) from None


def _check_kept(conn: Connection, source: str) -> None:
    """The archive's kept grouped sums must be what its KPI values give (the triggers keep
    them from here on); an archive that says otherwise is refused, nothing restored."""
    with Session(bind=conn) as session:
        problems = kpi_groups.disagreements(session)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise InvalidInput(f"{source} is damaged: {problems[0]}{more}")


def _require_empty(conn: Connection) -> None:
    """Restore never merges: any row in any table means the target is in use."""
    for name in sorted(inspect(conn).get_table_names()):
        if name == "alembic_version":
            continue
        quoted = conn.dialect.identifier_preparer.quote(name)
        rows = conn.scalar(text(f"SELECT count(*) FROM {quoted}"))
        if rows:
            raise Conflict(
                f"target database already holds data ({rows} row{'s' * (rows != 1)} in {name}); "
                "restore needs an empty database"
            )


def _require_upgradable(conn: Connection, revision: str) -> None:
    """A target with a schema already must be at, or before, the archive's revision."""
    current = MigrationContext.configure(conn).get_current_revision()
    if current is None or current == revision:
        return
    older = {r.revision for r in _scripts().iterate_revisions(revision, "base")}
    if current not in older:
        raise Conflict(
            f"target database is at schema {current}, newer than the archive's {revision}; "
            "restore into a new, empty database"
        )


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(Database("sqlite://")))


def _migrate(conn: Connection, revision: str) -> None:
    """Alembic on the restore's own connection, so the DDL is part of its transaction."""
    cfg = _config(Database("sqlite://"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


def _target_tables(conn: Connection, revision: str) -> list[Table]:
    """Tables in foreign-key order: the models at head, the database's own at older revisions."""
    if revision == head_revision():
        return list(Base.metadata.sorted_tables)
    reflected = MetaData()
    reflected.reflect(bind=conn)
    return [t for t in reflected.sorted_tables if t.name != "alembic_version"]


def _check_tables(tables: list[Table], manifest: Manifest, source: str) -> None:
    """The archive must hold exactly the tables and columns of its schema revision."""
    archived = manifest["tables"]
    expected = {t.name for t in tables}
    if set(archived) != expected:
        differ = sorted(set(archived) ^ expected)
        raise InvalidInput(
            f"{source} does not match schema {manifest['schema_revision']}: "
            f"tables {', '.join(differ)} differ; the archive is damaged"
        )
    for table in tables:
        names = {c["name"] for c in archived[table.name]["columns"]}
        if names != {c.name for c in table.columns}:
            raise InvalidInput(
                f"{source} does not match schema {manifest['schema_revision']}: "
                f"the columns of {table.name} differ; the archive is damaged"
            )


def _reset_sequences(conn: Connection) -> None:
    """Point every serial/identity sequence past the restored ids, so new inserts work."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY takes max(rowid) + 1 by itself
    quote = conn.dialect.identifier_preparer.quote
    inspector = inspect(conn)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            seq = conn.scalar(select(func.pg_get_serial_sequence(quote(table), column["name"])))
            if seq is None:
                continue
            conn.execute(
                text(
                    f"SELECT setval(:seq, COALESCE(MAX({quote(column['name'])}), 0) + 1, false) "
                    f"FROM {quote(table)}"
                ),
                {"seq": seq},
            )


def _verify_chain(conn: Connection, source: str, head: str | None) -> audit.VerifyResult:
    """The last check before commit: a chain that does not verify (or does not reach the
    head the backup recorded) restores nothing."""
    anchor = audit.Head.parse(head) if head else None
    with Session(bind=conn) as session:
        result = audit.verify(session, anchor=anchor)
    if not result.ok:
        raise IntegrityFailure(
            f"{source}: the restored audit chain breaks at event {result.broken_id} "
            f"({result.reason}); nothing was restored"
        )
    return result


__all__ = ["restore_backup"]
