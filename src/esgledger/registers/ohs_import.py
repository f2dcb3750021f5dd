"""Validating OHS register files: every bad cell named by row and column, all or nothing.

Hours file: ``entity, year, worker_type, hours`` — one row per entity, year and worker type.
Incidents file: ``ref, entity, date, worker_type, kind, high_consequence, lost_days`` and an
optional ``description``; ``ref`` is the incident's own number, unique in the register.
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
    number_message,
    number_problem,
    parse_date,
    parse_number,
)
from esgledger.ingest.readers import Table
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed

WORKER_TYPES = ("employee", "contractor", "outsourced", "intern")
KINDS = ("injury", "fatality", "occupational_disease")
YES_NO = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False, "": False}
HOURS_COLUMNS = ["entity", "year", "worker_type", "hours"]
INCIDENT_COLUMNS = ["ref", "entity", "date", "worker_type", "kind", "high_consequence", "lost_days"]
MAX_YEAR_HOURS = 1e12  # far above any workforce's hours in a year (500 million people full time)
MAX_LOST_DAYS = 100_000


def validate_hours(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed hours rows (entity, year, worker_type, hours), or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, HOURS_COLUMNS, check)
    frame = frame.with_columns(
        pl.col("year").cast(pl.Int32, strict=False).alias("_year"),
        parse_number("hours").alias("_hours"),
        pl.col("worker_type").str.to_lowercase(),
    )
    check_entity(frame, check, entities)
    check.flag(
        frame,
        pl.col("_year").is_null() | ~pl.col("_year").is_between(1900, 2200),
        "year",
        pl.format("'{}' is not a year", pl.col("year")),
        Message(N_("%(cell)r is not a year"), {"cell": pl.col("year")}),
    )
    check_choice(frame, check, "worker_type", WORKER_TYPES)
    check.flag(
        frame, pl.col("_hours").is_null(), "hours", number_problem("hours"), number_message("hours")
    )
    check.flag(
        frame,
        (pl.col("_hours") < 0) | (pl.col("_hours") > MAX_YEAR_HOURS),
        "hours",
        pl.format(f"{{}} is not between 0 and {MAX_YEAR_HOURS:g} hours", pl.col("hours")),
        Message(
            N_("%(cell)s is not between 0 and %(max)s hours"),
            {"cell": pl.col("hours"), "max": pl.lit(f"{MAX_YEAR_HOURS:g}")},
        ),
    )
    first_duplicate(frame, check, ["entity", "year", "worker_type"], "entity")
    check.raise_if_any()
    return frame.select(
        ROW, "entity", pl.col("_year").alias("year"), "worker_type", pl.col("_hours").alias("hours")
    )


def validate_incidents(
    table: Table, *, entities: Collection[str], stored_refs: Collection[str]
) -> pl.DataFrame:
    """Typed incident rows, or :class:`ImportRejected`; a ref already stored is refused."""
    check = Checker(table.source)
    frame = trimmed(table, INCIDENT_COLUMNS, check)
    if "description" not in frame.columns:
        frame = frame.with_columns(pl.lit("").alias("description"))
    frame = frame.with_columns(
        parse_date("date").alias("_date"),
        pl.col("lost_days").str.replace(r"^$", "0").cast(pl.Int64, strict=False).alias("_lost"),
        pl.col("worker_type").str.to_lowercase(),
        pl.col("kind").str.to_lowercase(),
        pl.col("high_consequence").str.to_lowercase(),
        pl.col("description").fill_null(""),
    )
    check.flag(frame, blank("ref"), "ref", "ref is empty", empty("ref"))
    check.flag(
        frame,
        pl.col("ref").str.len_chars() > 64,
        "ref",
        "ref is longer than 64 characters",
        Message(
            N_("%(column)s is longer than %(most)s characters"),
            {"column": pl.lit("ref"), "most": pl.lit("64")},
        ),
    )
    check.flag(
        frame,
        pl.col("ref").is_in(sorted(stored_refs)),
        "ref",
        pl.format("incident '{}' is already in the register", pl.col("ref")),
        Message(N_("%(ref)r is already in the register"), {"ref": pl.col("ref")}),
    )
    first_duplicate(frame, check, ["ref"], "ref")
    check_entity(frame, check, entities)
    check.flag(frame, pl.col("_date").is_null(), "date", date_problem("date"), date_message("date"))
    check_choice(frame, check, "worker_type", WORKER_TYPES)
    check_choice(frame, check, "kind", KINDS)
    check.flag(
        frame,
        ~pl.col("high_consequence").is_in(list(YES_NO)),
        "high_consequence",
        pl.format("'{}' is not yes or no", pl.col("high_consequence")),
        Message(N_("%(cell)r is not yes or no"), {"cell": pl.col("high_consequence")}),
    )
    check.flag(
        frame,
        pl.col("_lost").is_null() | ~pl.col("_lost").is_between(0, MAX_LOST_DAYS),
        "lost_days",
        pl.format(
            f"'{{}}' is not a whole number of days from 0 to {MAX_LOST_DAYS}", pl.col("lost_days")
        ),
        Message(
            N_("%(cell)r is not a whole number of days from 0 to %(max)s"),
            {"cell": pl.col("lost_days"), "max": pl.lit(str(MAX_LOST_DAYS))},
        ),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "ref",
        "entity",
        pl.col("_date").alias("occurred_on"),
        "worker_type",
        "kind",
        pl.col("high_consequence").replace_strict(YES_NO, return_dtype=pl.Boolean),
        pl.col("_lost").alias("lost_days"),
        "description",
    )
