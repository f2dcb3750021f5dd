"""The Parquet activity store: activity rows kept as files partitioned by year and entity.

A ledger row costs an index entry and a B-tree page share; at 10⁸ rows a year that is tens
of gigabytes and minutes per import. ``esg import activities --store`` writes the validated
rows instead to ``year=Y/entity=E/batch-N-TOKEN.parquet`` under the store root, one file per
(year, entity) of the batch, and registers each file (path, rows, id range, SHA-256) in
``activity_files`` inside the import's own transaction, before its audit event, so the
batch's data digest covers the registry and the chain vouches for the files. A failed import
removes the files it wrote; files are never changed afterwards (no voiding in the store).

Store rows take ids from the same sequence as ledger rows (``next_activity_id``), so a year's
rows have one id order wherever they sit: a run over them reads the same rows in the same
order, and its figures and input digest are those of the same rows held in the ledger. Each
file is re-hashed when read: a changed file stops the run (exit 3), never a silent figure.

The root is ``ESG_ACTIVITY_STORE`` when set, else ``<database file>.store`` beside a SQLite
workspace; a PostgreSQL workspace needs the setting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import secrets
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote, urlsplit

import numpy as np
import polars as pl
from sqlalchemy import URL, func, select, text
from sqlalchemy.orm import Session

from esgledger.errors import IntegrityFailure, InvalidInput
from esgledger.ledger.models import ActivityRecord
from esgledger.ledger.store_models import RANGE_COLUMNS, ActivityFile
from esgledger.settings import get_settings

SUFFIX = ".store"  # beside a SQLite workspace: esg.db → esg.db.store
STORE_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.Int64(),
    "entity_id": pl.Utf8(),
    "start": pl.Date(),
    "end": pl.Date(),
    "activity": pl.Utf8(),
    "quantity": pl.Float64(),
    "unit": pl.Utf8(),
    "attributes": pl.Utf8(),
}


def store_root(session: Session) -> Path | None:
    """The store's folder (it may not exist yet), or None when the workspace has none."""
    return root_of_url(session.connection().engine.url)


def root_of_url(url: URL) -> Path | None:
    """The store folder of the workspace at ``url`` (the setting, else beside a SQLite file)."""
    configured = get_settings().activity_store
    if configured:
        return Path(configured).expanduser()
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = str(url.database)
    if database.startswith("file:"):  # a read-only URI: file:/quoted/path?mode=ro
        database = unquote(urlsplit(database).path)
    return Path(database).with_name(Path(database).name + SUFFIX)


def required_root(session: Session) -> Path:
    root = store_root(session)
    if root is None:
        raise InvalidInput(
            "this workspace has no activity store folder: set ESG_ACTIVITY_STORE to a folder "
            "(needed on PostgreSQL)"
        )
    return root


def has_files(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(ActivityFile)) != 0


def next_activity_id(session: Session) -> int:
    """The next free activity-row id, above every ledger row and every stored file's rows."""
    ledger = session.scalar(select(func.max(ActivityRecord.id))) or 0
    stored = session.scalar(select(func.max(ActivityFile.last_id))) or 0
    return max(ledger, stored) + 1


def claim_ids(session: Session, count: int) -> int:
    """The first of ``count`` activity-row ids given explicitly (store rows, and ledger rows
    once the store holds files); on PostgreSQL the id sequence is moved past them, so rows
    inserted later without an id never take one of them."""
    first = next_activity_id(session)
    if session.connection().dialect.name == "postgresql" and count:
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('activity_records', 'id'), :last)"),
            {"last": first + count - 1},
        )
    return first


