"""Validating certificate files: every bad cell named by row and column, all or nothing.

Columns ``entity, standard, number, body, issued_on, expires_on`` and optional
``product_model`` (the certificate covers that product model of the entity, not the entity
itself), ``scope``, ``withdrawn_on`` (suspended or withdrawn before expiry) and
``surveillance`` (the surveillance audits passed, dates separated by ``;``). A certificate is
known by its body and number; a file may restate a stored one (renewed scope, withdrawal).
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
from esgledger.registers.row_checks import check_entity, first_duplicate, trimmed

COLUMNS = ["entity", "standard", "number", "body", "issued_on", "expires_on"]
OPTIONAL = ("product_model", "scope", "withdrawn_on", "surveillance")
# ISO and ISO/IEC standards in any usual spelling ("iso 14001:2015", "ISO/IEC 27001") are
# kept as "ISO 14001": a certificate to a later edition is a certificate to the standard.
ISO = r"^ISO\s*(?:/\s*IEC\s*)?(\d{4,5})(?:-\d+)?(?::\s*\d{4})?$"
LIMITS = {"standard": 64, "number": 64, "body": 128, "product_model": 64, "scope": 2000}
MAX_SURVEILLANCE = 200
# An expiry on or before the issue date (certificates here, special operators' too).
EXPIRES_BEFORE = Message(
    N_("expires on %(expires)s but was issued on %(issued)s"),
    {"expires": pl.col("expires_on"), "issued": pl.col("issued_on")},
)


def normalised_standard(column: str) -> pl.Expr:
    """``ISO nnnnn`` for ISO and ISO/IEC standards, otherwise the text with single spaces."""
    text = pl.col(column).str.strip_chars().str.replace_all(r"\s+", " ")
    number = text.str.to_uppercase().str.extract(ISO, 1)
    return pl.when(number.is_not_null()).then(pl.format("ISO {}", number)).otherwise(text)


def _surveillance(frame: pl.DataFrame) -> pl.DataFrame:
    """The audit dates as a list, with the first that is no date and the first outside the
    certificate's validity."""
    parts = (
        pl.col("surveillance")
        .str.split(";")
        .list.eval(pl.element().str.strip_chars())
        .list.eval(pl.element().filter(pl.element() != ""))
    )
    days = pl.col("_parts").list.eval(pl.element().str.to_date("%Y-%m-%d", strict=False))
    frame = frame.with_columns(parts.alias("_parts")).with_columns(days.alias("_days"))
    return frame.with_columns(
        pl.col("_parts")
        .list.gather(pl.col("_days").list.eval(pl.element().is_null().arg_true()))
        .list.first()
        .alias("_bad_day"),
        pl.col("_days")
        .list.eval(pl.element().filter(pl.element().is_not_null()))
        .list.sort()
        .alias("_audits"),
    )


def validate_certificates(table: Table, *, entities: Collection[str]) -> pl.DataFrame:
    """Typed certificate rows, or :class:`ImportRejected`."""
    check = Checker(table.source)
    frame = trimmed(table, COLUMNS, check)
    for optional in OPTIONAL:
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(optional))
    frame = frame.with_columns(pl.col(c).fill_null("").str.strip_chars() for c in OPTIONAL)
    frame = _surveillance(
        frame.with_columns(
            normalised_standard("standard").alias("_standard"),
            parse_date("issued_on").alias("_issued"),
            parse_date("expires_on").alias("_expires"),
            parse_date("withdrawn_on").alias("_withdrawn"),
        )
    )
    check_entity(frame, check, entities)
    for column in ("standard", "number", "body"):
        check.flag(frame, blank(column), column, f"{column} is empty", empty(column))
    for column, limit in LIMITS.items():
        check.flag(
            frame,
            pl.col(column).str.len_chars() > limit,
            column,
            f"{column} is longer than {limit} characters",
            longer(column, limit),
        )
    first_duplicate(frame, check, ["body", "number"], "number")
    for column, parsed in (("issued_on", "_issued"), ("expires_on", "_expires")):
        check.flag(
            frame,
            pl.col(parsed).is_null(),
            column,
            date_problem(column),
            date_message(column),
        )
    check.flag(
        frame,
        pl.col("_expires") <= pl.col("_issued"),
        "expires_on",
        pl.format("expires on {} but was issued on {}", pl.col("expires_on"), "issued_on"),
        EXPIRES_BEFORE,
    )
    check.flag(
        frame,
        ~blank("withdrawn_on") & pl.col("_withdrawn").is_null(),
        "withdrawn_on",
        date_problem("withdrawn_on"),
        date_message("withdrawn_on"),
    )
    check.flag(
        frame,
        (pl.col("_withdrawn") < pl.col("_issued")) | (pl.col("_withdrawn") > pl.col("_expires")),
        "withdrawn_on",
        pl.format("withdrawn on {}, outside its validity", pl.col("withdrawn_on")),
        Message(
            N_("withdrawn on %(date)s, outside its validity"), {"date": pl.col("withdrawn_on")}
        ),
    )
    check.flag(
        frame,
        pl.col("_bad_day").is_not_null(),
        "surveillance",
        pl.format("'{}' is not a date (use YYYY-MM-DD; separate audits with ;)", "_bad_day"),
        cell(N_("%(cell)r is not a date (use YYYY-MM-DD; separate audits with ;)"), "_bad_day"),
    )
    check.flag(
        frame,
        (pl.col("_audits").list.first() < pl.col("_issued"))
        | (pl.col("_audits").list.last() > pl.col("_expires")),
        "surveillance",
        "a surveillance audit falls outside the certificate's validity",
        Message(N_("a surveillance audit falls outside the certificate's validity")),
    )
    check.flag(
        frame,
        pl.col("surveillance").str.len_chars() > MAX_SURVEILLANCE,
        "surveillance",
        f"surveillance is longer than {MAX_SURVEILLANCE} characters",
        longer("surveillance", MAX_SURVEILLANCE),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "entity",
        pl.col("_standard").alias("standard"),
        "number",
        "body",
        "product_model",
        "scope",
        pl.col("_issued").alias("issued_on"),
        pl.col("_expires").alias("expires_on"),
        pl.col("_withdrawn").alias("withdrawn_on"),
        pl.col("_audits")
        .list.eval(pl.element().dt.strftime("%Y-%m-%d"))
        .list.join("; ")
        .alias("surveillance"),
    )
