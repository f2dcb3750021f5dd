"""Importing a large LMS export (CSV or XLSX) a chunk of rows at a time, so memory follows
the chunk, not the file (a workbook's rows come one at a time from :mod:`.xlsx_rows`).

The whole-file path reads the file's bytes, its text and a frame of every row, and joins
each row to its campaign's audience: several times the file's size. Here the file is read
once, :data:`CHUNK_ROWS` rows at a time (a workbook's parse is the costly part, so it is
never repeated): each chunk is validated against a read (the same
:func:`~.training_import.validate_records`, each chunk with its own row numbers, so a bad
cell is named by its row wherever it is), its (campaign, person) pairs kept in a Polars
frame of those two columns for the duplicates across chunks, and the chunk as read staged
in a temporary file. Then, if nothing was refused, under the write lock in one
transaction: each staged chunk validated again against what is stored now and inserted. A
refusal at any point writes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest import refusals as R
from esgledger.ingest.checker import KEEP, ROW
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
DUPLICATE_MESSAGE = N_("duplicate of row %(row)s")  # as the in-file check names it


def _digest(path: Path, source: str) -> str:
    sha = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                sha.update(block)
    except OSError as exc:
        raise R.refused(source, R.UNREADABLE, error=exc.strerror) from None
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
        raise R.refused(source, R.NOT_UTF8) from None
    except csv.Error as exc:
        raise R.refused(source, R.NOT_CSV, error=str(exc)) from None


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
        raise R.refused(source, R.EMPTY)
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
            raise R.refused(source, R.ROW_CELLS, row=number, found=len(line), wanted=len(names))
        if any(len(cell) > MAX_CELL_CHARS for cell in line):
            raise R.refused(source, R.ROW_LONG_CELL, row=number, most=f"{MAX_CELL_CHARS:,}")
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
        raise R.refused(file.source, R.NO_ROWS)


def _keys(chunk: Table) -> pl.DataFrame | None:
    """A chunk's (campaign, person) pairs by row, for duplicates across chunks; none when
    the file lacks either column (the chunk's validation names it)."""
    if not {"campaign", "person"} <= set(chunk.frame.columns):
        return None
    return chunk.frame.select(
        ROW,
        pl.col("campaign").fill_null("").str.strip_chars().alias("c"),
        pl.col("person").fill_null("").str.strip_chars().alias("p"),
    )


def _repeated(keys: pl.DataFrame) -> list[Problem]:
    """The first of the pairs (c, p) given after their first row, each named by its row."""
    later = (
        keys.lazy()
        .with_columns(pl.col(ROW).min().over(["c", "p"]).alias("first"))
        .filter(pl.col(ROW) != pl.col("first"))
        .select(ROW, "first")
        .head(KEEP)
        .collect()
    )
    return [
        Problem(int(r), "person", f"{DUPLICATE} {first}", DUPLICATE_MESSAGE, {"row": first})
        for r, first in later.iter_rows()
    ]


@dataclass
class Staged:
    """What one pass over a file that nothing refused keeps for the write: its chunks as
    read (files in a temporary folder), the campaigns they name and their row count."""

    parts: list[Path] = field(default_factory=list)
    campaigns: set[int] = field(default_factory=set)
    count: int = 0

    def tables(self, file: Table) -> Iterator[Table]:
        """The staged chunks again, a chunk at a time, each with its own row numbers."""
        for part in self.parts:
            yield Table(frame=pl.read_ipc(part), source=file.source,
                        sha256=file.sha256)  # fmt: skip


def _stage(
    path: Path,
    file: Table,
    entities: set[str],
    audiences: dict[str, Audience],
    folder: Path,
    sheet: str | None = None,
) -> Staged:
    """One pass over the file: every chunk validated (problems gathered over all chunks,
    duplicates across chunks included) and, while nothing is refused, kept in ``folder`` for
    the write; or :class:`ImportRejected`."""
    staged = Staged()
    problems: list[Problem] = []
    total = 0
    pairs: list[pl.DataFrame] = []
    for number, chunk in enumerate(chunks(path, file, CHUNK_ROWS, sheet)):
        keys = _keys(chunk)
        if keys is not None:
            pairs.append(keys)
        try:
            rows = validate_records(chunk, entities=entities, audiences=audiences)
        except ImportRejected as refused:
            kept = [p for p in refused.problems if not p.reason.startswith(DUPLICATE)]
            problems += kept[: max(0, KEEP - len(problems))]
            total += refused.total - (len(refused.problems) - len(kept))
            continue
        staged.campaigns |= set(rows["campaign_id"].unique().to_list())
        staged.count += rows.height
        if not problems:  # a refused file is not written: nothing more to keep
            part = folder / f"{number:06d}.arrow"
            chunk.frame.write_ipc(part)
            staged.parts.append(part)
    every = pl.concat(pairs) if pairs else pl.DataFrame()
    repeats = every.height - every.select("c", "p").n_unique() if pairs else 0
    if repeats:
        problems += _repeated(every)
        total += repeats
    if problems:
        raise ImportRejected(file.source, problems, total)
    return staged


def import_records_streamed(
    db: Database, path: Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """An LMS export (CSV or XLSX), all or nothing, read once a chunk at a time; it replaces
    its campaigns' records."""
    from esgledger.registers.training import audiences

    file = Table(pl.DataFrame(), path.name, _digest(path, path.name))
    with tempfile.TemporaryDirectory(prefix="esg-training-") as folder:
        with db.read() as session:
            entities = set(session.scalars(select(Entity.id)))
            staged = _stage(path, file, entities, audiences(session), Path(folder), sheet)
        with db.write() as session:
            return _write(session, file, staged, actor)


def _write(session: Session, file: Table, staged: Staged, actor: str) -> Imported:
    """The staged chunks, each validated again under the write lock (a campaign may have
    changed since the read), in place of their campaigns' records."""
    from esgledger.registers.training import audiences

    entities = set(session.scalars(select(Entity.id)))
    now = audiences(session)
    stored = TrainingRecord.campaign_id.in_(sorted(staged.campaigns))
    replaced_batches = set(  # distinct: not one id per replaced row
        session.scalars(select(TrainingRecord.batch_id).where(stored).distinct())
    )
    replaced = session.scalar(select(func.count()).where(stored)) or 0
    session.execute(delete(TrainingRecord).where(stored))
    batch = open_batch(
        session, kind="register.training_records", table=file, rows=staged.count, actor=actor
    )
    records = Base.metadata.tables["training_records"]
    for chunk in staged.tables(file):
        rows = validate_records(chunk, entities=entities, audiences=now)
        frame = rows.drop(ROW).with_columns(pl.lit(batch.id).alias("batch_id"))
        for part in frame.iter_slices(INSERT_ROWS):
            session.connection().execute(insert(records), part.to_dicts())
    session.flush()
    digests.touch_batches(session, *sorted(replaced_batches, key=lambda b: b or 0))
    result = Imported(batch.id, staged.count, replaced)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result