def write_files(
    session: Session, rows: pl.DataFrame, batch_id: int, written: list[Path]
) -> list[ActivityFile]:
    """``rows`` (typed, in file order) with ids, one Parquet file per (year, entity), each
    registered in this transaction; every path written is appended to ``written`` first, so
    the caller can remove them if the transaction does not commit."""
    root = required_root(session)
    first = claim_ids(session, rows.height)
    framed = rows.select(
        pl.int_range(first, first + rows.height, dtype=pl.Int64).alias("id"),
        *(pl.col(c).cast(t) for c, t in STORE_SCHEMA.items() if c != "id"),
    ).with_columns(pl.col("start").dt.year().alias("_year"))
    token = secrets.token_hex(4)  # a rolled-back batch's id may be given again
    files = []
    for year, entity, part in entity_parts(framed):
        relative = (
            f"year={year}/entity={quote(str(entity), safe='')}/batch-{batch_id}-{token}.parquet"
        )
        data = _parquet_bytes(part.drop("_year"))
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(target)
        with target.open("xb") as out:
            out.write(data)
            out.flush()
        files.append(
            ActivityFile(
                batch_id=batch_id,
                year=int(year),
                entity_id=str(entity),
                path=relative,
                rows=part.height,
                first_id=int(part["id"].min()),  # type: ignore[arg-type]
                last_id=int(part["id"].max()),  # type: ignore[arg-type]
                sha256=hashlib.sha256(data).hexdigest(),
                **file_ranges(part),
            )
        )
    session.add_all(files)
    session.flush()
    return files


def entity_parts(framed: pl.DataFrame) -> Iterator[tuple[int, str, pl.DataFrame]]:
    """Each (year, entity)'s rows of ``framed``, in file order, gathered one at a time by
    their row numbers (a stable sort of the keys): a partitioned copy of the whole import
    held every row twice (the 10⁷-row import's peak rose from 3.0 to 4.5 GB in the write)."""
    order = framed.select(pl.arg_sort_by("_year", "entity_id", maintain_order=True)).to_series()
    keys = framed.select("_year", "entity_id")[order]
    starts = keys.select(
        pl.arg_where(
            (pl.col("_year") != pl.col("_year").shift())
            | (pl.col("entity_id") != pl.col("entity_id").shift())
            | (pl.int_range(pl.len()) == 0)
        )
    ).to_series()
    bounds = [*starts.to_list(), framed.height]
    firsts = keys[starts].rows()
    del keys
    for (year, entity), begin, stop in zip(firsts, bounds, bounds[1:], strict=False):
        yield int(year), str(entity), framed[order[begin:stop]]


def file_ranges(rows: pl.DataFrame) -> dict[str, Any]:
    """A file's least and greatest start and activity (``0040_storeranges``): what a list
    page sorted by them needs to skip the file without reading it."""
    if rows.is_empty():
        return dict.fromkeys(RANGE_COLUMNS)
    found = rows.select(
        pl.col("start").min().alias("first_start"),
        pl.col("start").max().alias("last_start"),
        pl.col("activity").cast(pl.String).min().alias("first_activity"),
        pl.col("activity").cast(pl.String).max().alias("last_activity"),
    )
    return found.row(0, named=True)


def _parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, statistics=True)
    return buffer.getvalue()


def remove_written(written: list[Path]) -> None:
    """Remove the files of an import that did not commit (and their folders, when empty)."""
    for path in written:
        path.unlink(missing_ok=True)
        for folder in (path.parent, path.parent.parent):
            try:
                folder.rmdir()
            except OSError:
                break  # not empty: other files live there


def year_files(
    session: Session, year: int, entities: list[str] | None = None
) -> list[ActivityFile]:
    """The year's registered files (of ``entities`` when given), in id order."""
    stmt = select(ActivityFile).where(ActivityFile.year == year).order_by(ActivityFile.first_id)
    files = list(session.scalars(stmt))
    if entities is not None:
        wanted = set(entities)
        files = [f for f in files if f.entity_id in wanted]
    return files


def read_file(root: Path, file: ActivityFile, columns: list[str] | None = None) -> pl.DataFrame:
    """One file's rows (their ``columns`` when given), after checking its bytes against the
    registered SHA-256."""
    return pl.read_parquet(io.BytesIO(_checked_bytes(root, file)), columns=columns)


