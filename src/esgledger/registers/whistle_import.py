"""Importing a case log kept before the register: cases received by hotline, letter or an
earlier system, with their state, outcome and closure, typed in by a compliance officer.

Only a compliance officer may import (``cases.handle``, as for every case write). The file's
columns: ``ref, entity, channel, type, received_at, description, state`` and optionally
``investigator, outcome, corrective_action, closed_at, retaliation_note``. What a move would
ask for is asked of each row: an investigator from ``investigating`` on (a name — the
investigation may have been outsourced), an outcome for a closed investigated case, a
substantiated outcome and its action for ``corrective_action``, a closing time exactly for
closed cases, a follow-up note for ``followed_up``. Imported cases have no passphrase: their
reporters got their answers through the channel they used, so the anonymous follow-up page
never opens them. Nothing of the content reaches the audit log; the batch's digest covers
the rows. All or nothing, one line per bad cell.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import polars as pl
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from esgledger.auth.permissions import Principal, require
from esgledger.catalog.messages import N_
from esgledger.errors import Conflict
from esgledger.ingest.checker import Checker, Message, blank, cell, empty, longer
from esgledger.ingest.readers import Table, read_table
from esgledger.ledger.batches import close_batch, open_batch
from esgledger.ledger.db import Database
from esgledger.ledger.import_steps import validate_then_write
from esgledger.ledger.models import Base, Entity
from esgledger.ledger.register_models import WhistleCase
from esgledger.registers.history import parse_moment
from esgledger.registers.ohs import Imported
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed
from esgledger.registers.whistle import CASE_TYPES, CASES, CHANNELS, MAX_TEXT, OUTCOMES

COLUMNS = ["ref", "entity", "channel", "type", "received_at", "description", "state"]
OPTIONAL = ["investigator", "outcome", "corrective_action", "closed_at", "retaliation_note"]
CLOSED = ("closed", "followed_up")
INVESTIGATED = ("investigating", "corrective_action")
CHUNK = 5000
# The case rules a row breaks: the English reason is the message id.
NEEDS_CLOSED = N_("a closed case needs closed_at")
ONLY_CLOSED = N_("only a closed case has closed_at")
CLOSED_BEFORE = N_("closed_at is before received_at")
NAMES_INVESTIGATOR = N_("an investigated case names its investigator")
CLOSES_WITH_OUTCOME = N_("an investigated case closes with an outcome")
FOLLOWS_SUBSTANTIATED = N_("corrective action follows a substantiated outcome")
NO_ACTION = N_("the corrective action is empty")
NO_FOLLOW_UP = N_("the non-retaliation follow-up note is empty")


def _validate(table: Table, *, entities: set[str], stored: set[str]) -> pl.DataFrame:
    check = Checker(table.source)
    frame = trimmed(table, COLUMNS, check)
    frame = frame.with_columns(
        pl.lit("").alias(c) for c in OPTIONAL if c not in frame.columns
    ).with_columns(pl.col(c).cast(pl.Utf8).fill_null("").str.strip_chars() for c in OPTIONAL)
    frame = frame.with_columns(
        pl.col("ref").str.to_uppercase(),
        *(pl.col(c).str.to_lowercase() for c in ("channel", "type", "state", "outcome")),
        parse_moment("received_at").alias("_received"),
        parse_moment("closed_at").alias("_closed"),
    )
    check.flag(frame, blank("ref"), "ref", "ref is empty", empty("ref"))
    check.flag(frame, pl.col("ref").str.len_chars() > 16, "ref", "ref is longer than 16",
               Message(N_("%(column)s is longer than %(most)s"),
                       {"column": pl.lit("ref"), "most": pl.lit("16")}))  # fmt: skip
    check.flag(frame, pl.col("ref").is_in(sorted(stored)), "ref",
               pl.format("case '{}' is already in the register", pl.col("ref")),
               Message(N_("%(ref)r is already in the register"),
                       {"ref": pl.col("ref")}))  # fmt: skip
    first_duplicate(frame, check, ["ref"], "ref")
    check_entity(frame, check, entities)
    check_choice(frame, check, "channel", CHANNELS)
    check_choice(frame, check, "type", CASE_TYPES)
    check_choice(frame, check, "state", CASES.states)
    outcomes = ", ".join(OUTCOMES)
    check.flag(frame, ~blank("outcome") & ~pl.col("outcome").is_in(list(OUTCOMES)), "outcome",
               pl.format(f"'{{}}' is not one of {outcomes}", pl.col("outcome")),
               cell(N_("%(cell)r is not one of %(choices)s"), "outcome",
                    choices=pl.lit(outcomes)))  # fmt: skip
    check.flag(frame, pl.col("_received").is_null(), "received_at",
               pl.format("'{}' is not a date and time (use YYYY-MM-DD HH:MM)",
                         pl.col("received_at")),
               cell(N_("%(cell)r is not a date and time (use YYYY-MM-DD HH:MM)"),
                    "received_at"))  # fmt: skip
    check.flag(frame, blank("description"), "description", "description is empty",
               empty("description"))  # fmt: skip
    for column in ("description", "corrective_action", "retaliation_note"):
        check.flag(frame, pl.col(column).str.len_chars() > MAX_TEXT, column,
                   f"{column} is longer than {MAX_TEXT} characters",
                   longer(column, MAX_TEXT))  # fmt: skip
    closed = pl.col("state").is_in(list(CLOSED))
    check.flag(frame, closed & blank("closed_at"), "closed_at", NEEDS_CLOSED,
               Message(NEEDS_CLOSED))  # fmt: skip
    check.flag(frame, ~closed & ~blank("closed_at"), "closed_at", ONLY_CLOSED,
               Message(ONLY_CLOSED))  # fmt: skip
    check.flag(frame, ~blank("closed_at") & pl.col("_closed").is_null(), "closed_at",
               pl.format("'{}' is not a date and time", pl.col("closed_at")),
               cell(N_("%(cell)r is not a date and time"), "closed_at"))  # fmt: skip
    check.flag(frame, pl.col("_closed") < pl.col("_received"), "closed_at", CLOSED_BEFORE,
               Message(CLOSED_BEFORE))  # fmt: skip
    check.flag(frame, pl.col("state").is_in(list(INVESTIGATED)) & blank("investigator"),
               "investigator", NAMES_INVESTIGATOR, Message(NAMES_INVESTIGATOR))  # fmt: skip
    check.flag(frame, closed & ~blank("investigator") & blank("outcome"), "outcome",
               CLOSES_WITH_OUTCOME, Message(CLOSES_WITH_OUTCOME))  # fmt: skip
    corrective = pl.col("state") == "corrective_action"
    check.flag(frame, corrective & (pl.col("outcome") != "substantiated"), "outcome",
               FOLLOWS_SUBSTANTIATED, Message(FOLLOWS_SUBSTANTIATED))  # fmt: skip
    check.flag(frame, corrective & blank("corrective_action"), "corrective_action",
               NO_ACTION, Message(NO_ACTION))  # fmt: skip
    check.flag(frame, (pl.col("state") == "followed_up") & blank("retaliation_note"),
               "retaliation_note", NO_FOLLOW_UP, Message(NO_FOLLOW_UP))  # fmt: skip
    check.raise_if_any()
    return frame


def import_cases(
    db: Database, path: str | Path, user: Principal, *, sheet: str | None = None
) -> Imported:
    """Cases from a CSV or XLSX case log, all or nothing; compliance officers only."""
    require(user, "cases.handle")
    table = read_table(path, sheet=sheet, kind="cases")

    def validate(session: Session) -> pl.DataFrame:
        return _validate(
            table,
            entities=set(session.scalars(select(Entity.id))),
            stored=set(session.scalars(select(WhistleCase.ref))),
        )

    return validate_then_write(db, validate, partial(_store, table=table, actor=user.username))


def _store(session: Session, rows: pl.DataFrame, *, table: Table, actor: str) -> Imported:
    refs = rows["ref"].to_list()
    if taken := sorted(session.scalars(select(WhistleCase.ref).where(WhistleCase.ref.in_(refs)))):
        raise Conflict(
            f"{table.source}: case {taken[0]!r} was added by another writer meanwhile; "
            "nothing was written, import the file again"
        )
    batch = open_batch(
        session, kind="register.whistle_cases", table=table, rows=rows.height, actor=actor
    )
    frame = rows.select(
        pl.lit(batch.id).alias("batch_id"),
        "ref",
        pl.col("entity").alias("entity_id"),
        "channel",
        pl.col("type").alias("case_type"),
        "description",
        pl.lit("").alias("passphrase_hash"),  # no follow-up: see the module's docstring
        pl.col("_received").alias("received_at"),
        "state",
        pl.coalesce("_closed", "_received").alias("state_changed_at"),
        "investigator",
        "outcome",
        "corrective_action",
        pl.col("_closed").alias("closed_at"),
        "retaliation_note",
    )
    cases = Base.metadata.tables["whistle_cases"]
    for chunk in frame.iter_slices(CHUNK):
        session.connection().execute(insert(cases), chunk.to_dicts())
    result = Imported(batch.id, rows.height, 0)
    close_batch(session, batch, actor=actor, summary=result.as_dict())
    return result
