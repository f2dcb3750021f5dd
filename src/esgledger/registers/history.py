"""Moving and importing rows of a register whose states form one line
(:class:`esgledger.ledger.register_lines.Line`), each state's entry time kept.

An import may bring a row's past (an export of the service
desk): each state's time given, in order, no later state without the earlier ones; a move
afterwards stamps the state it enters (:func:`advance`).
"""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.catalog.messages import N_
from esgledger.errors import ConcurrentChange, NotFound
from esgledger.ingest.checker import Checker, Message, blank, empty
from esgledger.ledger.models import utcnow
from esgledger.ledger.register_lines import Line
from esgledger.registers.states import Flow
from esgledger.registers.transitions import move

MOMENT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")


def flow_of(line: Line) -> Flow:
    """The line as a flow: each state moves only to the next one."""
    states = line.states
    return Flow(
        register=line.register,
        initial=states[0],
        moves={a: (b,) for a, b in itertools.pairwise(states)},
    )


def parse_moment(column: str) -> pl.Expr:
    """A date and time (``YYYY-MM-DD HH:MM[:SS]``, or a date: its midnight), else null."""
    text = pl.col(column).str.strip_chars()
    tries = [text.str.to_datetime(f, strict=False) for f in MOMENT_FORMATS]
    tries.append(text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")))
    return pl.coalesce(tries)


def check_history(frame: pl.DataFrame, check: Checker, line: Line) -> pl.DataFrame:
    """Parse every state's time column; flag a bad time, a gap or a time before the last.

    The first state's column is required; later ones are optional (missing columns count as
    blank). Returns the frame with ``_<column>`` datetimes and ``_state`` (the last given).
    """
    columns = [column for _, column in line.stages]
    frame = frame.with_columns(
        pl.lit("").alias(c) for c in columns[1:] if c not in frame.columns
    ).with_columns(pl.col(c).cast(pl.Utf8).fill_null("").str.strip_chars() for c in columns)
    frame = frame.with_columns(parse_moment(c).alias(f"_{c}") for c in columns)
    check.flag(frame, blank(columns[0]), columns[0], f"{columns[0]} is empty", empty(columns[0]))
    for c in columns:
        check.flag(
            frame,
            ~blank(c) & pl.col(f"_{c}").is_null(),
            c,
            pl.format("'{}' is not a date and time (use YYYY-MM-DD HH:MM)", pl.col(c)),
            Message(
                N_("%(cell)r is not a date and time (use YYYY-MM-DD HH:MM)"), {"cell": pl.col(c)}
            ),
        )
    for before, after in itertools.pairwise(columns):
        check.flag(
            frame,
            blank(before) & ~blank(after),
            after,
            f"{after} is given but {before} is empty; states are entered in order",
            Message(
                N_("%(after)s is given but %(before)s is empty; states are entered in order"),
                {"after": pl.lit(after), "before": pl.lit(before)},
            ),
        )
        check.flag(
            frame,
            pl.col(f"_{after}") < pl.col(f"_{before}"),
            after,
            pl.format(f"'{{}}' is before {before} '{{}}'", pl.col(after), pl.col(before)),
            Message(
                N_("%(cell)r is before %(before)s %(earlier)r"),
                {"cell": pl.col(after), "before": pl.lit(before), "earlier": pl.col(before)},
            ),
        )
    state = pl.lit(line.states[0])
    for state_name, column in line.stages[1:]:
        state = pl.when(~blank(column)).then(pl.lit(state_name)).otherwise(state)
    return frame.with_columns(state.alias("_state"))


def check_version(row: Any, register: str, seen_version: int | None) -> None:
    """Refuse a row changed since the version the caller saw (checked before any change:
    each flush of a change bumps the version)."""
    if seen_version is not None and row.version != seen_version:
        raise ConcurrentChange(
            f"{register} {row.ref!r} changed since version {seen_version} "
            f"(now {row.version}); reload it and try again"
        )


def advance(
    session: Session,
    model: Any,
    line: Line,
    *,
    ref: str,
    target: str,
    actor: str,
    seen_version: int | None = None,
    note: str = "",
) -> Any:
    """Move the row ``ref`` to the next state, stamping that state's entry time."""
    row = session.scalars(select(model).where(model.ref == ref)).one_or_none()
    if row is None:
        raise NotFound(f"{line.register}: no row {ref!r}")
    check_version(row, line.register, seen_version)  # before stamping (that bumps it)
    flow = flow_of(line)
    flow.check(row.state, target)
    with session.no_autoflush:  # the stamp and the state in one flush: one version step
        setattr(row, line.column(target), utcnow())
        return move(session, model, flow, ref=ref, target=target, actor=actor, note=note)
