"""Validating the OHS safety register files: every bad cell named by row and column, all or
nothing.

Hazards: ``ref, entity, identified_on, category, risk_level`` and optional ``description``
and ``corrected_on`` (the day the correction was completed; empty while open). Categories
are the four top classes of GB/T 13861-2022 *Classification and code for the hazardous and
harmful factors in process of production* (human, object, environment, management factors);
risk levels the four of the graded risk control in China's work-safety guidance (major,
significant, general, low — red, orange, yellow, blue), as the assessment gave them: no
level is computed here, so no threshold is assumed.

Drills: ``ref, entity, held_on, scenario, participants`` and optional ``notes``.

Special-operation workers: ``entity, person, operation, assigned_on`` and optional
``certificate, issued_on, expires_on`` (all three, or none: no certificate) and ``left_on``.
Operations are the categories of the special-operation catalogue annexed to the Provisions
on Safety Technical Training and Assessment of Special Operation Personnel (SAWS Order
No. 30, 2010). ``person`` is an HR id, never a name.
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
    cell,
    date_message,
    date_problem,
    empty,
    longer,
    parse_date,
)
from esgledger.ingest.readers import Table
from esgledger.registers.certification_import import EXPIRES_BEFORE
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed

CATEGORIES = ("person", "object", "environment", "management")
RISK_LEVELS = ("major", "significant", "general", "low")
SCENARIOS = (
    "fire",
    "evacuation",
    "chemical_leak",
    "electrical",
    "first_aid",
    "confined_space",
    "natural_disaster",
    "other",
)
OPERATIONS = (
    "electrical",
    "welding_cutting",
    "work_at_height",
    "refrigeration",
    "coal_mine",
    "metal_mine",
    "oil_gas",
    "metallurgy",
    "hazardous_chemicals",
    "fireworks",
    "other",
)
HAZARD_COLUMNS = ["ref", "entity", "identified_on", "category", "risk_level"]
DRILL_COLUMNS = ["ref", "entity", "held_on", "scenario", "participants"]
OPERATOR_COLUMNS = ["entity", "person", "operation", "assigned_on"]
MAX_PARTICIPANTS = 1_000_000  # far above any site's headcount
MAX_TEXT = 4000
CODES = ("ref", "person")  # a row's own code: never empty
NEEDS_ISSUE = N_("a certificate needs its issue date")
NEEDS_EXPIRY = N_("a certificate needs its expiry date")
ISSUE_ALONE = N_("an issue date without a certificate number")
EXPIRY_ALONE = N_("an expiry date without a certificate number")


def _with_optional(frame: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    for column in columns:
        if column not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(column))
    return frame.with_columns(pl.col(c).fill_null("").str.strip_chars() for c in columns)


def _check_text(frame: pl.DataFrame, check: Checker, limits: dict[str, int]) -> None:
    for column, limit in limits.items():
        if column in CODES:
            check.flag(frame, blank(column), column, f"{column} is empty", empty(column))
        check.flag(
            frame,
            pl.col(column).str.len_chars() > limit,
            column,
            f"{column} is longer than {limit} characters",
            longer(column, limit),
        )


def _check_date(frame: pl.DataFrame, check: Checker, column: str, parsed: str) -> None:
    check.flag(frame, pl.col(parsed).is_null(), column, date_problem(column), date_message(column))


def _check_optional_date(frame: pl.DataFrame, check: Checker, column: str, parsed: str) -> None:
    check.flag(
        frame,
        ~blank(column) & pl.col(parsed).is_null(),
        column,
        date_problem(column),
        date_message(column),
    )


def validate_hazards(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed hazard rows, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = _with_optional(trimmed(table, HAZARD_COLUMNS, check), ("description", "corrected_on"))
    frame = frame.with_columns(
        parse_date("identified_on").alias("_identified"),
        parse_date("corrected_on").alias("_corrected"),
        pl.col("category").str.to_lowercase(),
        pl.col("risk_level").str.to_lowercase(),
    )
    _check_text(frame, check, {"ref": 64, "description": MAX_TEXT})
    first_duplicate(frame, check, ["ref"], "ref")
    check_entity(frame, check, entities)
    _check_date(frame, check, "identified_on", "_identified")
    check_choice(frame, check, "category", CATEGORIES)
    check_choice(frame, check, "risk_level", RISK_LEVELS)
    _check_optional_date(frame, check, "corrected_on", "_corrected")
    check.flag(
        frame,
        pl.col("_corrected") < pl.col("_identified"),
        "corrected_on",
        pl.format("corrected on {}, before it was identified", pl.col("corrected_on")),
        Message(
            N_("corrected on %(date)s, before it was identified"), {"date": pl.col("corrected_on")}
        ),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "ref",
        "entity",
        pl.col("_identified").alias("identified_on"),
        "category",
        "risk_level",
        "description",
        pl.col("_corrected").alias("corrected_on"),
    )


def validate_drills(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed drill rows, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = _with_optional(trimmed(table, DRILL_COLUMNS, check), ("notes",))
    frame = frame.with_columns(
        parse_date("held_on").alias("_held"),
        pl.col("participants").cast(pl.Int64, strict=False).alias("_participants"),
        pl.col("scenario").str.to_lowercase(),
    )
    _check_text(frame, check, {"ref": 64, "notes": MAX_TEXT})
    first_duplicate(frame, check, ["ref"], "ref")
    check_entity(frame, check, entities)
    _check_date(frame, check, "held_on", "_held")
    check_choice(frame, check, "scenario", SCENARIOS)
    check.flag(
        frame,
        pl.col("_participants").is_null()
        | ~pl.col("_participants").is_between(0, MAX_PARTICIPANTS),
        "participants",
        pl.format(
            f"'{{}}' is not a whole number from 0 to {MAX_PARTICIPANTS}", pl.col("participants")
        ),
        cell(
            N_("%(cell)r is not a whole number from 0 to %(most)s"),
            "participants",
            most=pl.lit(str(MAX_PARTICIPANTS)),
        ),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "ref",
        "entity",
        pl.col("_held").alias("held_on"),
        "scenario",
        pl.col("_participants").alias("participants"),
        "notes",
    )


def _check_certificate(frame: pl.DataFrame, check: Checker) -> None:
    has = ~blank("certificate")
    for column, parsed, what, needed, alone in (
        ("issued_on", "_issued", "issue date", NEEDS_ISSUE, ISSUE_ALONE),
        ("expires_on", "_expires", "expiry date", NEEDS_EXPIRY, EXPIRY_ALONE),
    ):
        check.flag(
            frame, has & blank(column), column, f"a certificate needs its {what}", Message(needed)
        )
        check.flag(
            frame,
            ~has & ~blank(column),
            column,
            f"an {what} without a certificate number",
            Message(alone),
        )
        _check_optional_date(frame, check, column, parsed)
    check.flag(
        frame,
        pl.col("_expires") <= pl.col("_issued"),
        "expires_on",
        pl.format("expires on {} but was issued on {}", pl.col("expires_on"), "issued_on"),
        EXPIRES_BEFORE,
    )


def validate_operators(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed special-operation posts, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = _with_optional(
        trimmed(table, OPERATOR_COLUMNS, check),
        ("certificate", "issued_on", "expires_on", "left_on"),
    )
    frame = frame.with_columns(
        parse_date("assigned_on").alias("_assigned"),
        parse_date("left_on").alias("_left"),
        parse_date("issued_on").alias("_issued"),
        parse_date("expires_on").alias("_expires"),
        pl.col("operation").str.to_lowercase(),
    )
    _check_text(frame, check, {"person": 64, "certificate": 64})
    check_entity(frame, check, entities)
    check_choice(frame, check, "operation", OPERATIONS)
    first_duplicate(frame, check, ["entity", "person", "operation"], "person")
    _check_date(frame, check, "assigned_on", "_assigned")
    _check_optional_date(frame, check, "left_on", "_left")
    check.flag(
        frame,
        pl.col("_left") < pl.col("_assigned"),
        "left_on",
        pl.format("left on {}, before being assigned", pl.col("left_on")),
        Message(N_("left on %(date)s, before being assigned"), {"date": pl.col("left_on")}),
    )
    _check_certificate(frame, check)
    check.raise_if_any()
    return frame.select(
        ROW,
        "entity",
        "person",
        "operation",
        pl.col("_assigned").alias("assigned_on"),
        pl.col("_left").alias("left_on"),
        "certificate",
        pl.col("_issued").alias("issued_on"),
        pl.col("_expires").alias("expires_on"),
    )
