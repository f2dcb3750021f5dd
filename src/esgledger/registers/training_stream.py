"""Importing a large LMS export (CSV or XLSX) a chunk of rows at a time, so memory follows
the chunk, not the file (a workbook's rows come one at a time from :mod:`.xlsx_rows`).

The whole-file path reads the file's bytes, its text and a frame of every row, and joins
each row to its campaign's audience: several times the file's size. Here the file is read
twice through the ``csv`` module, :data:`CHUNK_ROWS` rows at a time: first to validate every
chunk against a read (the same :func:`~.training_import.validate_records`, each chunk with
its own row numbers, so a bad cell is named by its row wherever it is) and to find the
duplicates of (campaign, person) across chunks (a scan of those two columns only); then, if
nothing was refused, under the write lock in one transaction: each chunk validated again
against what is stored now and inserted. A refusal at any point writes nothing.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from pathlib import Path

import polars as pl
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from esgledger.errors import ImportRejected, Problem
from esgledger.ingest.checker import KEEP, ROW, refuse
from esgledger.ingest.headers import apply_header
from esgledger.ingest.readers import Table
from esgledger.ingest.xlsx_guard import MAX_CELL_CHARS
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.register_models import TrainingRecord
from esgledger.registers.ohs import Imported
from esgledger.registers.training_import import Audience, validate_records
from esgledger.registers.xlsx_rows import xlsx_rows

CHUNK_ROWS = 10_000  # about 5 MB of Python objects a chunk, whatever the file
INSERT_ROWS = 2000
DUPLICATE = "duplicate of row"


def _digest(path: Path, source: str) -> str:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
    except OSError as exc:
        raise refuse(source, f"cannot read the file: {exc.strerror}") from None
    return sha.hexdigest()


def _chunk(names: list[str], rows: list[list[str]], start: int, table: Table) -> Table:
    columns = {f"column_{i + 1}": [r[i] for r in rows] for i in range(len(names))}
    frame = apply_header(names, pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String)),
                         table.source)  # fmt: skip
    numbers = pl.Series(ROW, range(start, start + len(rows)), dtype=pl.UInt32)
    return Table(frame=frame.with_columns(numbers), source=table.source, sha256=table.sha256)


def _csv_rows(path: Path, source: str) -> Iterator[list[str]]:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            yield from csv.reader(fh)
    except UnicodeDecodeError:
        raise refuse(source, "not UTF-8; save the file as UTF-8 CSV") from None
    except csv.Error as exc:
        raise refuse(source, f"cannot read as CSV: {exc}") from None


def _is_xlsx(path: Path) -> bool:
    return path.suffix.lower() == ".xlsx"


def _lines(path: Path, source: str, sheet: str | None) -> Iterator[list[str]]:
    """The file's rows as text, the header first: a CSV's or a workbook sheet's."""
    if _is_xlsx(path):
        return xlsx_rows(path, source, sheet=sheet, kind="records")
    return _csv_rows(path, source)


def _data_rows(path: Path, source: str, sheet: str | None) -> Iterator[list[str]]:
    """The data rows, each as many cells as the header, in the file's order: a CSV's blank
    lines skipped; a sheet's empty rows kept (each keeps its row number) but for those after
    the last data row."""
    reader = _lines(path, source, sheet)
    names = next(reader, None)
    if not names:
        raise refuse(source, "the file is empty")
    yield names
    workbook, empty, number = _is_xlsx(path), 0, 2
    for line in reader:
        if not line:
            empty += workbook
            continue
        for _ in range(empty):
            yield [""] * len(names)
        number, empty = number + empty, 0
        if workbook and len(line) < len(names):
            line = line + [""] * (len(names) - len(line))
        if len(line) != len(names):
            raise refuse(source, f"row {number} has {len(line)} cells, the header "
                                 f"{len(names)}")  # fmt: skip
        if any(len(cell) > MAX_CELL_CHARS for cell in line):
            raise refuse(source, f"row {number} has a cell longer than "
                                 f"{MAX_CELL_CHARS:,} characters")  # fmt: skip
        yield line
        number += 1


def chunks(path: Path, file: Table, rows: int, sheet: str | None = None) -> Iterator[Table]:
    """The file's data rows as tables of ``rows`` rows, each with its own row numbers."""
    lines = _data_rows(path, file.source, sheet)
    names = next(lines)
    batch: list[list[str]] = []
    start = 2
    for line in lines:
        batch.append(line)
        if len(batch) == rows:
            yield _chunk(names, batch, start, file)
            start, batch = start + rows, []
    if batch:
        yield _chunk(names, batch, start, file)
    elif start == 2:
        raise refuse(file.source, "the file has a header but no data rows")


def _duplicates(path: Path, names: list[str], source: str, sheet: str | None) -> list[Problem]:
    """(campaign, person) pairs given again anywhere in the file, from those two columns."""
    header = [n.strip().lower() for n in names]
    if "campaign" not in header or "person" not in header:
        return []  # the chunks' validation names the missing column
    if _is_xlsx(path):
        return _sheet_duplicates(path, source, sheet, header)
    scan = pl.scan_csv(
        path, has_header=False, skip_rows=1, infer_schema=False, encoding="utf8-lossy"
    ).select(
        pl.nth(header.index("campaign")).fill_null("").str.strip_chars().alias("c"),
        pl.nth(header.index("person")).fill_null("").str.strip_chars().alias("p"),
    )
    return _repeated(scan)


