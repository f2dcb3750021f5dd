"""Validating community giving files: every bad cell named by row and column, all or nothing.

Donations: ``ref, entity, date, programme, recipient_type, form, amount, currency`` — one
row per donation, cash or in kind (valued), in the currency it was given in (ISO 4217).
Volunteering: ``entity, year, programme, participations, hours``. Rates: ``currency, quote,
valid_from, valid_to, rate, source`` — one unit of ``currency`` is ``rate`` units of
``quote`` over the period, taken from the public ``source`` named (no rate is shipped).
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
    number_message,
    number_problem,
    parse_date,
    parse_number,
)
from esgledger.ingest.readers import Table
from esgledger.registers.row_checks import check_choice, check_entity, first_duplicate, trimmed

DONATION_COLUMNS = [
    "ref",
    "entity",
    "date",
    "programme",
    "recipient_type",
    "form",
    "amount",
    "currency",
]
VOLUNTEER_COLUMNS = ["entity", "year", "programme", "participations", "hours"]
RATE_COLUMNS = ["currency", "quote", "valid_from", "valid_to", "rate", "source"]
RECIPIENTS = ("charity", "education", "community", "healthcare", "disaster_relief", "other")
FORMS = ("cash", "in_kind")
CURRENCY = r"^[A-Z]{3}$"
MAX_AMOUNT = 1e12
MAX_HOURS = 1e9


def _check_text(frame: pl.DataFrame, check: Checker, column: str, limit: int) -> None:
    check.flag(frame, blank(column), column, f"{column} is empty", empty(column))
    check.flag(
        frame,
        pl.col(column).str.len_chars() > limit,
        column,
        f"{column} is longer than {limit} characters",
        longer(column, limit),
    )


def _check_currency(frame: pl.DataFrame, check: Checker, column: str) -> None:
    check.flag(
        frame,
        ~pl.col(column).str.contains(CURRENCY),
        column,
        pl.format("'{}' is not an ISO 4217 currency code (three letters)", pl.col(column)),
        cell(N_("%(cell)r is not an ISO 4217 currency code (three letters)"), column),
    )


def _check_positive(
    frame: pl.DataFrame, check: Checker, column: str, parsed: str, limit: float
) -> None:
    check.flag(
        frame, pl.col(parsed).is_null(), column, number_problem(column), number_message(column)
    )
    check.flag(
        frame,
        (pl.col(parsed) <= 0) | (pl.col(parsed) > limit),
        column,
        pl.format(f"{{}} is not above 0 and at most {limit:g}", pl.col(column)),
        Message(
            N_("%(value)s is not above 0 and at most %(most)s"),
            {"value": pl.col(column), "most": pl.lit(f"{limit:g}")},
        ),
    )


def validate_donations(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed donation rows, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, DONATION_COLUMNS, check).with_columns(
        pl.col("recipient_type").str.to_lowercase(),
        pl.col("form").str.to_lowercase().str.replace("-", "_").str.replace(" ", "_"),
        pl.col("currency").str.to_uppercase(),
        parse_date("date").alias("_date"),
        parse_number("amount").alias("_amount"),
    )
    _check_text(frame, check, "ref", 64)
    first_duplicate(frame, check, ["ref"], "ref")
    check_entity(frame, check, entities)
    check.flag(frame, pl.col("_date").is_null(), "date", date_problem("date"), date_message("date"))
    _check_text(frame, check, "programme", 128)
    check_choice(frame, check, "recipient_type", RECIPIENTS)
    check_choice(frame, check, "form", FORMS)
    _check_positive(frame, check, "amount", "_amount", MAX_AMOUNT)
    _check_currency(frame, check, "currency")
    check.raise_if_any()
    return frame.select(
        ROW,
        "ref",
        "entity",
        pl.col("_date").alias("given_on"),
        "programme",
        "recipient_type",
        "form",
        pl.col("_amount").alias("amount"),
        "currency",
    )


def validate_volunteering(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed volunteering rows, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, VOLUNTEER_COLUMNS, check).with_columns(
        pl.col("year").cast(pl.Int32, strict=False).alias("_year"),
        pl.col("participations").cast(pl.Int64, strict=False).alias("_people"),
        parse_number("hours").alias("_hours"),
    )
    check_entity(frame, check, entities)
    check.flag(
        frame,
        pl.col("_year").is_null() | ~pl.col("_year").is_between(1900, 2100),
        "year",
        pl.format("'{}' is not a year", pl.col("year")),
        cell(N_("%(cell)r is not a year"), "year"),
    )
    _check_text(frame, check, "programme", 128)
    first_duplicate(frame, check, ["entity", "year", "programme"], "programme")
    check.flag(
        frame,
        pl.col("_people").is_null() | (pl.col("_people") < 0) | (pl.col("_people") > 10**9),
        "participations",
        pl.format("'{}' is not a whole number of participations", pl.col("participations")),
        cell(N_("%(cell)r is not a whole number of participations"), "participations"),
    )
    _check_positive(frame, check, "hours", "_hours", MAX_HOURS)
    check.raise_if_any()
    return frame.select(
        ROW,
        "entity",
        pl.col("_year").alias("year"),
        "programme",
        pl.col("_people").alias("participations"),
        pl.col("_hours").alias("hours"),
    )


def validate_rates(table: Table) -> pl.DataFrame:
    """Typed rate rows, or :class:`ImportRejected`; periods of a pair may not overlap."""
    check = Checker(table.source)
    frame = trimmed(table, RATE_COLUMNS, check).with_columns(
        pl.col("currency").str.to_uppercase(),
        pl.col("quote").str.to_uppercase(),
        parse_date("valid_from").alias("_from"),
        parse_date("valid_to").alias("_to"),
        parse_number("rate").alias("_rate"),
    )
    _check_currency(frame, check, "currency")
    _check_currency(frame, check, "quote")
    check.flag(
        frame,
        pl.col("currency") == pl.col("quote"),
        "quote",
        "a rate converts one currency into another",
        Message(N_("a rate converts one currency into another")),
    )
    for column, parsed in (("valid_from", "_from"), ("valid_to", "_to")):
        check.flag(
            frame, pl.col(parsed).is_null(), column, date_problem(column), date_message(column)
        )
    check.flag(
        frame,
        pl.col("_to") < pl.col("_from"),
        "valid_to",
        pl.format("ends on {} before it starts", pl.col("valid_to")),
        Message(N_("ends on %(date)s before it starts"), {"date": pl.col("valid_to")}),
    )
    _check_positive(frame, check, "rate", "_rate", MAX_AMOUNT)
    _check_text(frame, check, "source", 300)
    pair = ["currency", "quote"]
    ordered = frame.sort([*pair, "_from"]).with_columns(
        pl.col("_to").shift(1).over(pair).alias("_prev_to"),
        pl.col(ROW).shift(1).over(pair).alias("_prev_row"),
    )
    check.flag(
        ordered,
        pl.col("_from") <= pl.col("_prev_to"),
        "valid_from",
        pl.format("the period overlaps row {}'s", pl.col("_prev_row")),
        Message(N_("the period overlaps row %(row)s's"), {"row": pl.col("_prev_row")}),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "currency",
        "quote",
        pl.col("_from").alias("valid_from"),
        pl.col("_to").alias("valid_to"),
        pl.col("_rate").alias("rate"),
        "source",
    )
