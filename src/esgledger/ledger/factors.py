"""User factor editions: imported once, never edited; shipped editions live in the catalog."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, is_dataclass
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog import factors as shipped
from esgledger.errors import Conflict, InvalidInput, NotFound
from esgledger.ingest.factors import validate_factors
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import IDS_PER_SELECT, validate_then_write
from esgledger.ledger.models import Factor, FactorEdition

EDITION_ID = r"^[a-z0-9][a-z0-9._\-]{1,79}$"


@dataclass(frozen=True)
class EditionMeta:
    """What the user says about the edition on the command line."""

    edition: str
    series: str
    publisher: str
    title: str
    citation: str
    data_year: int | None = None
    public_date: dt.date | None = None
    region: str = ""
    status: str = "unverified"
    notes: str = ""


def _check_meta(meta: EditionMeta) -> None:
    if not re.match(EDITION_ID, meta.edition):
        raise InvalidInput(
            f"edition id {meta.edition!r}: use lower-case letters, digits, '.', '_' or '-'"
        )
    for field in ("series", "publisher", "title", "citation"):
        if not getattr(meta, field).strip():
            raise InvalidInput(f"--{field} is required: every factor carries its source")
    if meta.status not in ("verified", "unverified"):
        raise InvalidInput("--status must be verified or unverified")


def import_edition(
    db: Database, path: str | Path, meta: EditionMeta, *, actor: str, sheet: str | None = None
) -> dict[str, Any]:
    """Store a new edition and its factors, all or nothing.

    The file is validated before the write lock is taken (see :mod:`.import_steps`); the
    write checks again that the edition id and the factor ids are still free, since another
    import may have taken them meanwhile.
    """
    _check_meta(meta)
    table = read_table(path, sheet=sheet, kind="factors")
    return validate_then_write(
        db,
        lambda session: _validated(session, table, meta),
        partial(_store, table=table, meta=meta, actor=actor),
    )


def _validated(session: Session, table: Table, meta: EditionMeta) -> pl.DataFrame:
    _refuse_taken_edition(session, meta)
    taken = {f.factor_id for f in shipped.factors()} | set(
        session.scalars(select(Factor.factor_id))
    )
    return validate_factors(table, edition=meta.edition, taken_ids=taken)


def _refuse_taken_edition(session: Session, meta: EditionMeta) -> None:
    if meta.edition in shipped.factor_editions() or session.get(FactorEdition, meta.edition):
        raise Conflict(
            f"edition {meta.edition!r} already exists; editions are immutable, "
            "import under a new id"
        )


def _refuse_taken_ids(session: Session, table: Table, ids: list[str]) -> None:
    """Factor ids are never reused: refuse the file if another import took one meanwhile."""
    for start in range(0, len(ids), IDS_PER_SELECT):
        chunk = ids[start : start + IDS_PER_SELECT]
        taken = session.scalars(select(Factor.factor_id).where(Factor.factor_id.in_(chunk)))
        first = next(iter(taken), None)
        if first is not None:
            raise Conflict(
                f"{table.source}: factor_id {first!r} was taken by another import while the "
                "file was being checked; ids are never reused; nothing was imported"
            )


def _store(
    session: Session, rows: pl.DataFrame, *, table: Table, meta: EditionMeta, actor: str
) -> dict[str, Any]:
    """Write the validated edition, once its ids are known to be still free."""
    _refuse_taken_edition(session, meta)
    _refuse_taken_ids(session, table, rows["factor_id"].to_list())
    batch = open_batch(session, kind="factors", table=table, rows=rows.height, actor=actor)
    session.add(
        FactorEdition(
            edition=meta.edition,
            series=meta.series,
            publisher=meta.publisher,
            title=meta.title,
            citation=meta.citation,
            data_year=meta.data_year,
            public_date=meta.public_date,
            region=meta.region,
            status=meta.status,
            notes=meta.notes,
            sha256=table.sha256,
            batch_id=batch.id,
        )
    )
    session.flush()
    session.add_all(Factor(edition=meta.edition, **row) for row in rows.to_dicts())
    session.flush()
    close_batch(
        session,
        batch,
        actor=actor,
        summary={"edition": meta.edition, "series": meta.series, "factors": rows.height},
    )
    return {
        "edition": meta.edition,
        "series": meta.series,
        "factors": rows.height,
        "batch_id": batch.id,
        "note": _undated_note(meta),
    }


def _undated_note(meta: EditionMeta) -> str | None:
    """Why an edition of a dated official series without a publication date will not be used
    by default: the default rule takes the latest edition published by the report's cut-off."""
    if meta.public_date is not None or meta.series not in shipped.dated_series():
        return None
    return (
        f"edition {meta.edition} has no --published date: runs choosing the latest edition of "
        f"{meta.series} published by the cut-off leave it out; pin it with "
        f"--pin {meta.series}={meta.edition}, or import it again under a new id with --published"
    )


def list_editions(session: Session) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for f in shipped.factors():
        counts[f.edition] = counts.get(f.edition, 0) + 1
    out = [
        {
            "edition": e.edition,
            "series": e.series,
            "publisher": e.publisher,
            "title": e.title,
            "data_year": e.data_year,
            "public_date": e.public_date.isoformat() if e.public_date else None,
            "published": _plain(shipped.published(e)),
            "status": e.status,
            "factors": counts.get(e.edition, 0),
            "source": "shipped",
        }
        for e in shipped.factor_editions().values()
    ]
    for e in session.scalars(select(FactorEdition).order_by(FactorEdition.edition)):
        n = len(session.scalars(select(Factor.factor_id).where(Factor.edition == e.edition)).all())
        out.append(
            {
                "edition": e.edition,
                "series": e.series,
                "publisher": e.publisher,
                "title": e.title,
                "data_year": e.data_year,
                "public_date": e.public_date.isoformat() if e.public_date else None,
                "published": _plain(shipped.published(e)),
                "status": e.status,
                "factors": n,
                "source": "workspace",
            }
        )
    return out


def show_edition(session: Session, edition: str) -> dict[str, Any]:
    meta = shipped.factor_editions().get(edition)
    if meta is not None:
        head = _as_dict(meta)
        rows = [_as_dict(f) for f in shipped.factors() if f.edition == edition]
        return {**head, "source": "shipped", "factors": rows}
    stored = session.get(FactorEdition, edition)
    if stored is None:
        raise NotFound(f"unknown edition {edition!r}; `esg factors list` lists them")
    head = {c.name: _plain(getattr(stored, c.name)) for c in FactorEdition.__table__.columns}
    rows = [
        {c.name: _plain(getattr(f, c.name)) for c in Factor.__table__.columns}
        for f in session.scalars(
            select(Factor).where(Factor.edition == edition).order_by(Factor.factor_id)
        )
    ]
    return {**head, "source": "workspace", "factors": rows}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _as_dict(obj: Any) -> dict[str, Any]:
    data = asdict(obj) if is_dataclass(obj) else dict(vars(obj))
    return {k: _plain(v) for k, v in data.items()}
