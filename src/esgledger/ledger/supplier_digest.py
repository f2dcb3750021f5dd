"""The supplier register's digest, kept per supplier so an event re-reads only what it changed.

The register (``suppliers:register``) changes row by row: an audit planned, a finding moved, a
questionnaire answered. Digesting the whole register at each of those events read every table
again (about 40 ms on the demo's 1,108 suppliers, at some 400 events). Here each table's rows
are hashed in groups, one group per supplier (the findings through their audit's supplier; the
questionnaire definitions and the conformant-smelter list, which belong to no supplier, as one
group each), and a table's digest is the SHA-256 of its ``key, rows, sha256`` lines in key
order. An event that names the suppliers it changed (:func:`touch_suppliers`) re-reads only
their groups and reuses the others from the register's previous event.

The groups are kept in this process only, tied to the event that recorded them (its id and
hash): before reusing them the chain must still hold that event (a rolled-back transaction
leaves it out) and no later event may have digested the register (another process wrote).
Otherwise every group is read again. ``esg audit verify --deep`` always reads every group, so a
row changed behind the audit log's back differs from the digest of the register's newest event,
even when later events changed other suppliers: those reused the groups as the log knew them.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, Table, literal, literal_column, select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from esgledger.ledger.archive_format import column_kind
from esgledger.ledger.digests import covered_columns, driver_rows
from esgledger.ledger.models import AuditEvent, Base
from esgledger.ledger.row_text import rows_text
from esgledger.ledger.supplier_models import SUPPLIER_TABLES

SCOPE = "suppliers:register"
KEYS = "esgledger.audit.supplier_keys"  # session.info: supplier ids changed, or ALL
GROUPS = "esgledger.audit.supplier_groups"  # session.info: tables digested, awaiting the event
ALL = "*"
SHARED = ""  # the key of a table that belongs to no supplier: one group
MAX_WORKSPACES = 8
IN_CHUNK = 500  # supplier ids per ``IN`` list
MARK = "__SUPPLIER_KEYS__"  # where a query's ``IN`` list of bound supplier ids goes


@dataclass(frozen=True)
class _Digested:
    """One table: its groups (key → rows, sha256) and the digest they give."""

    groups: dict[str, tuple[int, str]]
    digest: tuple[int, str]


Tables = dict[str, _Digested]


@dataclass(frozen=True)
class _Kept:
    event: tuple[int, str]  # the event that recorded these tables: id and hash
    tables: Tables


_kept: OrderedDict[str, _Kept] = OrderedDict()
_queries: dict[tuple[str, str, bool], tuple[str, list[str]]] = {}
_lock = threading.Lock()


def touch_suppliers(session: Session, supplier_ids: Iterable[str]) -> None:
    """Note that these suppliers' rows changed (none: only the shared tables)."""
    keys = session.info.get(KEYS)
    if keys != ALL:
        session.info[KEYS] = (keys or set()) | set(supplier_ids)


def touch_all(session: Session) -> None:
    """Note that any supplier's rows may have changed: the next event reads every group."""
    session.info[KEYS] = ALL


def digest(session: Session, *, pending: bool = False) -> dict[str, Any]:
    """``{"scope", "tables": {table: [rows, sha256]}, "suppliers": [...]}``.

    With ``pending`` (an event is being recorded) only the suppliers touched in this
    transaction are read again when the tables of the register's previous event are still
    valid; ``suppliers`` names them (``["*"]`` when every group was read).
    """
    keys = session.info.pop(KEYS, ALL) if pending else ALL
    kept = _valid_tables(session) if keys != ALL else None
    if kept is None:
        tables, reread = _read_all(session), [ALL]
    else:
        tables, reread = _read_some(session, kept, sorted(keys)), sorted(keys)
    if pending:
        session.info[GROUPS] = tables
    return {
        "scope": SCOPE,
        "tables": {name: list(t.digest) for name, t in tables.items()},
        "suppliers": reread,
    }


def settle(session: Session, event_id: int, event_hash: str) -> None:
    """Keep the tables just digested, tied to the event that recorded them."""
    tables = session.info.pop(GROUPS, None)
    if tables is None:
        return
    url = _workspace(session)
    with _lock:
        _kept[url] = _Kept((event_id, event_hash), tables)
        _kept.move_to_end(url)
        while len(_kept) > MAX_WORKSPACES:
            _kept.popitem(last=False)


def _workspace(session: Session) -> str:
    return session.connection().engine.url.render_as_string(hide_password=True)


