"""Data digests: the rows an audit event wrote, hashed from the tables alone.

A *scope* names a set of rows one writer owns: ``batch:12`` (an import batch: its
``import_batches`` row, the activity, activity-store file, KPI and factor-edition rows carrying
that batch id and the factor values of those editions; ``batch:none`` is the register rows
written without a file), ``value:7`` (one KPI value entered through a data request without a
file: a write digests the row it wrote, not every such value again), ``run:3`` (a calculation
run with its coefficients, results, issues, Scope 3 lines and rejected instruments),
``report:2025/1`` (the files of one publication) and ``suppliers:register`` (the supplier
register, which changes row by row as files and decisions arrive: digested per supplier by
:mod:`esgledger.ledger.supplier_digest`, so an event re-reads only the suppliers it names). A
writer calls :func:`touch` for each scope it changed; the next
:func:`esgledger.ledger.audit.record` in the same transaction stores the scope's digest in its
payload, so the chain hash covers it and ``esg audit verify --deep`` can recompute it.
``voids:12`` is the void state (who voided which activity rows of batch 12, when and why): the
void columns change after the import, so the batch's digest leaves them out, and each void,
un-void or replacing import digests the void state of the batches it changed instead.

The digest is the SHA-256 of each table's rows in primary-key order, in the canonical text of
:mod:`esgledger.ledger.row_text` (floats as ``repr``, dates ISO, booleans true/false), so the
same data gives the same digest on SQLite and PostgreSQL. Columns that legitimately change
after the write are left out: ``kpi_values.is_current`` (a restatement retires the old row)
and the optimistic locking ``version``. Rows are read as plain columns, ``CHUNK`` at a time:
memory stays flat.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import Column, ColumnElement, String, Table, false, select, true
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from esgledger.ledger.archive_format import CHUNK, column_kind
from esgledger.ledger.models import Base
from esgledger.ledger.ohs_models import OHS_SAFETY_TABLES
from esgledger.ledger.regcert_models import REGCERT_TABLES
from esgledger.ledger.row_text import rows_text
from esgledger.ledger.store_models import DIGESTED_COLUMNS
from esgledger.ledger.supplier_models import MINERAL_TABLES, SUPPLIER_TABLES

PENDING = "esgledger.audit.pending_scopes"
NO_BATCH = "none"
VOID_COLUMNS = ("voided_at", "voided_by", "void_reason")  # digested per ``voids:`` scope
MUTABLE_COLUMNS = frozenset({"is_current", "version", *VOID_COLUMNS})
# Tables whose rows are written once: a later event may digest them again, never differently.
WRITTEN_ONCE = frozenset(
    {
        "activity_records",
        "activity_files",
        "factor_editions",
        "factors",
        "calculation_runs",
        "calculation_coefficients",
        "calculation_results",
        "calculation_issues",
        "calculation_issue_groups",
        "calculation_scope3_lines",
        "calculation_instrument_rejections",
        "calculation_instrument_rejection_groups",
        "published_reports",
        "scope3_screenings",
        "scope3_screening_exclusions",
        "product_models",
        "product_use_modes",
        "product_materials",
        *MINERAL_TABLES,
    }
)

# Register tables (#17): their rows carry the batch that wrote them, so the batch covers them.
REGISTER_TABLES = (
    "ohs_hours",
    "ohs_incidents",
    "whistle_cases",
    "board_members",
    "board_attendance",
    "training_campaigns",
    "training_records",
    "complaints",
    "nps_answers",
    "vulnerabilities",
    *REGCERT_TABLES,
    *OHS_SAFETY_TABLES,
)

Where = Callable[[Table, list[str]], ColumnElement[bool]]
Known = dict[str, list[Any]]  # table → [rows, sha256] taken from the rows as written


@dataclass(frozen=True)
class Part:
    """One table of a scope and how its rows are chosen from the scope's arguments."""

    table: str
    where: Where
    columns: tuple[str, ...] = ()  # only these; default: all but MUTABLE_COLUMNS


def _by(column: str) -> Where:
    return lambda t, args: t.c[column] == int(args[0])


def _batch(column: str) -> Where:
    def where(t: Table, args: list[str]) -> ColumnElement[bool]:
        return t.c[column].is_(None) if args[0] == NO_BATCH else t.c[column] == int(args[0])

    return where


def _batch_values(t: Table, args: list[str]) -> ColumnElement[bool]:
    """KPI values of an import; values entered without a file are digested one by one
    (``value:ID``), so a data request's write reads one row, not all of them."""
    return false() if args[0] == NO_BATCH else t.c.batch_id == int(args[0])