def read_files(
    root: Path, files: list[ActivityFile], columns: list[str] | None = None
) -> pl.DataFrame:
    """The rows of ``files`` one after the other, in the order given (their ``columns`` when
    given), every file checked against its registered SHA-256 first. Decoded in one Polars
    call: a ``read_parquet`` per file cost three times the CPU (the 1,000 files of a
    10⁶-row year: 0.39 s against 0.13 s)."""
    if not files:
        empty = pl.DataFrame(schema=STORE_SCHEMA)
        return empty.select(columns) if columns is not None else empty
    data: list[IO[bytes]] = [io.BytesIO(_checked_bytes(root, f)) for f in files]
    return pl.read_parquet(data, columns=columns)


def _checked_bytes(root: Path, file: ActivityFile) -> bytes:
    path = root / file.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IntegrityFailure(
            f"activity store file {path} (batch {file.batch_id}) is missing; "
            "`esg audit verify --deep` lists every damaged file"
        ) from None
    if hashlib.sha256(data).hexdigest() != file.sha256:
        raise IntegrityFailure(
            f"activity store file {path} (batch {file.batch_id}) does not match the SHA-256 "
            "registered by its import; `esg audit verify --deep` lists every damaged file"
        )
    return data


def read_store(
    session: Session,
    year: int,
    *,
    entities: list[str] | None = None,
    activities: list[str] | None = None,
    columns: list[str] | None = None,
    coded: bool = False,
) -> pl.DataFrame:
    """The store's rows starting in ``year`` (of ``entities`` and ``activities`` when given),
    in id order, with every ``STORE_SCHEMA`` column, or ``columns`` (``id`` among them).
    Only those columns are decoded and sorted: at 10⁷ rows, sorting the ``end`` dates no run
    reads doubled the sort (1.79 → 0.91 CPU s). With ``coded`` the text columns come as
    Categorical codes, coded before the sort so that it moves 4 bytes a value, not 16."""
    files = year_files(session, year, entities)
    if not files:
        empty = pl.DataFrame(schema=STORE_SCHEMA)
        return empty if columns is None else empty.select(columns)
    wanted = columns
    if columns is not None and activities is not None and "activity" not in columns:
        wanted = [*columns, "activity"]
    root = required_root(session)
    rows = _read_coded(root, files, wanted) if coded else read_files(root, files, wanted)
    if activities is not None:
        rows = rows.filter(pl.col("activity").is_in(list(activities)))
    if wanted != columns:
        rows = rows.select(columns)
    return rows.sort("id")


def _read_coded(root: Path, files: list[ActivityFile], columns: list[str] | None) -> pl.DataFrame:
    """:func:`read_files` with the text columns as Categorical codes. A file holds one
    entity's rows (:func:`write_files`), so its ``entity_id`` codes are its registered
    entity's, repeated, when its statistics vouch for it: decoding the column and hashing
    every row cost 0.25 CPU s at 10⁷. A file whose statistics do not (none kept, another
    value, a NULL) has its column decoded as before."""
    wanted = list(STORE_SCHEMA) if columns is None else columns
    data = [_checked_bytes(root, f) for f in files]
    rows = pl.read_parquet(_sources(data), columns=[c for c in wanted if c != "entity_id"])
    if "entity_id" in wanted:
        rows = rows.with_columns(_entity_codes(files, data)).select(wanted)
    return rows.with_columns(
        pl.col(name).cast(pl.Categorical) for name, dtype in rows.schema.items() if dtype == pl.Utf8
    )


# the rows from which a coded read takes the entities from the registry: reading the
# files' footers needs PyArrow, whose import (0.13 CPU s) costs what decoding the column
# costs at about 5·10⁶ rows (0.25 CPU s at 10⁷)
REGISTRY_ENTITY_ROWS = 5_000_000


