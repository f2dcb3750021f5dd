"""Portable backups: the whole workspace, audit chain included, in one zip archive.

Layout of an archive::

    manifest.json          format, versions, schema revision, created_at, per-table facts
    data/<table>.jsonl     one JSON array per row, columns as listed in the manifest

Rows are written in primary-key order (text keys in code-point order on both databases) with
a canonical, dialect-independent encoding: dates and datetimes as ISO strings to the
microsecond, floats as ``repr`` (bit-exact), booleans as true/false, NULL as null. So the same
data backed up from SQLite or from PostgreSQL gives byte-identical data files, and
``data_sha256`` (sha256 of the canonical JSON of the manifest's ``tables``: columns, row
counts, file hashes; never ``created_at``) is equal too.

Restore loads an archive into an empty database in one transaction: schema (through the
Alembic migrations, at the archive's revision), rows (parents first), upgrade to head,
sequences, and a check of the audit chain. Any failure leaves the target as it was.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import suppress
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Row,
    String,
    Table,
    Time,
    Uuid,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import RootTransaction
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

import esgledger
from esgledger.errors import Conflict, DatabaseError, InvalidInput
from esgledger.ledger import audit
from esgledger.ledger.db import Database
from esgledger.ledger.migrate import _config, head_revision, require_current
from esgledger.ledger.models import Base, utcnow

FORMAT = "esgledger-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 10_000  # rows fetched, encoded, or inserted at a time: memory stays flat
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: the time lives only in the manifest

Manifest = dict[str, Any]
Codec = Callable[[Any], Any] | None  # None: the JSON value is the Python value

# ---------------------------------------------------------------------------------------------
# Canonical encoding, chosen by column type so it never depends on the dialect


def column_kind(type_: TypeEngine[Any]) -> str:
    """The archive's name for a column type; new tables with other types fail loudly here."""
    kinds: list[tuple[type, str]] = [
        (Boolean, "boolean"),
        (Integer, "integer"),
        (Float, "float"),  # before Numeric: Float is a Numeric
        (Numeric, "numeric"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Time, "time"),
        (String, "string"),  # Text and Enum too
        (LargeBinary, "binary"),
        (JSON, "json"),
        (Uuid, "uuid"),
    ]
    for cls, kind in kinds:
        if isinstance(type_, cls):
            return kind
    raise TypeError(f"backup cannot encode column type {type_!r}; teach esgledger.ledger.backup")


ENCODERS: dict[str, Codec] = {
    "boolean": bool,
    "integer": None,
    "float": float,  # json writes float.__repr__: shortest text that reads back bit for bit
    "numeric": str,
    "datetime": lambda v: v.isoformat(timespec="microseconds"),
    "date": lambda v: v.isoformat(),
    "time": lambda v: v.isoformat(timespec="microseconds"),
    "string": None,
    "binary": lambda v: base64.b64encode(bytes(v)).decode("ascii"),
    "json": None,
    "uuid": str,
}
DECODERS: dict[str, Codec] = {
    "boolean": None,
    "integer": None,
    "float": float,
    "numeric": Decimal,
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "string": None,
    "binary": base64.b64decode,
    "json": None,
    "uuid": uuid.UUID,
}
_line = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
_parse = json.JSONDecoder().decode


def converter(codecs: list[Codec]) -> Callable[[Sequence[Any]], list[Any]]:
    """Apply each column's codec to its non-null values; touches only columns that need it."""
    active = [(i, f) for i, f in enumerate(codecs) if f is not None]

    def convert(row: Sequence[Any]) -> list[Any]:
        out = list(row)
        for i, f in active:
            if out[i] is not None:
                out[i] = f(out[i])
        return out

    return convert


def _then(first: Codec, second: Codec) -> Codec:
    """Decode from the archive, then bind for the driver, in one call per value."""
    if first is None or second is None:
        return first or second
    return lambda v: second(first(v))


