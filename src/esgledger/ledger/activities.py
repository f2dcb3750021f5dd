"""Activity records: importing files all or nothing (or replacing rows by key), and listing
what was stored."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
from sqlalchemy import ColumnElement, Date, Select, bindparam, func, or_, select, text
from sqlalchemy.orm import Session

from esgledger.catalog.instruments import INSTRUMENTS, certificate_ids
from esgledger.errors import ConcurrentChange, ImportRejected, InvalidInput
from esgledger.ingest.activities import (
    ALREADY_IMPORTED,
    KEY,
    SLICE_ROWS,
    validate_activities,
)
from esgledger.ingest.checker import ROW, with_row_numbers
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import activity_store
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.bulk import KeyTaken, Progress, insert_frame
from esgledger.ledger.certificate_claims import (
    Claim,
    file_claims,
    holders,
    record_claims,
    refuse_held,
)
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.ledger_clashes import key_frame, ledger_clashes
from esgledger.ledger.limits import ATTRIBUTES_MAX, ATTRIBUTES_WHY, limit_of, refuse_too_long
from esgledger.ledger.models import ActivityRecord, Entity, ImportBatch
from esgledger.ledger.store_clashes import store_clashes
from esgledger.ledger.voiding import void_rows

COLUMNS = ["entity_id", "start", "end", "activity", "quantity", "unit", "attributes"]


def live() -> ColumnElement[bool]:
    """Activity rows that count: every read for a figure filters with this (voided rows stay
    stored for history and the lineage of past runs, but count nowhere)."""
    return ActivityRecord.voided_at.is_(None)


def import_activities(
    db: Database,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    on_progress: Progress | None = None,
    replace: str | None = None,
    store: bool = False,
    slice_rows: int = SLICE_ROWS,
) -> dict[str, object]:
    """Validate the whole file, then store every row in one transaction; returns a summary.
    The file's cells are checked ``slice_rows`` rows at a time (``validate_activities``).

    With ``store``, the rows go to the Parquet activity store (``activity_store``) instead of
    ledger rows, its files registered in the same transaction; files of an import that does
    not commit are removed.

    A row whose natural key a live stored row holds is refused as "already imported" —
    by the check here, and by the database's unique index when another import stored it
    meanwhile. With ``replace`` (the reason), such stored rows are voided instead, in the same
    transaction, and the file's rows take their place.
    """
    if replace is not None and not replace.strip():
        raise InvalidInput("a replacing import needs a reason (--reason)")
    if replace is not None and store:
        raise InvalidInput(
            "--replace is not available with --store: files in the activity store are never "
            "changed; import the corrections into the ledger"
        )
    table = read_table(path, sheet=sheet, kind="activities")
    refuse_too_long(
        table.source,
        with_row_numbers(table.frame),
        {
            "entity": limit_of(ActivityRecord.entity_id),
            "activity": limit_of(ActivityRecord.activity),
            "unit": limit_of(ActivityRecord.unit),
        },
    )
    written: list[Path] = []  # store files, removed unless the import commits
    try:
        return validate_then_write(
            db,
            lambda session: _validated(
                session, table, replace=replace is not None, slice_rows=slice_rows
            ),
            lambda session, checked: _store(
                session,
                table,
                *checked,
                actor=actor,
                replace=replace,
                on_progress=on_progress,
                written=written if store else None,
            ),
        )
    except KeyTaken:
        activity_store.remove_written(written)
        raise _stored_meanwhile(db, table, replace=replace is not None) from None
    except BaseException:
        activity_store.remove_written(written)
        raise


def _validated(
    session: Session, table: Table, *, replace: bool, slice_rows: int = SLICE_ROWS
) -> tuple[pl.DataFrame, pl.DataFrame | None]:
    """The file's typed rows and the stored live rows sharing its date span, validated
    outside any write: a large file takes seconds to check, and other writers must not wait
    for that. What changes meanwhile is caught by the write (the unique natural key, the
    count of rows voided)."""
    known = set(session.scalars(select(Entity.id)))
    # a replacing import needs the ids of the live rows it voids; any other compares the
    # ledger's keys a window at a time, as the store's (``stored_clashes``)
    existing = _stored_keys(session, table.frame) if replace else None
    rows = validate_activities(
        table,
        known_entities=known,
        # a replacing import voids stored rows first: the write checks its ids after the voids
        claimed_certificates=() if replace else claimed_certificates(session, table.frame),
        stored_clashes=None if replace else (lambda keys: stored_clashes(session, keys)),
        slice_rows=slice_rows,
    )
    if replace and store_clashes(session, rows.select(KEY)) is not None:
        raise InvalidInput(
            f"{table.source}: some rows have the keys of rows in the activity store, which are "
            "never replaced; nothing was imported"
        )
    refuse_too_long(
        table.source,
        rows,
        {"attributes": ATTRIBUTES_MAX},
        why=ATTRIBUTES_WHY,
    )
    return rows, existing


def claimed_certificates(session: Session, frame: pl.DataFrame) -> dict[str, str]:
    """The certificate ids of the file (its ``certificate_ids`` cells) that live instrument
    rows, of the ledger or the activity store, hold already — claimed, or stored before the
    claims table and not yet backfilled — each with the row holding it (GHG Protocol Scope 2
    Guidance, ch. 7, Table 7.1, criterion 2: no generation claimed twice): such a row is
    refused."""
    if "certificate_ids" not in frame.columns:
        return {}
    cells = frame["certificate_ids"].drop_nulls().to_list()
    return holders(session, (i for cell in cells for i in certificate_ids(str(cell))))


def stored_clashes(session: Session, keys: pl.DataFrame) -> pl.DataFrame | None:
    """The stored keys, of the ledger's live rows and of the activity store, equal to some
    of ``keys`` (a file's typed ``KEY`` columns), or None; neither is held whole (#18)."""
    return _both(store_clashes(session, keys), ledger_clashes(session, keys))


def _both(*frames: pl.DataFrame | None) -> pl.DataFrame | None:
    """Stored keys of the ledger and of the store together (None: none at all)."""
    found = [f.select(*KEY, "batch_id", "id") for f in frames if f is not None]
    return pl.concat(found) if found else None


def _start_span(frame: pl.DataFrame) -> tuple[dt.date, dt.date] | None:
    if "start" not in frame.columns:
        return None
    starts = frame["start"].str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    lo, hi = starts.min(), starts.max()
    if not isinstance(lo, dt.date) or not isinstance(hi, dt.date):
        return None
    return lo, hi


def _store(
    session: Session,
    table: Table,
    rows: pl.DataFrame,
    existing: pl.DataFrame | None,
    *,
    actor: str,
    replace: str | None,
    on_progress: Progress | None,
    written: list[Path] | None = None,
) -> dict[str, object]:
    """Write the validated rows in the write transaction (no parsing, no checking in it);
    to the activity store when ``written`` is given (the list of files it wrote)."""
    batch = open_batch(session, kind="activities", table=table, rows=rows.height, actor=actor)
    replaced = 0
    if replace is not None and existing is not None:
        ids = rows.join(existing, on=KEY, how="inner")["id"].to_list()
        reason = f"replaced by batch {batch.id}: {replace.strip()}"
        replaced = void_rows(session, ids, reason=reason, actor=actor)
        if replaced != len(ids):
            raise KeyTaken("activity_records", "rows voided meanwhile by another user")
    claims = file_claims(rows)
    refuse_held(session, table.source, claims)  # the ids held now, after the voids
    if written is not None:
        return _to_store(session, table, rows, batch, claims, actor=actor, written=written)
    out = rows.select(
        "entity_id",
        pl.col("start").dt.to_string("%Y-%m-%d"),
        pl.col("end").dt.to_string("%Y-%m-%d"),
        "activity",
        "quantity",
        "unit",
        "attributes",
        pl.lit(batch.id).alias("batch_id"),
    )
    if activity_store.has_files(session):  # SQLite would give ids the store holds
        first = activity_store.claim_ids(session, out.height)
        out = out.with_columns(pl.int_range(first, first + out.height, dtype=pl.Int64).alias("id"))
    insert_frame(session, "activity_records", out, on_progress=on_progress)
    if claims:
        instrument_ids = session.scalars(
            select(ActivityRecord.id)
            .where(ActivityRecord.batch_id == batch.id, ActivityRecord.activity.in_(INSTRUMENTS))
            .order_by(ActivityRecord.id)
        ).all()
        _claim(session, table.source, rows, list(instrument_ids), claims, batch.id)
    summary = _summary(rows)
    if replace is not None:
        summary["replaced"] = replaced
        summary["reason"] = replace.strip()
    close_batch(session, batch, actor=actor, summary=summary)
    return {"batch_id": batch.id, **summary}


def _summary(rows: pl.DataFrame) -> dict[str, object]:
    return {
        "rows": rows.height,
        "entities": rows["entity_id"].n_unique(),
        "activities": sorted(rows["activity"].unique().to_list()),
        "period": [str(rows["start"].min()), str(rows["end"].max())],
    }


def _to_store(
    session: Session,
    table: Table,
    rows: pl.DataFrame,
    batch: ImportBatch,
    claims: list[Claim],
    *,
    actor: str,
    written: list[Path],
) -> dict[str, object]:
    """The rows as activity-store files, registered with the batch; the write re-checks the
    store's keys (another import may have stored the same rows since the check)."""
    if store_clashes(session, rows.select(KEY)) is not None:
        raise KeyTaken("activity_files", "rows with the same keys are now in the activity store")
    files = activity_store.write_files(session, rows, batch.id, written)
    if claims:  # the store gives the rows ids from its first one on, in file order
        first = min(f.first_id for f in files)
        positions = rows.with_row_index("_at").filter(pl.col("activity").is_in(INSTRUMENTS))
        ids = [first + int(at) for at in positions["_at"]]
        _claim(session, table.source, rows, ids, claims, batch.id)
    summary = _summary(rows)
    summary["store_files"] = len(files)
    close_batch(session, batch, actor=actor, summary=summary)
    return {"batch_id": batch.id, **summary}


def _claim(
    session: Session,
    source: str,
    rows: pl.DataFrame,
    instrument_ids: list[int],
    claims: list[Claim],
    batch_id: int,
) -> None:
    """Record ``claims`` with the activity ids their rows were stored under: the rows'
    instrument rows in file order, given ``instrument_ids`` in the same order."""
    file_rows = rows.filter(pl.col("activity").is_in(INSTRUMENTS))[ROW].to_list()
    if len(file_rows) != len(instrument_ids):
        raise RuntimeError("stored instrument rows do not match the file's")
    row_ids = dict(zip(file_rows, instrument_ids, strict=True))
    record_claims(
        session,
        source,
        [
            Claim(c.certificate_id, activity_id=row_ids[c.row or 0], batch_id=batch_id, row=c.row)
            for c in claims
        ],
    )


def _stored_meanwhile(db: Database, table: Table, *, replace: bool) -> ConcurrentChange:
    """The one line for a file whose keys another writer took (or whose rows to replace it
    voided) after the file was checked: contention (exit 4, HTTP 409), not bad input, since
    the same file passed the check; names the file's rows that now clash."""
    what = "voided or stored rows with the keys this file replaces"
    if not replace:
        what = f"stored rows with the same keys{_rows_named(_clashing_rows(db, table))}"
    return ConcurrentChange(
        f"{table.source}: refused, another user {what} while the file was being checked; "
        "nothing was imported (run the import again to compare with what is stored now)"
    )


def _clashing_rows(db: Database, table: Table) -> list[int]:
    """The file's row numbers whose natural key a live stored row holds now."""
    with db.read() as session:
        known = set(session.scalars(select(Entity.id)))
        try:
            validate_activities(
                table,
                known_entities=known,
                stored_clashes=lambda keys: stored_clashes(session, keys),
            )
        except ImportRejected as exc:
            taken = (p for p in exc.problems if p.reason.startswith(ALREADY_IMPORTED))
            return sorted({p.row for p in taken if p.row is not None})
    return []


def _rows_named(rows: list[int], shown: int = 5) -> str:
    """`` (rows 2, 3, 4, 5, 6 …; 24 in all)``, or nothing for no rows."""
    if not rows:
        return ""
    more = f" …; {len(rows)} in all" if len(rows) > shown else ""
    return f" ({'row' if len(rows) == 1 else 'rows'} {', '.join(map(str, rows[:shown]))}{more})"


def _stored_keys(session: Session, frame: pl.DataFrame) -> pl.DataFrame | None:
    """Natural keys (with ``id`` and ``batch_id``) of the live stored rows that could clash
    with the file (same start-date span)."""
    span = _start_span(frame)
    if span is None:
        return None
    lo, hi = span
    # Plain rows with dates as ISO text on both databases: a million stored keys load in
    # about a second, where ORM row objects would take several.
    cast = "" if session.get_bind().dialect.name == "sqlite" else "::text"
    stmt = text(
        f'SELECT entity_id, start{cast}, "end"{cast}, activity, attributes, batch_id, id '
        "FROM activity_records WHERE start >= :lo AND start <= :hi AND voided_at IS NULL"
    ).bindparams(bindparam("lo", type_=Date), bindparam("hi", type_=Date))
    result = session.execute(stmt, {"lo": lo, "hi": hi})
    rows = result.cursor.fetchall() if result.cursor is not None else []  # plain DBAPI tuples
    if not rows:
        return None
    return key_frame(rows).unique(subset=KEY)


def list_activities(
    session: Session,
    *,
    entity: str | None = None,
    year: int | None = None,
    activity: str | None = None,
    limit: int | None = None,
    history: bool = False,
) -> list[ActivityRecord]:
    """Stored rows in id order; voided ones only with ``history``."""
    stmt = activity_query(entity=entity, year=year, activity=activity, history=history)
    stmt = stmt.order_by(ActivityRecord.id)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def activity_query(
    *,
    entity: str | None = None,
    year: int | None = None,
    activity: str | None = None,
    history: bool = False,
    search: str = "",
) -> Select[tuple[ActivityRecord]]:
    """The select of stored rows matching the filters, not yet ordered (lists page it);
    ``search`` looks in the entity id and the activity type."""
    stmt = select(ActivityRecord)
    if not history:
        stmt = stmt.where(live())
    if entity:
        stmt = stmt.where(ActivityRecord.entity_id == entity)
    if year:
        stmt = stmt.where(
            ActivityRecord.start >= dt.date(year, 1, 1),
            ActivityRecord.start <= dt.date(year, 12, 31),
        )
    if activity:
        stmt = stmt.where(ActivityRecord.activity == activity)
    if search:
        wanted = search.lower()
        stmt = stmt.where(
            or_(
                func.lower(ActivityRecord.entity_id).contains(wanted, autoescape=True),
                func.lower(ActivityRecord.activity).contains(wanted, autoescape=True),
            )
        )
    return stmt


def activity_dict(record: ActivityRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "entity": record.entity_id,
        "start": record.start.isoformat(),
        "end": record.end.isoformat(),
        "activity": record.activity,
        "quantity": record.quantity,
        "unit": record.unit,
        "attributes": json.loads(record.attributes) if record.attributes else {},
        "batch": record.batch_id,
        "voided": None
        if record.voided_at is None
        else {
            "at": record.voided_at.isoformat(),
            "by": record.voided_by,
            "reason": record.void_reason,
        },
    }