def _entity_codes(files: list[ActivityFile], data: list[bytes]) -> pl.Series:
    """The files' ``entity_id`` column as codes, in file order (see :func:`_read_coded`)."""
    if sum(f.rows for f in files) < REGISTRY_ENTITY_ROWS:
        return _decoded_entities(data)
    import pyarrow as pa  # the footers only; not needed before a large coded read
    import pyarrow.parquet as pq

    counts = []
    for file, raw in zip(files, data, strict=True):
        meta = pq.read_metadata(pa.BufferReader(raw))
        if not _holds_only(meta, file.entity_id):
            return _decoded_entities(data)
        counts.append(meta.num_rows)
    names = pl.Series("entity_id", [f.entity_id for f in files], dtype=pl.Categorical)
    return names.gather(np.repeat(np.arange(len(files), dtype=np.uint32), counts))


def _decoded_entities(data: list[bytes]) -> pl.Series:
    decoded = pl.read_parquet(_sources(data), columns=["entity_id"])
    return decoded["entity_id"].cast(pl.Categorical)


def _sources(data: list[bytes]) -> list[IO[bytes]]:
    return [io.BytesIO(d) for d in data]


def _holds_only(meta: Any, entity: str) -> bool:
    """Whether a file's footer says its every ``entity_id`` is ``entity`` (no NULL)."""
    names = meta.schema.names
    if "entity_id" not in names:
        return False
    column = names.index("entity_id")
    for group in range(meta.num_row_groups):
        chunk = meta.row_group(group).column(column)
        stats = chunk.statistics
        if (
            stats is None
            or not stats.has_min_max
            or not stats.has_null_count
            or stats.null_count != 0
            or stats.min != entity
            or stats.max != entity
            or chunk.num_values != meta.row_group(group).num_rows
        ):
            return False
    return True