def _manual_value(t: Table, args: list[str]) -> ColumnElement[bool]:
    return (t.c.id == int(args[0])) & t.c.batch_id.is_(None)


def _factors_of_batch(t: Table, args: list[str]) -> ColumnElement[bool]:
    """Factor values have no batch id: they belong to an edition that has one."""
    editions = Base.metadata.tables["factor_editions"]
    return t.c.edition.in_(select(editions.c.edition).where(_batch("batch_id")(editions, args)))


def _smelters_of_batch(t: Table, args: list[str]) -> ColumnElement[bool]:
    """A CMRT's smelter rows have no batch id: they belong to a declaration that has one."""
    declarations = Base.metadata.tables["mineral_declarations"]
    return t.c.declaration_id.in_(
        select(declarations.c.id).where(_batch("batch_id")(declarations, args))
    )


def _voided_in_batch(t: Table, args: list[str]) -> ColumnElement[bool]:
    return (t.c.batch_id == int(args[0])) & t.c.voided_at.is_not(None)


def _edition(t: Table, args: list[str]) -> ColumnElement[bool]:
    return (t.c.year == int(args[0])) & (t.c.edition == int(args[1]))


def _whole(t: Table, args: list[str]) -> ColumnElement[bool]:
    """Every row: a register small enough to digest whole, changed row by row over time."""
    return true()


KINDS: dict[str, list[Part]] = {
    "batch": [
        Part("import_batches", _batch("id")),
        Part("activity_records", _batch("batch_id")),
        # the activity store's files (#18); their sort ranges (0040) are checked against the
        # files' rows by ``esg audit verify --deep`` instead, so older batches still verify
        Part("activity_files", _batch("batch_id"), DIGESTED_COLUMNS),
        Part("kpi_values", _batch_values),
        Part("factor_editions", _batch("batch_id")),
        Part("factors", _factors_of_batch),
        *(Part(table, _batch("batch_id")) for table in REGISTER_TABLES),
        Part("scope3_screenings", _batch("batch_id")),  # a year's Scope 3 screening
        Part("scope3_screening_exclusions", _batch("batch_id")),
        Part("product_models", _batch("batch_id")),
        Part("product_use_modes", _batch("batch_id")),
        Part("product_materials", _batch("batch_id")),
        Part("mineral_declarations", _batch("batch_id")),  # a supplier's CMRT/EMRT (#16)
        Part("mineral_smelters", _smelters_of_batch),
    ],
    "run": [
        Part("calculation_runs", _by("id")),
        Part("calculation_coefficients", _by("run_id")),
        Part("calculation_results", _by("run_id")),
        Part("calculation_issues", _by("run_id")),  # runs before 0031_calc4
        Part("calculation_issue_groups", _by("run_id")),
        Part("calculation_scope3_lines", _by("run_id")),
        Part("calculation_instrument_rejections", _by("run_id")),  # rejected instruments
        Part("calculation_instrument_rejection_groups", _by("run_id")),  # since 0034_calc7
    ],
    "report": [Part("published_reports", _edition)],
    "value": [Part("kpi_values", _manual_value)],
    "voids": [Part("activity_records", _voided_in_batch, ("id", *VOID_COLUMNS))],
    "suppliers": [Part(name, _whole) for name in SUPPLIER_TABLES],  # see supplier_digest
}
# Kinds whose rows a later event changes: no written-once check for them.
CHANGING_KINDS = frozenset({"voids", "suppliers"})
SUPPLIER_REGISTER = "suppliers:register"  # digested per supplier (supplier_digest)


def written_once(scope: str, table: str) -> bool:
    """Whether ``table``'s rows of ``scope`` may be digested again only unchanged."""
    return table in WRITTEN_ONCE and scope.partition(":")[0] not in CHANGING_KINDS


def batch_scope(batch_id: int | None) -> str:
    return f"batch:{NO_BATCH if batch_id is None else batch_id}"


def run_scope(run_id: int) -> str:
    return f"run:{run_id}"


def report_scope(year: int, edition: int) -> str:
    return f"report:{year}/{edition}"


def value_scope(value_id: int) -> str:
    """A KPI value entered without a file (through a data request)."""
    return f"value:{value_id}"


def voids_scope(batch_id: int) -> str:
    return f"voids:{batch_id}"


EMPTY = hashlib.sha256().hexdigest()  # the digest of a table part holding no row