def _repeated(pairs: pl.LazyFrame) -> list[Problem]:
    """Each (c, p) pair after its first row, named by its row (the first data row is 2)."""
    keys = (
        pairs.with_row_index("r", offset=2)
        .with_columns(pl.col("r").min().over(["c", "p"]).alias("first"))
        .filter(pl.col("r") != pl.col("first"))
        .select("r", "first")
        .collect()
    )
    return [
        Problem(int(r), "person", f"{DUPLICATE} {first}")
        for r, first in keys.head(KEEP).iter_rows()
    ]


def _sheet_duplicates(
    path: Path, source: str, sheet: str | None, header: list[str]
) -> list[Problem]:
    """As for a CSV, from the sheet's two key columns gathered a chunk at a time into one
    frame (held by Polars, not as Python objects)."""
    c, p = header.index("campaign"), header.index("person")
    parts: list[pl.DataFrame] = []
    keys: list[tuple[str, str]] = []
    rows = _data_rows(path, source, sheet)
    next(rows)
    for line in rows:
        keys.append((line[c].strip(), line[p].strip()))
        if len(keys) == CHUNK_ROWS:
            parts.append(pl.DataFrame(keys, schema=["c", "p"], orient="row"))
            keys = []
    parts.append(pl.DataFrame(keys, schema={"c": pl.String, "p": pl.String}, orient="row"))
    return _repeated(pl.concat(parts).lazy())


def _header(path: Path, source: str, sheet: str | None) -> list[str]:
    if _is_xlsx(path):
        return next(_lines(path, source, sheet), [])
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            return next(csv.reader(fh), [])
    except (UnicodeDecodeError, csv.Error):
        raise refuse(source, "cannot read the header; save the file as UTF-8 CSV") from None


def _validate(
    path: Path,
    file: Table,
    entities: set[str],
    audiences: dict[str, Audience],
    sheet: str | None = None,
) -> tuple[set[int], int]:
    """Every chunk validated (problems gathered over all chunks, duplicates across chunks
    included); the campaigns the file names and its row count, or :class:`ImportRejected`."""
    problems: list[Problem] = []
    total, campaigns, count = 0, set(), 0
    for chunk in chunks(path, file, CHUNK_ROWS, sheet):
        try:
            rows = validate_records(chunk, entities=entities, audiences=audiences)
        except ImportRejected as refused:
            kept = [p for p in refused.problems if not p.reason.startswith(DUPLICATE)]
            problems += kept[: max(0, KEEP - len(problems))]
            total += refused.total - (len(refused.problems) - len(kept))
            continue
        campaigns |= set(rows["campaign_id"].unique().to_list())
        count += rows.height
    duplicates = _duplicates(path, _header(path, file.source, sheet), file.source, sheet)
    if problems or duplicates:
        raise ImportRejected(file.source, problems + duplicates, total + len(duplicates))
    return campaigns, count


def import_records_streamed(
    db: Database, path: Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """An LMS export (CSV or XLSX), all or nothing, read a chunk at a time; it replaces its
    campaigns' records."""
    from esgledger.registers.training import audiences

    file = Table(pl.DataFrame(), path.name, _digest(path, path.name))
    with db.read() as session:
        entities = set(session.scalars(select(Entity.id)))
        campaigns, count = _validate(path, file, entities, audiences(session), sheet)
    with db.write() as session:
        return _write(session, path, file, campaigns, count, actor, sheet)


def _write(
    session: Session,
    path: Path,
    file: Table,
    campaigns: set[int],
    count: int,
    actor: str,
    sheet: str | None,
) -> Imported:
    from esgledger.registers.training import audiences

    entities = set(session.scalars(select(Entity.id)))
    now = audiences(session)  # re-checked under the write lock: a campaign may have changed
    stored = TrainingRecord.campaign_id.in_(sorted(campaigns))
    replaced_batches = set(  # distinct: not one id per replaced row
        session.scalars(select(TrainingRecord.batch_id).where(stored).distinct())
    )
    replaced = session.scalar(select(func.count()).where(stored)) or 0
    session.execute(delete(TrainingRecord).where(stored))
    batch = open_batch(
        session, kind="register.training_records", table=file, rows=count, actor=actor
    )
    records = Base.metadata.tables["training_records"]
    for chunk in chunks(path, file, CHUNK_ROWS, sheet):
        rows = validate_records(chunk, entities=entities, audiences=now)
        frame = rows.drop(ROW).with_columns(pl.lit(batch.id).alias("batch_id"))
        for part in frame.iter_slices(INSERT_ROWS):
            session.connection().execute(insert(records), part.to_dicts())
    session.flush()
    digests.touch_batches(session, *sorted(replaced_batches, key=lambda b: b or 0))
    result = Imported(batch.id, count, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result
