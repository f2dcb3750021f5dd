"""A staged register: rows that move along one line of states (:class:`Line`), each
state's entry time kept and judged against SLAs set per severity. The complaints register
(:mod:`.complaints`) and the product-security vulnerability register
(:mod:`.vulnerabilities`) are this one module configured twice, so their imports, listings
and moves cannot drift apart.

Imports follow the house rule (:func:`esgledger.registers.batch_import.import_batch`):
validated against a read, written in one short transaction as one import batch and one audit
event whose digest covers the rows. A ref already stored is refused. Rows are written in
chunks with one bulk statement each (a year of a service desk is thousands of rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Select, func, insert, or_, select
from sqlalchemy.orm import Session

from esgledger.errors import Conflict
from esgledger.ingest.readers import read_table
from esgledger.ledger.db import Database
from esgledger.ledger.listing import ListParams, Page, paginate
from esgledger.ledger.models import Entity, utcnow
from esgledger.ledger.register_lines import Line, Slas, slas
from esgledger.registers.batch_import import Guard as Guard  # where the line moves import it
from esgledger.registers.batch_import import Imported, import_batch
from esgledger.registers.listing import MAX_LIMIT

CHUNK = 5000
Validate = Callable[..., pl.DataFrame]  # (table, *, entities, stored_refs, line)
AsDict = Callable[[Any, Slas, dt.datetime], dict[str, Any]]
Move = Callable[..., Any]  # (session, *, ref, target, actor, seen_version, note, **extra)


@dataclass(frozen=True)
class StagedRegister:
    """One staged register: its table, line, file shape and how the interfaces show a row."""

    line: Line
    model: Any  # the ORM class: ref, entity_id, state, state_changed_at and a time per stage
    kind: str  # the file kind read and the import batch's kind (``register.<kind>``)
    noun: str  # a row, in messages
    columns: tuple[str, ...]  # stored as validated, besides ref, entity and the stage times
    category: str  # the register's own filter column (a complaint's channel…)
    sorts: dict[str, Any]  # sort key → column, for the pages
    metric_prefix: str  # the catalog metrics its rows back
    validate: Validate
    as_dict: AsDict
    move: Move  # to the next state, stamping its time (audit-logged)
    # stored columns a page's CSV export adds to each row besides every stage's time (free
    # text the page does not show), for an auditor who reads the export rather than the page
    exported: tuple[str, ...] = ()

    @property
    def register(self) -> str:
        return self.line.register

    @property
    def received(self) -> str:
        """The column of the time a row was received (its first stage)."""
        return self.line.stages[0][1]


def import_file(
    db: Database,
    reg: StagedRegister,
    path: str | Path,
    *,
    actor: str,
    sheet: str | None = None,
    guard: Guard | None = None,
) -> Imported:
    """New rows from CSV or XLSX, all or nothing, each in the last state it was given;
    ``guard`` may refuse the validated rows inside the write transaction (nothing written)."""
    table = read_table(path, sheet=sheet, kind=reg.kind)

    def validate(session: Session) -> pl.DataFrame:
        return reg.validate(
            table,
            entities=set(session.scalars(select(Entity.id))),
            stored_refs=set(session.scalars(select(reg.model.ref))),
            line=reg.line,
        )

    return import_batch(
        db,
        table,
        kind=f"register.{reg.kind}",
        actor=actor,
        validate=validate,
        write=partial(_write, reg=reg),
        guard=guard,
        recheck=partial(_refs_still_free, reg=reg, source=table.source),
    )


def _refs_still_free(
    session: Session, rows: pl.DataFrame, *, reg: StagedRegister, source: str
) -> None:
    refs = rows["ref"].to_list()
    taken = set(session.scalars(select(reg.model.ref).where(reg.model.ref.in_(refs))))
    if taken:
        raise Conflict(
            f"{source}: {reg.noun} {sorted(taken)[0]!r} was added by another writer "
            "meanwhile; nothing was written, import the file again"
        )


def _write(session: Session, rows: pl.DataFrame, batch_id: int, *, reg: StagedRegister) -> int:
    """The rows under the batch, each with the time it entered its last state."""
    stages = [column for _, column in reg.line.stages]
    last = pl.coalesce([pl.col(c) for c in reversed(stages)])
    frame = rows.select(
        pl.lit(batch_id).alias("batch_id"),
        "ref",
        pl.col("entity").alias("entity_id"),
        *reg.columns,
        *stages,
        "state",
        last.alias("state_changed_at"),
    )
    target = reg.model.__table__  # Core executemany, in chunks
    for chunk in frame.iter_slices(CHUNK):
        session.connection().execute(insert(target), chunk.to_dicts())
    return 0


def query(
    reg: StagedRegister,
    *,
    year: int | None = None,
    search: str | None = None,
    entity: str | None = None,
    **filters: str | None,
) -> Select[Any]:
    """Rows matching the filters (state, severity, the register's category), the year their
    first stage was entered in, and a search over ref and product line."""
    model = reg.model
    stmt = select(model)
    for column, value in {**filters, "entity_id": entity}.items():
        if value:
            stmt = stmt.where(getattr(model, column) == value)
    if year:
        received = getattr(model, reg.received)
        stmt = stmt.where(
            received >= dt.datetime(year, 1, 1), received < dt.datetime(year + 1, 1, 1)
        )
    if search:
        needle = search.lower()
        stmt = stmt.where(
            or_(
                func.lower(model.ref).contains(needle, autoescape=True),
                func.lower(model.product_line).contains(needle, autoescape=True),
            )
        )
    return stmt


def page_rows(
    session: Session,
    reg: StagedRegister,
    params: ListParams,
    *,
    exported: bool = False,
    **filters: Any,
) -> Page[dict[str, Any]]:
    """One page of rows for the page (filters, search over ref and product line, sort);
    ``exported``: each with the time it entered every stage of the line and the register's
    :attr:`StagedRegister.exported` columns too."""
    stmt = query(reg, search=params.search, **filters)
    found = paginate(session, stmt, params, reg.sorts, (reg.model.id.asc(),), reverse_ties=True)
    table, now = slas(session, reg.register), utcnow()
    stage_times = (column for _, column in reg.line.stages)
    extra = (*stage_times, *reg.exported) if exported else ()
    rows = [reg.as_dict(r, table, now) | stored_cells(r, extra) for r in found.rows]
    return found.with_rows(rows)


def stored_cells(row: Any, columns: Collection[str]) -> dict[str, Any]:
    """``row``'s ``columns`` as a CSV writes them (times in ISO 8601)."""
    values = {column: getattr(row, column) for column in columns}
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}


def list_rows(
    session: Session, reg: StagedRegister, *, limit: int = 100, offset: int = 0, **filters: Any
) -> dict[str, Any]:
    """``{"total", "rows"}``: rows matching the filters, newest first."""
    stmt = query(reg, **filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = (getattr(reg.model, reg.received).desc(), reg.model.id)
    limit = max(1, min(limit, MAX_LIMIT))
    rows = session.scalars(stmt.order_by(*order).offset(max(0, offset)).limit(limit))
    table, now = slas(session, reg.register), utcnow()
    return {"total": total, "rows": [reg.as_dict(r, table, now) for r in rows]}


def entities_named(rows: pl.DataFrame) -> Collection[str]:
    """The entities a validated file names, sorted (for permission checks)."""
    return rows["entity"].unique().sort().to_list()
