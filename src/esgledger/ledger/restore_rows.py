"""Loading one archived data file into its table, streamed, within the restore's transaction.

Rows are decoded and bound for the driver in one pass, reordered only as far as a
self-referencing foreign key needs, and bulk inserted: ``executemany`` on SQLite, ``COPY`` on
PostgreSQL.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, Any

from sqlalchemy import Connection, Table

from esgledger.errors import InvalidInput
from esgledger.ledger.archive_format import CHUNK, DECODERS, Codec, converter, decode_row_line


def load_table(
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


def _then(first: Codec, second: Codec) -> Codec:
    """Decode from the archive, then bind for the driver, in one call per value."""
    if first is None or second is None:
        return first or second
    return lambda v: second(first(v))


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
                values = decode_row_line(line.decode("utf-8"))
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
