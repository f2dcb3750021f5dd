"""Writing a backup: every table, audit chain included, and the activity store's files, from
one snapshot into one zip archive.

The archive appears whole or not at all (:func:`esgledger.atomic.replacing`): a backup
killed or stopped by a full disk leaves the previous archive, if any, as it was.

The archive's layout and encoding live in :mod:`esgledger.ledger.archive_format`; reading one
back is :mod:`esgledger.ledger.restore`.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, String, Table, select
from sqlalchemy.engine import RootTransaction
from sqlalchemy.orm import Session

import esgledger
from esgledger.atomic import replacing
from esgledger.errors import Conflict, InvalidInput, storage_failure
from esgledger.faults import fault_point
from esgledger.ledger import audit
from esgledger.ledger.activity_store import root_of_url
from esgledger.ledger.archive_format import (
    CHUNK,
    ENCODERS,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    Manifest,
    column_kind,
    converter,
    data_digest,
    encode_row_line,
)
from esgledger.ledger.archive_store import COUNT, dump_store
from esgledger.ledger.db import Database
from esgledger.ledger.migrate import head_revision, require_current
from esgledger.ledger.models import Base, utcnow

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed member timestamps: the time lives only in the manifest


def write_backup(db: Database, path: str | Path, *, overwrite: bool = False) -> Manifest:
    """Write every table to ``path`` from one consistent snapshot; returns the manifest."""
    path = Path(path)
    _check_destination(path, overwrite)
    require_current(db)
    try:
        with (
            replacing(path) as tmp,
            db.engine.connect() as conn,
            _snapshot(conn),
            zipfile.ZipFile(tmp, "w") as zf,
        ):
            tables = {t.name: _dump_table(conn, t, zf) for t in Base.metadata.sorted_tables}
            store_files = dump_store(
                conn, root_of_url(db.engine.url), lambda name, data: _write_member(zf, name, data)
            )
            manifest = {
                **_manifest(db, tables),
                "audit_head": _audit_head(conn),
                **({COUNT: store_files} if store_files else {}),
            }
            _write_member(zf, MANIFEST, [json.dumps(manifest, indent=2).encode() + b"\n"])
            fault_point("backup.written")
    except OSError as exc:
        raise storage_failure(exc, f"write {path}") or exc from None
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


def _audit_head(conn: Connection) -> str | None:
    """The chain's head in this snapshot: a restore must reach it, and it can be anchored."""
    with Session(bind=conn) as session:
        head = audit.head(session)
    return str(head) if head else None


def _dump_table(conn: Connection, table: Table, zf: zipfile.ZipFile) -> dict[str, Any]:
    """Stream one table into ``data/<name>.jsonl``; returns its manifest entry."""
    columns = [{"name": c.name, "type": column_kind(c.type)} for c in table.columns]
    convert = converter([ENCODERS[c["type"]] for c in columns])
    digest, count = hashlib.sha256(), 0

    def lines() -> Iterator[bytes]:
        nonlocal count
        for rows in _fetch(conn, table):
            chunk = "".join(encode_row_line(convert(row)) + "\n" for row in rows).encode()
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


__all__ = ["write_backup"]