def new_batch_known(holding: Iterable[str]) -> Known:
    """The digests of a batch opened in this transaction that are known without reading:
    every table of the ``batch`` kind but ``holding`` has none of its rows, since no other
    writer knows the new batch's id. A CMRT file's batch read back 34 tables for 3."""
    held = set(holding)
    return {p.table: [0, EMPTY] for p in KINDS["batch"] if p.table not in held}


def touch(session: Session, scope: str, known: Known | None = None) -> None:
    """Note that ``scope``'s rows changed: the next audit event in this transaction digests them.

    ``known`` gives the ``[rows, sha256]`` of some of its tables, taken from the rows as they
    were written (``ledger.frame_digest``): those tables are not read back. Touching the
    supplier register this way re-reads all of it; a writer that knows which suppliers it
    changed calls :func:`touch_suppliers` instead.
    """
    if scope == SUPPLIER_REGISTER:
        _suppliers().touch_all(session)
    session.info.setdefault(PENDING, {})[scope] = known


def touch_suppliers(session: Session, supplier_ids: Iterable[str]) -> None:
    """Note that only these suppliers' register rows changed (none: only the shared tables)."""
    _suppliers().touch_suppliers(session, supplier_ids)
    session.info.setdefault(PENDING, {})[SUPPLIER_REGISTER] = None


def _suppliers() -> ModuleType:
    """:mod:`esgledger.ledger.supplier_digest`, which builds on this module's queries."""
    from esgledger.ledger import supplier_digest

    return supplier_digest


def touch_batches(session: Session, *batch_ids: int | None) -> None:
    """Touch the batches a KPI value moves between (``None``: values entered without a file)."""
    for batch_id in batch_ids:
        touch(session, batch_scope(batch_id))


def settle(session: Session, event_id: int, event_hash: str) -> None:
    """The event that recorded this transaction's digests is written: keep what is reusable."""
    _suppliers().settle(session, event_id, event_hash)


def take_pending(session: Session) -> list[tuple[str, Known | None]]:
    """The scopes touched since the last event, with their known digests, forgetting them."""
    return list(session.info.pop(PENDING, {}).items())


def digest(
    session: Session, scope: str, known: Known | None = None, *, pending: bool = False
) -> dict[str, Any]:
    """``{"scope", "tables": {table: [rows, sha256]}}`` of the scope's rows as stored now;
    the tables in ``known`` are taken from it, not read.

    ``pending``: an event is being recorded, so the supplier register may re-read only the
    suppliers this transaction touched.
    """
    kind, _ = _parse(scope)
    if kind == "suppliers":
        return dict(_suppliers().digest(session, pending=pending))
    tables: dict[str, list[Any]] = {}
    dialect = session.connection().dialect
    for index, part in enumerate(KINDS[kind]):
        if known is not None and part.table in known:
            tables[part.table] = list(known[part.table])
            continue
        sha, count = hashlib.sha256(), 0
        for rows, data in _chunks(session, part_query(dialect, scope, index)):
            sha.update(data)
            count += rows
        tables[part.table] = [count, sha.hexdigest()]
    return {"scope": scope, "tables": tables}


@dataclass(frozen=True)
class PartQuery:
    """The SQL reading one part of a scope (values inlined) and its columns' kinds."""

    sql: str
    kinds: list[str]


_queries: OrderedDict[tuple[str, str, int], PartQuery] = OrderedDict()
_queries_lock = threading.Lock()
MAX_QUERIES = 512
# Ids no scope holds, inlined where a scope's ids go and replaced by them (no other number in
# a part's SQL has ten digits)
_PLACEHOLDERS = (7306149825, 7306149826, 7306149827)


def part_query(dialect: Dialect, scope: str, index: int) -> PartQuery:
    """The query of part ``index`` of ``scope``, compiled once per dialect and scope.

    A register's write without a file digests ``batch:none`` (20 tables): compiling those
    statements afresh each time cost more than running them. The text depends only on the
    dialect, the scope and the schema, so it is kept (the least recently used dropped).
    """
    kind, args = _parse(scope)
    numbered = len(args) <= len(_PLACEHOLDERS) and all(a.isdigit() for a in args)
    key = (dialect.name, f"{kind}:{len(args)}" if numbered else scope, index)
    with _queries_lock:
        kept = _queries.get(key)
        if kept is not None:
            _queries.move_to_end(key)
    if kept is None:
        # a scope of ids alone (``value:7``, ``run:3``) is compiled once per kind, with
        # placeholder ids put in its text: every data request's write has a new value id
        model = f"{kind}:{'/'.join(map(str, _PLACEHOLDERS[: len(args)]))}" if numbered else scope
        kept = build_part_query(dialect, model, index)
        with _queries_lock:
            _queries[key] = kept
            while len(_queries) > MAX_QUERIES:
                _queries.popitem(last=False)
    if not numbered:
        return kept
    sql = kept.sql
    for placeholder, arg in zip(_PLACEHOLDERS, args, strict=False):
        sql = sql.replace(str(placeholder), str(int(arg)))
    return PartQuery(sql, kept.kinds)