def canonical(data: Any) -> bytes:
    """One spelling per value, so equal data always hashes equal."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def data_digest(tables: dict[str, Any]) -> str:
    """One digest for all the data: the per-table entries (columns, rows, file hashes)."""
    return hashlib.sha256(canonical(tables)).hexdigest()


# ---------------------------------------------------------------------------------------------
# Backup


def write_backup(db: Database, path: str | Path, *, overwrite: bool = False) -> Manifest:
    """Write every table to ``path`` from one consistent snapshot; returns the manifest."""
    path = Path(path)
    _check_destination(path, overwrite)
    require_current(db)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with db.engine.connect() as conn, _snapshot(conn), zipfile.ZipFile(tmp, "w") as zf:
            tables = {t.name: _dump_table(conn, t, zf) for t in Base.metadata.sorted_tables}
            manifest = _manifest(db, tables)
            _write_member(zf, MANIFEST, [json.dumps(manifest, indent=2).encode() + b"\n"])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return manifest


def _check_destination(path: Path, overwrite: bool) -> None:
    """Refuse before reading anything, so a typo costs nothing."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name such as {path / 'backup.zip'}")
    if not path.parent.is_dir():
        raise InvalidInput(f"folder {path.parent} does not exist; create it or choose another path")
    if path.exists() and not overwrite:
        raise Conflict(f"{path} exists; pass --force to overwrite")


def _snapshot(conn: Connection) -> RootTransaction:
    """A read transaction that sees one state of the database for every table."""
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return conn.begin()


def _manifest(db: Database, tables: dict[str, Any]) -> Manifest:
    """The facts a restore checks; the time lives only here, never in the data digest."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "esgledger_version": esgledger.__version__,
        "schema_revision": head_revision(),
        "created_at": utcnow().isoformat(timespec="microseconds") + "Z",
        "source_dialect": db.dialect,
        "tables": tables,
        "data_sha256": data_digest(tables),
    }


def _dump_table(conn: Connection, table: Table, zf: zipfile.ZipFile) -> dict[str, Any]:
    """Stream one table into ``data/<name>.jsonl``; returns its manifest entry."""
    columns = [{"name": c.name, "type": column_kind(c.type)} for c in table.columns]
    convert = converter([ENCODERS[c["type"]] for c in columns])
    digest, count = hashlib.sha256(), 0

    def lines() -> Iterator[bytes]:
        nonlocal count
        for rows in _fetch(conn, table):
            chunk = "".join(_line(convert(row)) + "\n" for row in rows).encode()
            digest.update(chunk)
            count += len(rows)
            yield chunk

    name = f"data/{table.name}.jsonl"
    _write_member(zf, name, lines())
    return {"file": name, "rows": count, "sha256": digest.hexdigest(), "columns": columns}


def _fetch(conn: Connection, table: Table) -> Iterator[Sequence[Row[Any]]]:
    """Rows in primary-key order, ``CHUNK`` at a time (a server-side cursor on PostgreSQL)."""
    order = [
        c.collate("C") if conn.dialect.name == "postgresql" and isinstance(c.type, String) else c
        for c in table.primary_key.columns
    ]
    result = conn.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order))
    yield from result.partitions()


def _write_member(zf: zipfile.ZipFile, name: str, chunks: Iterable[bytes]) -> None:
    """Stream one member; fixed timestamps keep members free of the clock."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            out.write(chunk)


# ---------------------------------------------------------------------------------------------
# Reading and checking an archive


