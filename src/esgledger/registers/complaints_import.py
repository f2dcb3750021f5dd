"""Validating complaint and NPS files: every bad cell named by row and column, all or nothing.

Complaints file: ``ref, entity, channel, product_line, severity, accepted_at`` and optional
``description`` and the entry times of the later states (``assigned_at, processing_at,
return_visit_at, filed_at, closed_at``), so an export of the service desk brings each
complaint's past. NPS file: ``entity, date, segment, score`` — one answer (0-10) a row.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import (
    ROW,
    Checker,
    Message,
    blank,
    date_message,
    date_problem,
    empty,
    parse_date,
)
from esgledger.ingest.readers import Table
from esgledger.ledger.register_lines import Line
from esgledger.registers.history import check_history
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed

SEVERITIES = ("low", "medium", "high")
CHANNELS = ("phone", "email", "web", "app", "store", "social_media", "letter", "other")
SEGMENTS = ("domestic_distribution", "non_distribution", "other")  # dimension customer_segment
COMPLAINT_COLUMNS = ["ref", "entity", "channel", "product_line", "severity", "accepted_at"]
NPS_COLUMNS = ["entity", "date", "segment", "score"]
MAX_TEXT = {"ref": 64, "product_line": 64, "description": 4000}


def check_new_refs(frame: pl.DataFrame, check: Checker, stored: Collection[str], noun: str) -> None:
    """A row's ref is given, not already stored and not repeated in the file."""
    check.flag(frame, blank("ref"), "ref", "ref is empty", empty("ref"))
    check.flag(
        frame,
        pl.col("ref").is_in(sorted(stored)),
        "ref",
        pl.format(f"{noun} '{{}}' is already in the register", pl.col("ref")),
        Message(N_("%(ref)r is already in the register"), {"ref": pl.col("ref")}),
    )
    first_duplicate(frame, check, ["ref"], "ref")


def _check_lengths(frame: pl.DataFrame, check: Checker) -> None:
    for column, most in MAX_TEXT.items():
        check.flag(
            frame,
            pl.col(column).str.len_chars() > most,
            column,
            f"{column} is longer than {most} characters",
            Message(
                N_("%(column)s is longer than %(most)s characters"),
                {"column": pl.lit(column), "most": pl.lit(str(most))},
            ),
        )


def validate_complaints(
    table: Table, *, entities: Collection[str], stored_refs: Collection[str], line: Line
) -> pl.DataFrame:
    """Typed complaint rows with each state's time and the state reached, or a refusal."""
    check = Checker(table.source)
    frame = trimmed(table, COMPLAINT_COLUMNS, check)
    if "description" not in frame.columns:
        frame = frame.with_columns(pl.lit("").alias("description"))
    frame = frame.with_columns(
        pl.col("description").fill_null(""),
        pl.col("channel").str.to_lowercase(),
        pl.col("severity").str.to_lowercase(),
    )
    check_new_refs(frame, check, stored_refs, "complaint")
    check_entity(frame, check, entities)
    check_choice(frame, check, "channel", CHANNELS)
    check_choice(frame, check, "severity", SEVERITIES)
    check.flag(
        frame, blank("product_line"), "product_line", "product_line is empty", empty("product_line")
    )
    _check_lengths(frame, check)
    frame = check_history(frame, check, line)
    check.raise_if_any()
    columns = [column for _, column in line.stages]
    return frame.select(
        ROW,
        "ref",
        "entity",
        "channel",
        "product_line",
        "severity",
        "description",
        *(pl.col(f"_{c}").alias(c) for c in columns),
        pl.col("_state").alias("state"),
    )


def validate_answers(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed NPS answers (entity, answered_on, segment, score), or a refusal."""
    check = Checker(table.source)
    frame = trimmed(table, NPS_COLUMNS, check)
    frame = frame.with_columns(
        parse_date("date").alias("_date"),
        pl.col("segment").str.to_lowercase(),
        pl.col("score").cast(pl.Int32, strict=False).alias("_score"),
    )
    check_entity(frame, check, entities)
    check.flag(frame, pl.col("_date").is_null(), "date", date_problem("date"), date_message("date"))
    check_choice(frame, check, "segment", SEGMENTS)
    check.flag(
        frame,
        pl.col("_score").is_null() | ~pl.col("_score").is_between(0, 10),
        "score",
        pl.format("'{}' is not a whole number from 0 to 10", pl.col("score")),
        Message(N_("%(cell)r is not a whole number from 0 to 10"), {"cell": pl.col("score")}),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        pl.col("entity").alias("entity_id"),
        pl.col("_date").alias("answered_on"),
        "segment",
        pl.col("_score").alias("score"),
    )
