"""Writing the complaint, vulnerability and OHS incident registers for a signed-in user
(API and pages): moves and imports (of NPS answers and hours worked too), under the rules
of every other write path.

- Permission: a row changes the figures it backs, so moving or importing one needs
  ``kpis.write`` on the row's entity — data owners on their granted entities, managers and
  admins everywhere; reviewers, auditors and compliance officers are refused. An import
  needs it on every entity its file names.
- Review state: a row whose figures are locked is frozen. When a data request for one of
  the register's metrics is locked for the row's entity or an entity above it (the figure
  it rolls into), in the year the row was received or this year, the move or import is
  refused: after approval a change is a restatement, never a silent edit.
- The write itself is the CLI's (:func:`esgledger.registers.history.advance`,
  :func:`esgledger.registers.staged.import_file`): along the flow only, with the version
  the caller saw, audit-logged under the user's name; a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, cast

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, require
from esgledger.catalog import metrics
from esgledger.catalog.formulas import formula_inputs
from esgledger.errors import Conflict, NotFound
from esgledger.ingest.checker import ROW
from esgledger.kpi.register_figures.ohs import COUNTS as INCIDENT_METRICS
from esgledger.ledger.models import Entity, utcnow
from esgledger.ledger.register_models import OhsIncident
from esgledger.ledger.workflow_models import DataRequest
from esgledger.registers.complaints import STAGED as COMPLAINTS
from esgledger.registers.ohs import INCIDENTS as INCIDENT_FLOW
from esgledger.registers.staged import Guard, StagedRegister
from esgledger.registers.transitions import move
from esgledger.registers.vulnerabilities import STAGED as VULNERABILITIES

REGISTERS: dict[str, StagedRegister] = {r.register: r for r in (COMPLAINTS, VULNERABILITIES)}


@dataclass(frozen=True)
class Backing:
    """The figures a register's rows back: metrics starting with ``prefix``, or ``metrics``."""

    register: str
    prefix: str = ""
    metrics: Collection[str] = ()


INCIDENTS = Backing(INCIDENT_FLOW.register, metrics=tuple(INCIDENT_METRICS))
NPS = Backing("nps", prefix="customer.nps.")
HOURS_METRIC = "ohs.hours_worked"


def hours_backing() -> Backing:
    """Hours worked back their own figure and every rate computed over them (the rates'
    denominator), so a locked rate freezes the hours behind it too."""
    rates = sorted(
        m.id for m in metrics().values() if m.formula and HOURS_METRIC in formula_inputs(m.formula)
    )
    return Backing("ohs_hours", metrics=(HOURS_METRIC, *rates))


def backing(reg: StagedRegister) -> Backing:
    return Backing(reg.register, prefix=reg.metric_prefix)


def _lineage(session: Session, entity: str) -> list[str]:
    """The entity and every entity above it."""
    out: list[str] = []
    current: str | None = entity
    while current is not None and current not in out:
        out.append(current)
        current = session.scalar(select(Entity.parent_id).where(Entity.id == current))
    return out


def refuse_locked(
    session: Session, backs: Backing, *, ref: str, entity: str, year: int, what: str = "move"
) -> None:
    """Refuse (409) a change to a row whose figures are locked: a data request for one of
    the register's metrics locked for its entity or one above it, in the year it was
    received (``year``) or this year."""
    metric = DataRequest.metric_id
    backed = (
        metric.startswith(backs.prefix, autoescape=True)
        if backs.prefix
        else metric.in_(sorted(backs.metrics))
    )
    locked = session.scalars(
        select(DataRequest)
        .where(
            DataRequest.state == "locked",
            backed,
            DataRequest.year.in_(sorted({year, utcnow().year})),
            DataRequest.entity_id.in_(_lineage(session, entity)),
        )
        .order_by(DataRequest.id)
        .limit(1)
    ).first()
    if locked is not None:
        raise Conflict(
            f"{backs.register} {ref!r}: the {locked.year} figures of {locked.entity_id} are "
            f"locked (data request {locked.id}, {locked.metric_id}); a change after locking "
            f"is a restatement, not {what}"
        )


def import_guard(user: Principal, backs: Backing, received: str) -> Guard:
    """Refuse a validated file, inside the import's write transaction, naming an entity the
    user may not write or a row whose entity and year (``received``) are locked."""
    year = pl.col(received).dt.year()
    return rows_guard(user, backs, entity="entity", year=year, label=pl.col("ref"))


def answers_guard(user: Principal) -> Guard:
    """:func:`import_guard` for a file of NPS answers (no ref: a row is named by number)."""
    year = pl.col("answered_on").dt.year()
    return rows_guard(user, NPS, entity="entity_id", year=year, label=_row_label())


def hours_guard(user: Principal) -> Guard:
    """:func:`import_guard` for a file of hours worked per entity, year and worker type."""
    return rows_guard(user, hours_backing(), entity="entity", year=pl.col("year"),
                      label=_row_label())  # fmt: skip


def _row_label() -> pl.Expr:
    return pl.format("row {}", pl.col(ROW))


def rows_guard(
    user: Principal, backs: Backing, *, entity: str, year: pl.Expr, label: pl.Expr
) -> Guard:
    """Refuse validated rows naming an entity (column ``entity``) the user may not write,
    or an entity and ``year`` whose figures are locked (the first such row, by ``label``)."""

    def guard(session: Session, rows: pl.DataFrame) -> None:
        for name in rows[entity].unique().sort().to_list():
            require(user, "kpis.write", entity=name)
        firsts = rows.select(label.alias("label"), pl.col(entity), year.alias("year"))
        firsts = firsts.unique([entity, "year"], keep="first", maintain_order=True)
        for ref, name, when in firsts.iter_rows():
            refuse_locked(session, backs, ref=ref, entity=name, year=when, what="an import")

    return guard


def move_row(
    session: Session,
    user: Principal,
    register: str,
    *,
    ref: str,
    target: str,
    seen_version: int | None,
    note: str = "",
    **extra: str,
) -> Any:
    """Move the complaint or vulnerability ``ref`` to ``target`` for ``user``, in the
    caller's write transaction; refused whole (nothing written) when not allowed."""
    reg = REGISTERS[register]
    _allowed(session, user, reg.model, backing(reg), ref, reg.received)
    return reg.move(
        session, ref=ref, target=target, actor=user.username, seen_version=seen_version,
        note=note, **extra,
    )  # fmt: skip


def move_incident(
    session: Session,
    user: Principal,
    *,
    ref: str,
    target: str,
    seen_version: int | None,
    note: str = "",
) -> OhsIncident:
    """Move the OHS incident ``ref`` along its flow for ``user`` (as ``esg register ohs
    move``), refused whole when not allowed."""
    _allowed(session, user, OhsIncident, INCIDENTS, ref, "occurred_on")
    moved = move(
        session, OhsIncident, INCIDENT_FLOW, ref=ref, target=target, actor=user.username,
        seen_version=seen_version, note=note,
    )  # fmt: skip
    return cast(OhsIncident, moved)  # the row of the model asked for


def _allowed(
    session: Session, user: Principal, model: Any, backs: Backing, ref: str, received: str
) -> Any:
    row = session.scalars(select(model).where(model.ref == ref)).one_or_none()
    if row is None:
        raise NotFound(f"{backs.register}: no row {ref!r}")
    require(user, "kpis.write", entity=row.entity_id)
    year = getattr(row, received).year
    refuse_locked(session, backs, ref=row.ref, entity=row.entity_id, year=year)
    return row