def read_manifest(zf: zipfile.ZipFile, source: str) -> Manifest:
    """The manifest of an open archive, checked for shape and format version."""
    try:
        raw = zf.read(MANIFEST)
    except KeyError:
        raise InvalidInput(f"{source} is not an esgledger backup (no {MANIFEST})") from None
    try:
        manifest = json.loads(raw)
        tables = manifest["tables"]
        ok = manifest["format"] == FORMAT and all(
            isinstance(e["rows"], int)
            and e["file"]
            and e["sha256"]
            and all(c["name"] and c["type"] in DECODERS for c in e["columns"])
            for e in tables.values()
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise InvalidInput(f"{source} is not an esgledger backup ({MANIFEST} is not readable)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(
            f"{source} has backup format {manifest.get('format_version')}, this esgledger reads "
            f"format {FORMAT_VERSION}; use the esgledger version that wrote it"
        )
    return manifest


def _open_archive(path: Path) -> zipfile.ZipFile:
    """Turn a missing or non-zip file into a one-line answer."""
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist; give an archive written by `esg backup`")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise InvalidInput(f"{path} is not an esgledger backup (not a zip archive)") from None


def _verify_files(zf: zipfile.ZipFile, manifest: Manifest, source: str) -> None:
    """Every data file must hash to the manifest's sha256 before anything is written."""
    if data_digest(manifest["tables"]) != manifest.get("data_sha256"):
        raise InvalidInput(f"{source} is damaged: data_sha256 does not match its tables")
    for entry in manifest["tables"].values():
        digest = hashlib.sha256()
        try:
            with zf.open(entry["file"]) as fh:
                while block := fh.read(1 << 20):
                    digest.update(block)
        except KeyError:
            raise InvalidInput(f"{source} is damaged: {entry['file']} is missing") from None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise InvalidInput(f"{source} is damaged: {entry['file']}: {exc}") from None
        if digest.hexdigest() != entry["sha256"]:
            raise InvalidInput(
                f"{source} is damaged: {entry['file']} does not match its sha256 in "
                f"{MANIFEST}; nothing was restored"
            )


def _check_revision(manifest: Manifest, source: str) -> str:
    """The archive's schema revision, refused if this code does not know it (newer)."""
    revision = str(manifest.get("schema_revision") or "")
    try:
        known = _scripts().get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise InvalidInput(
            f"{source} has schema {revision or 'none'}, newer than this esgledger "
            f"{esgledger.__version__} knows (schema {head_revision()}); upgrade esgledger first"
        )
    return revision


# ---------------------------------------------------------------------------------------------
# Restore


def restore_backup(db: Database, path: str | Path) -> Manifest:
    """Load an archive into an empty database; returns its manifest plus what was checked."""
    path = Path(path)
    source = str(path)
    with _open_archive(path) as zf:
        manifest = read_manifest(zf, source)
        revision = _check_revision(manifest, source)
        _verify_files(zf, manifest, source)
        target = db.sqlite_path
        new_file = target is not None and not target.exists()
        if target is not None and not target.parent.is_dir():
            raise InvalidInput(f"folder {target.parent} does not exist; create it first")
        try:
            chain = _restore(db, zf, manifest, revision, source)
        except BaseException:
            if new_file:
                _remove_sqlite(db)
            raise
    return {**manifest, "restored_into": db.display, "audit": chain.as_dict()}


def _restore(
    db: Database, zf: zipfile.ZipFile, manifest: Manifest, revision: str, source: str
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
            for table in tables:
                _load_table(conn, zf, table, manifest["tables"][table.name], source)
            if revision != head_revision():
                _migrate(conn, "head")
            _reset_sequences(conn)
            return _verify_chain(conn, source)
    except (SQLAlchemyError, driver_error) as exc:
        cause = getattr(exc, "orig", None) or exc
        first = str(cause).strip().splitlines()
        raise DatabaseError(
            f"cannot restore into {db.display}: {first[0] if first else type(exc).__name__}; "
            "nothing was restored"
        ) from None


def _remove_sqlite(db: Database) -> None:
    """A file this restore created is removed again when the restore fails."""
    db.dispose()
    path = db.sqlite_path
    assert path is not None
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        with suppress(OSError):
            leftover.unlink(missing_ok=True)


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


def _load_table(
    conn: Connection, zf: zipfile.ZipFile, table: Table, entry: dict[str, Any], source: str
) -> None:
    """Stream one data file into its table; the row count must match the manifest."""
    columns = [table.c[c["name"]] for c in entry["columns"]]
    binds = [c.type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for c in columns]
    kinds = [DECODERS[c["type"]] for c in entry["columns"]]
    codecs = [_then(decode, bind) for decode, bind in zip(kinds, binds, strict=True)]
    counted = [0]
    rows = _archive_rows(zf, entry, converter(codecs), counted)
    ordered = _parents_first(rows, table, [c.name for c in columns])
    if conn.dialect.name == "postgresql":
        _copy_postgresql(conn, table, columns, ordered)
    else:
        _insert_executemany(conn, table, columns, ordered)
    if counted[0] != entry["rows"]:
        raise InvalidInput(
            f"{source} is damaged: {entry['file']} has {counted[0]} rows, "
            f"the manifest says {entry['rows']}"
        )


def _archive_rows(
    zf: zipfile.ZipFile,
    entry: dict[str, Any],
    convert: Callable[[Sequence[Any]], list[Any]],
    counted: list[int],
) -> Iterator[list[Any]]:
    """Rows of one data file, decoded and bound for the target database, read block by block."""
    width = len(entry["columns"])
    with zf.open(entry["file"]) as fh:
        for line in _read_lines(fh):
            counted[0] += 1
            try:
                values = _parse(line.decode("utf-8"))
                if not isinstance(values, list) or len(values) != width:
                    raise ValueError("not a row")
                row = convert(values)
            except (ValueError, TypeError):
                raise InvalidInput(
                    f"archive is damaged: {entry['file']} line {counted[0]} cannot be read"
                ) from None
            yield row


def _read_lines(fh: IO[bytes]) -> Iterator[bytes]:
    """Lines of a zip member; zipfile's own readline costs a Python call per line."""
    rest = b""
    while block := fh.read(1 << 20):
        lines = (rest + block).split(b"\n")
        rest = lines.pop()
        yield from lines
    if rest:
        yield rest


def _insert_executemany(
    conn: Connection, table: Table, columns: list[Any], rows: Iterator[list[Any]]
) -> None:
    """SQLite: executemany in chunks on the raw connection, inside the restore's transaction."""
    names = ", ".join(conn.dialect.identifier_preparer.quote(c.name) for c in columns)
    marks = ", ".join("?" for _ in columns)
    target = conn.dialect.identifier_preparer.format_table(table)
    sql = f"INSERT INTO {target} ({names}) VALUES ({marks})"
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    while chunk := list(islice(rows, CHUNK)):
        dbapi.executemany(sql, chunk)


def _copy_postgresql(
    conn: Connection, table: Table, columns: list[Any], rows: Iterator[list[Any]]
) -> None:
    """PostgreSQL: one COPY per table, rows streamed as they are decoded."""
    names = ", ".join(conn.dialect.identifier_preparer.quote(c.name) for c in columns)
    target = conn.dialect.identifier_preparer.format_table(table)
    dbapi = conn.connection.driver_connection
    assert dbapi is not None
    with dbapi.cursor() as cur, cur.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _parents_first(
    rows: Iterable[list[Any]], table: Table, names: list[str]
) -> Iterator[list[Any]]:
    """Stream rows so a self-referencing foreign key never points at a row not yet inserted.

    Rows come in primary-key order; one whose parent has not been seen waits until it has.
    Only the referenced keys and the waiting rows stay in memory.
    """
    pos = {n: i for i, n in enumerate(names)}
    links = [
        ([pos[c.name] for c in fk.columns], [pos[e.column.name] for e in fk.elements])
        for fk in table.foreign_key_constraints
        if fk.referred_table is table
    ]
    if not links:
        yield from rows
        return
    seen: list[set[tuple[Any, ...]]] = [set() for _ in links]
    waiting: dict[tuple[int, tuple[Any, ...]], list[list[Any]]] = {}
    for first in rows:
        stack = [first]
        while stack:
            row = stack.pop()
            blocker = _blocker(row, links, seen)
            if blocker is not None:
                waiting.setdefault(blocker, []).append(row)
                continue
            yield row
            for i, (_child, parent) in enumerate(links):
                key = tuple(row[p] for p in parent)
                seen[i].add(key)
                stack.extend(reversed(waiting.pop((i, key), [])))
    if waiting:
        (_i, key), _rows = next(iter(waiting.items()))
        raise InvalidInput(f"archive is damaged: {table.name} rows refer to missing {key!r}")


def _blocker(
    row: list[Any], links: list[tuple[list[int], list[int]]], seen: list[set[tuple[Any, ...]]]
) -> tuple[int, tuple[Any, ...]] | None:
    """The first parent key this row still waits for, or None when it can be inserted."""
    for i, (child, parent) in enumerate(links):
        key = tuple(row[c] for c in child)
        if None in key or key in seen[i] or key == tuple(row[p] for p in parent):
            continue
        return i, key
    return None


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


def _verify_chain(conn: Connection, source: str) -> audit.VerifyResult:
    """The last check before commit: a chain that does not verify restores nothing."""
    with Session(bind=conn) as session:
        result = audit.verify(session)
    if not result.ok:
        raise InvalidInput(
            f"{source}: the restored audit chain breaks at event {result.broken_id} "
            f"({result.reason}); nothing was restored"
        )
    return result


def manifest_of(path: str | Path) -> Manifest:
    """The manifest of an archive on disk, for tools and tests that only inspect it."""
    with _open_archive(Path(path)) as zf:
        return read_manifest(zf, str(path))


__all__ = ["manifest_of", "restore_backup", "write_backup"]
