"""Storage checks under the audit chain: is every page readable, is every index sound?

``esg db check`` runs the database's own check (SQLite ``PRAGMA integrity_check`` and
``foreign_key_check``; PostgreSQL ``amcheck`` on every B-tree index when the extension is
installed) and then reads every row of every table, so bit-rot in a data page (undecodable
text, a damaged record) is found by the check instead of by the next backup.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select, text
from sqlalchemy.orm import Session

from esgledger.ledger.archive_format import CHUNK
from esgledger.ledger.models import Base

AMCHECK_INDEXES = """
SELECT c.oid::regclass::text FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_am a ON a.oid = c.relam
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.amname = 'btree' AND n.nspname = current_schema() AND i.indisvalid
ORDER BY 1
"""


@dataclass
class StorageResult:
    engine_check: str = ""  # what the database's own check did
    rows: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "engine_check": self.engine_check,
            "rows": self.rows,
            "problems": self.problems,
        }


def check_storage(session: Session) -> StorageResult:
    """The engine's own check, then every table read in full."""
    result = StorageResult()
    if session.get_bind().dialect.name == "sqlite":
        _sqlite_checks(session, result)
    else:
        _postgres_checks(session, result)
    for table in Base.metadata.sorted_tables:
        _read_all(session, table, result)
    return result


def _sqlite_checks(session: Session, result: StorageResult) -> None:
    found = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
    result.engine_check = "PRAGMA integrity_check, foreign_key_check"
    if found != ["ok"]:
        result.problems += [f"integrity_check: {line}" for line in found[:20]]
    for table, rowid, parent, _fk in session.execute(text("PRAGMA foreign_key_check")):
        result.problems.append(f"{table} row {rowid}: refers to a missing {parent} row")


def _postgres_checks(session: Session, result: StorageResult) -> None:
    installed = session.scalar(text("SELECT count(*) FROM pg_extension WHERE extname = 'amcheck'"))
    if not installed:
        result.engine_check = (
            "amcheck is not installed (CREATE EXTENSION amcheck enables the index check); "
            "every table is read in full instead"
        )
        return
    indexes = list(session.scalars(text(AMCHECK_INDEXES)))
    result.engine_check = f"amcheck bt_index_check on {len(indexes)} indexes"
    for index in indexes:
        try:
            with _savepoint(session):
                session.execute(text("SELECT bt_index_check(CAST(:i AS regclass))"), {"i": index})
        except Exception as exc:  # any failure of the check is the finding
            result.problems.append(f"index {index}: {_first_line(exc)}")


def _read_all(session: Session, table: Table, result: StorageResult) -> None:
    """Fetch every row (values decoded by the driver); name the table and last good key."""
    count, last = 0, ""
    keys = list(table.primary_key.columns)
    stmt = select(table).order_by(*keys).execution_options(yield_per=CHUNK)
    try:
        with _savepoint(session):
            for rows in session.connection().execute(stmt).partitions():
                count += len(rows)
                last = ", ".join(str(getattr(rows[-1], c.name)) for c in keys)
    except Exception as exc:  # an unreadable row is the finding
        after = f" (after key {last})" if last else ""
        result.problems.append(
            f"{table.name}: cannot read row {count + 1}{after}: {_first_line(exc)}"
        )
    result.rows[table.name] = count


def _savepoint(session: Session) -> AbstractContextManager[object]:
    """On PostgreSQL a failed statement aborts the transaction: keep the next checks going."""
    if session.get_bind().dialect.name == "postgresql":
        return session.begin_nested()
    return nullcontext()


def _first_line(exc: BaseException) -> str:
    cause = getattr(exc, "orig", None) or exc
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