def store_batches(session: Session, year: int, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The year's store rows in id order, a slice of at most ``batch_rows`` at a time: import
    batch by import batch (their id ranges do not overlap), each batch's files read together."""
    files = year_files(session, year)
    if not files:
        return
    root = required_root(session)
    by_batch: dict[int, list[ActivityFile]] = {}
    for file in files:  # in first-id order, so batches come in id order too
        by_batch.setdefault(file.batch_id, []).append(file)
    for batch_files in by_batch.values():
        rows = read_files(root, batch_files).sort("id")
        for offset in range(0, rows.height, batch_rows):
            yield rows.slice(offset, batch_rows)


def largest_batch(session: Session, year: int) -> int:
    """The most rows one import batch holds in ``year`` (0 without any): what
    :func:`store_batches` holds at a time."""
    stmt = (
        select(func.sum(ActivityFile.rows))
        .where(ActivityFile.year == year)
        .group_by(ActivityFile.batch_id)
    )
    return max((int(n) for n in session.scalars(stmt)), default=0)


@dataclass(frozen=True)
class StoredRow:
    """One store row as `esg calc explain` shows it (the fields of a ledger row it reads)."""

    id: int
    entity_id: str
    start: dt.date
    end: dt.date
    activity: str
    quantity: float
    unit: str


def rows_by_id(session: Session, ids: Collection[int]) -> dict[int, StoredRow]:
    """The store rows among ``ids``, read from the files whose id range holds one of them."""
    wanted = set(ids)
    if not wanted or not has_files(session):
        return {}
    stmt = select(ActivityFile).where(
        ActivityFile.first_id <= max(wanted), ActivityFile.last_id >= min(wanted)
    )
    files = [
        f
        for f in session.scalars(stmt.order_by(ActivityFile.first_id))
        if any(f.first_id <= i <= f.last_id for i in wanted)
    ]
    if not files:
        return {}
    root = required_root(session)
    found: dict[int, StoredRow] = {}
    for file in files:
        rows = read_file(root, file).filter(pl.col("id").is_in(list(wanted)))
        for row in rows.select(*StoredRow.__dataclass_fields__).iter_rows():
            found[row[0]] = StoredRow(*row)
    return found


def rows_per_entity(session: Session, year: int) -> dict[str, int]:
    """The store's rows starting in ``year``, counted by entity (from the registry)."""
    stmt = (
        select(ActivityFile.entity_id, func.sum(ActivityFile.rows))
        .where(ActivityFile.year == year)
        .group_by(ActivityFile.entity_id)
    )
    return {entity: int(count) for entity, count in session.execute(stmt)}


def key_parts(
    session: Session, first: dt.date, last: dt.date, entities: list[str], rows: int
) -> Iterator[pl.DataFrame]:
    """The natural keys (with ``batch_id`` and ``id``) of the store rows of ``entities``
    starting in [first, last], a part of whole files at a time of at most ``rows`` rows (or
    one file, when larger): an import compares its rows with the year's stored ones without
    holding them all (#18: 8.6 GB for a 10⁷-row file into a year holding 2·10⁷). A part is
    decoded in one Polars call (a call per file costs three times the CPU, see
    :func:`read_files`)."""
    root = None
    for year in range(first.year, last.year + 1):
        part: list[ActivityFile] = []
        held = 0
        for file in [*year_files(session, year, entities), None]:
            if part and (file is None or held + file.rows > rows):
                root = root or required_root(session)
                yield _keys_of(root, part, first, last)
                part, held = [], 0
            if file is not None:
                part.append(file)
                held += file.rows


def _keys_of(root: Path, files: list[ActivityFile], first: dt.date, last: dt.date) -> pl.DataFrame:
    batches = pl.Series([f.batch_id for f in files], dtype=pl.Int64)
    counts = pl.Series([f.rows for f in files], dtype=pl.Int64)
    read = read_files(root, files, ["entity_id", "start", "end", "activity", "attributes", "id"])
    return (
        read.with_columns(batch_id=batches.repeat_by(counts).explode())
        .filter(pl.col("start").is_between(first, last))
        .select("entity_id", "start", "end", "activity", "attributes", "batch_id", "id")
    )


def _ranges_differ(path: Path, file: ActivityFile) -> str | None:
    """The recorded ranges (outside the batch's digest) that its rows do not bear out."""
    recorded = {name: getattr(file, name) for name in RANGE_COLUMNS}
    if all(value is None for value in recorded.values()):
        return None  # never recorded: every page reads the file
    actual = file_ranges(pl.read_parquet(path, columns=["start", "activity"]))
    wrong = [name for name in RANGE_COLUMNS if recorded[name] != actual[name]]
    return ", ".join(wrong) if wrong else None


def verify_files(session: Session) -> list[str]:
    """One line per registered file that is missing or changed, and per Parquet file under
    the root that no import registered (``esg audit verify --deep``)."""
    root = store_root(session)
    registered = list(session.scalars(select(ActivityFile).order_by(ActivityFile.id)))
    if root is None:
        return [f"activity store: {len(registered)} files registered but no store folder set"] * (
            len(registered) > 0
        )
    problems = []
    for file in registered:
        path = root / file.path
        if not path.is_file():
            problems.append(f"activity store file {path} (batch {file.batch_id}): missing")
            continue
        sha = hashlib.sha256()
        with path.open("rb") as data:
            while block := data.read(1 << 20):
                sha.update(block)
        if sha.hexdigest() != file.sha256:
            problems.append(
                f"activity store file {path} (batch {file.batch_id}): changed, its SHA-256 "
                "differs from the one its import registered"
            )
        elif (wrong := _ranges_differ(path, file)) is not None:
            problems.append(
                f"activity store file {path} (batch {file.batch_id}): its recorded {wrong} "
                "differ from its rows' (a list page would skip rows of it)"
            )
    known = {file.path for file in registered}
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.relative_to(root).as_posix() not in known:
                problems.append(f"activity store file {path}: added, no import registered it")
    return problems