def _valid_tables(session: Session) -> Tables | None:
    """The kept tables if the chain still ends, for the register, at the event that kept them."""
    with _lock:
        kept = _kept.get(_workspace(session))
    if kept is None:
        return None
    event_id, event_hash = kept.event
    stored = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == event_id))
    if stored != event_hash:
        return None
    later = select(AuditEvent.id).where(
        AuditEvent.id > event_id, AuditEvent.payload.contains(f'"scope":"{SCOPE}"')
    )
    if session.scalar(later.limit(1)) is not None:
        return None
    return kept.tables


def _read_all(session: Session) -> Tables:
    return {name: _digested(dict(_groups(session, name, None))) for name in SUPPLIER_TABLES}


def _read_some(session: Session, kept: Tables, keys: list[str]) -> Tables:
    """The kept tables with ``keys`` read again (and dropped where no rows are left)."""
    out: Tables = {}
    for name in SUPPLIER_TABLES:
        if _key_column(Base.metadata.tables[name]) is None:
            groups = dict(_groups(session, name, None))
        else:
            groups = dict(kept[name].groups)
            for key in keys:
                groups.pop(key, None)
            for start in range(0, len(keys), IN_CHUNK):
                groups.update(_groups(session, name, keys[start : start + IN_CHUNK]))
        same = kept[name].groups == groups
        out[name] = kept[name] if same else _digested(groups)
    return out


def _digested(groups: dict[str, tuple[int, str]]) -> _Digested:
    lines = "".join(f"{key}\t{rows}\t{sha}\n" for key, (rows, sha) in sorted(groups.items()))
    rows = sum(rows for rows, _ in groups.values())
    return _Digested(groups, (rows, hashlib.sha256(lines.encode()).hexdigest()))


def _key_column(table: Table) -> ColumnElement[Any] | None:
    """The column naming a row's supplier; None for a table that belongs to no supplier."""
    if table.name == "suppliers":
        return table.c.id
    if "supplier_id" in table.c:
        return table.c.supplier_id
    if table.name == "supplier_findings":
        return Base.metadata.tables["supplier_audits"].c.supplier_id
    return None


def _groups(
    session: Session, name: str, keys: list[str] | None
) -> Iterator[tuple[str, tuple[int, str]]]:
    """(key, (rows, sha256)) per group of table ``name`` (only ``keys`` when given).

    Each chunk is turned into canonical text at once (one line per row: the text escapes
    ``\\n``) and cut at ``\\n`` into rows, so the per-group cost is a hash, not a call.
    """
    dialect = session.connection().dialect
    sql, kinds = _query(dialect, name, keys is not None)
    params: tuple[str, ...] = ()
    if keys is not None:
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        sql, params = sql.replace(MARK, ", ".join([mark] * len(keys))), tuple(keys)
    key: Any = None
    sha, count = hashlib.sha256(), 0
    for chunk in driver_rows(session, sql, params):
        lines = rows_text(kinds, [r[1:] for r in chunk]).split("\n")
        start = 0
        for end, row in enumerate(chunk):
            if row[0] == key:
                continue
            if end > start:
                sha.update(("\n".join(lines[start:end]) + "\n").encode())
                count += end - start
            if count:
                yield str(key), (count, sha.hexdigest())
            key, sha, count, start = row[0], hashlib.sha256(), 0, end
        if len(chunk) > start:
            sha.update(("\n".join(lines[start : len(chunk)]) + "\n").encode())
            count += len(chunk) - start
    if count:
        yield str(key), (count, sha.hexdigest())


def _query(dialect: Dialect, name: str, some: bool) -> tuple[str, list[str]]:
    """The table's rows (covered columns) after their group key, in key then primary-key
    order; with ``some``, of the suppliers bound in place of :data:`MARK`. Compiled once per
    dialect (compiling cost more than reading one supplier's rows)."""
    cache = (dialect.name, name, some)
    if cache not in _queries:
        _queries[cache] = _compiled(dialect, name, some)
    return _queries[cache]


def _compiled(dialect: Dialect, name: str, some: bool) -> tuple[str, list[str]]:
    table = Base.metadata.tables[name]
    columns = covered_columns(table)
    key = _key_column(table)
    stmt = select(literal(SHARED) if key is None else key, *columns)
    if name == "supplier_findings":
        audits = Base.metadata.tables["supplier_audits"]
        stmt = stmt.join_from(table, audits, table.c.audit_id == audits.c.id)
    if key is not None and some:
        stmt = stmt.where(key.in_([literal_column(MARK)]))
    postgres = dialect.name == "postgresql"
    order = [key] if key is not None else []
    order += list(table.primary_key.columns)
    stmt = stmt.order_by(
        *(c.collate("C") if postgres and isinstance(c.type, String) else c for c in order)
    )
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return sql, [column_kind(c.type) for c in columns]