def build_part_query(dialect: Dialect, scope: str, index: int) -> PartQuery:
    """:func:`part_query` without the cache: the statement built and compiled afresh."""
    kind, args = _parse(scope)
    part = KINDS[kind][index]
    table = Base.metadata.tables[part.table]
    columns = [table.c[c] for c in part.columns] or covered_columns(table)
    postgres = dialect.name == "postgresql"
    order = [
        c.collate("C") if postgres and isinstance(c.type, String) else c
        for c in table.primary_key.columns
    ]
    stmt = select(*columns).where(part.where(table, args)).order_by(*order)
    # The statement's only parameters are ids and years (integers), so they are inlined.
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    return PartQuery(sql, [column_kind(c.type) for c in columns])


def covered_columns(table: Table) -> list[Column[Any]]:
    return [c for c in table.columns if c.name not in MUTABLE_COLUMNS]


def _chunks(session: Session, query: PartQuery) -> Iterator[tuple[int, bytes]]:
    """(row count, canonical bytes) per ``CHUNK`` rows, in primary-key order."""
    for rows in driver_rows(session, query.sql):
        yield len(rows), rows_text(query.kinds, rows).encode()


def driver_rows(
    session: Session, sql: str, params: tuple[Any, ...] = ()
) -> Iterator[list[tuple[Any, ...]]]:
    """The driver's own tuples, ``CHUNK`` at a time: no per-value conversions, no Row objects."""
    conn = session.connection()
    driver = conn.connection.driver_connection
    postgres = conn.dialect.name == "postgresql"
    # A named (server-side) cursor on PostgreSQL: memory stays flat however many rows match.
    cursor = driver.cursor(name="esg_digest") if postgres else driver.cursor()
    try:
        cursor.execute(sql, params) if params else cursor.execute(sql)
        while rows := cursor.fetchmany(CHUNK):
            yield rows
    finally:
        cursor.close()


def _parse(scope: str) -> tuple[str, list[str]]:
    kind, _, rest = scope.partition(":")
    if kind not in KINDS or not rest:
        raise ValueError(f"unknown data scope {scope!r}")
    return kind, rest.split("/")


def scopes_in_tables(session: Session) -> set[str]:
    """Every scope that has rows now: the ones some event must have digested."""
    t = Base.metadata.tables
    found: set[str] = set()
    for name, column in (
        ("import_batches", "id"),
        ("activity_records", "batch_id"),
        ("activity_files", "batch_id"),
        ("factor_editions", "batch_id"),
        *((table, "batch_id") for table in REGISTER_TABLES),
        ("scope3_screenings", "batch_id"),
        ("scope3_screening_exclusions", "batch_id"),
    ):
        found |= {batch_scope(b) for b in session.scalars(select(t[name].c[column]).distinct())}
    for name, column in (
        ("calculation_runs", "id"),
        ("calculation_coefficients", "run_id"),
        ("calculation_results", "run_id"),
        ("calculation_issues", "run_id"),
        ("calculation_issue_groups", "run_id"),
        ("calculation_scope3_lines", "run_id"),
        ("calculation_instrument_rejections", "run_id"),
        ("calculation_instrument_rejection_groups", "run_id"),
    ):
        found |= {run_scope(r) for r in session.scalars(select(t[name].c[column]).distinct())}
    values = t["kpi_values"]
    batches = select(values.c.batch_id).where(values.c.batch_id.is_not(None)).distinct()
    found |= {batch_scope(b) for b in session.scalars(batches)}
    manual = select(values.c.id).where(values.c.batch_id.is_(None))
    found |= {value_scope(i) for i in session.scalars(manual)}
    records = t["activity_records"]
    voided = select(records.c.batch_id).where(records.c.voided_at.is_not(None)).distinct()
    found |= {voids_scope(b) for b in session.scalars(voided)}
    reports = t["published_reports"]
    pairs = session.execute(select(reports.c.year, reports.c.edition).distinct())
    found |= {report_scope(y, e) for y, e in pairs}
    if any(session.scalar(select(t[name]).exists().select()) for name in SUPPLIER_TABLES):
        found.add(SUPPLIER_REGISTER)
    return found
