"""The integrity commitment and training register: campaigns and the LMS's records of who
signed or attended them, with test scores and learning hours.

Imports follow the house rule (:func:`esgledger.ledger.import_steps.validate_then_write`).
An LMS export is a snapshot of its campaigns: the records of each campaign named in the file
replace the ones stored (the batches that held them are digested again), so exporting again
after more people finished is how coverage grows. Records are written in chunks of
``CHUNK`` rows with one bulk statement each.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from pathlib import Path

import polars as pl
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger import digests
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.register_models import TrainingCampaign, TrainingRecord
from esgledger.registers.ohs import Imported
from esgledger.registers.training_import import Audience, validate_campaigns, validate_records

CHUNK = 5000


def import_campaigns(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """New campaigns from CSV or XLSX, all or nothing; a code already stored is refused."""
    table = read_table(path, sheet=sheet, kind="campaigns")

    def validate(session: Session) -> pl.DataFrame:
        return validate_campaigns(
            table,
            entities=set(session.scalars(select(Entity.id))),
            stored=set(session.scalars(select(TrainingCampaign.code))),
        )

    return validate_then_write(db, validate, partial(_store_campaigns, table=table, actor=actor))


def _store_campaigns(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    codes = rows["code"].to_list()
    taken = sorted(
        session.scalars(select(TrainingCampaign.code).where(TrainingCampaign.code.in_(codes)))
    )
    if taken:
        raise Conflict(
            f"{table.source}: campaign {taken[0]!r} was added by another writer meanwhile; "
            "nothing was written, import the file again"
        )
    batch = open_batch(
        session, kind="register.training_campaigns", table=table, rows=rows.height, actor=actor
    )
    session.add_all(
        TrainingCampaign(batch_id=batch.id, **{k: v for k, v in row.items() if k != "__row"})
        for row in rows.iter_rows(named=True)
    )
    session.flush()
    result = Imported(batch.id, rows.height, 0)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result


def audiences(session: Session) -> dict[str, Audience]:
    """Every campaign's audience, its entities widened to their whole branches."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for entity, parent in session.execute(select(Entity.id, Entity.parent_id)).all():
        children[parent].append(entity)
    everyone = frozenset(e for kids in children.values() for e in kids)

    def branch(roots: list[str]) -> frozenset[str]:
        out, stack = set(), list(roots)
        while stack:
            entity = stack.pop()
            if entity not in out:
                out.add(entity)
                stack.extend(children.get(entity, []))
        return frozenset(out)

    return {
        c.code: Audience(
            c.id,
            frozenset(c.worker_types.split("; ")),
            branch(c.entities.split("; ")) if c.entities else everyone,
        )
        for c in session.scalars(select(TrainingCampaign))
    }


def import_records(
    db: Database, path: str | Path, *, actor: str, sheet: str | None = None
) -> Imported:
    """An LMS export (CSV or XLSX), all or nothing; it replaces its campaigns' records. Both
    are read a chunk at a time (:mod:`.training_stream`)."""
    if Path(path).suffix.lower() in (".csv", ".txt", ".xlsx"):
        from esgledger.registers.training_stream import import_records_streamed

        return import_records_streamed(db, Path(path), actor=actor, sheet=sheet)
    table = read_table(path, sheet=sheet, kind="records")

    def validate(session: Session) -> pl.DataFrame:
        return validate_records(
            table,
            entities=set(session.scalars(select(Entity.id))),
            audiences=audiences(session),
        )

    return validate_then_write(db, validate, partial(_store_records, table=table, actor=actor))


def _store_records(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    campaigns = sorted(set(rows["campaign_id"].to_list()))
    replaced_batches = set(
        session.scalars(
            select(TrainingRecord.batch_id).where(TrainingRecord.campaign_id.in_(campaigns))
        )
    )
    replaced = session.scalar(select(func.count()).where(TrainingRecord.campaign_id.in_(campaigns)))
    session.execute(delete(TrainingRecord).where(TrainingRecord.campaign_id.in_(campaigns)))
    batch = open_batch(
        session, kind="register.training_records", table=table, rows=rows.height, actor=actor
    )
    frame = rows.drop("__row").with_columns(pl.lit(batch.id).alias("batch_id"))
    records = Base.metadata.tables["training_records"]  # Core executemany: the ORM sends a
    for chunk in frame.iter_slices(CHUNK):  # row at a time when some values are None
        session.connection().execute(insert(records), chunk.to_dicts())
    session.flush()
    digests.touch_batches(session, *sorted(replaced_batches, key=lambda b: b or 0))
    result = Imported(batch.id, rows.height, replaced or 0)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result
