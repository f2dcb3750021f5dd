"""Validating a Scope 3 screening file: the 15 categories, each once, with its relevance, a
reason from the fixed list, the method and the data-quality score."""

from __future__ import annotations

import polars as pl

from esgledger.catalog import activity_types
from esgledger.catalog.messages import N_
from esgledger.catalog.scope3_screening import CATEGORY_NUMBERS, DATA_QUALITY, METHODS, REASONS
from esgledger.ingest.checker import ROW, Checker, Message, blank, cell, longer, with_row_numbers
from esgledger.ingest.readers import Table

REQUIRED = ["category", "relevant", "reason"]
OPTIONAL = ["note", "method", "data_quality", "excluded_activities"]
SEPARATOR = "|"  # excluded_activities: activity types, e.g. ``electricity.purchased``
YES = ("yes", "true", "1", "relevant")
NO = ("no", "false", "0", "not relevant")
NOTE_MAX = 2000


def validate_screening(table: Table) -> pl.DataFrame:
    """Typed screening rows (category, relevant, reason, note, method, data_quality), or
    :class:`ImportRejected` naming each bad row and column; all 15 categories are required."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, REQUIRED):
        check.raise_if_any()
    extra = [c for c in table.frame.columns if c not in REQUIRED + OPTIONAL]
    columns = ", ".join(REQUIRED + OPTIONAL)
    for column in extra:
        check.file_problem(
            f"unknown column {column!r}; the columns are {columns}",
            N_("unknown column %(column)r; the columns are %(columns)s"),
            column=column,
            columns=columns,
        )
    frame = with_row_numbers(table.frame).with_columns(
        pl.lit("").alias(c) for c in OPTIONAL if c not in table.frame.columns
    )
    frame = frame.with_columns(
        pl.col(c).fill_null("").str.strip_chars() for c in REQUIRED + OPTIONAL
    )
    frame = frame.with_columns(
        pl.col("category").str.strip_prefix("cat").cast(pl.Int64, strict=False).alias("_cat"),
        pl.col("relevant").str.to_lowercase().alias("_relevant"),
        pl.col("data_quality").cast(pl.Int64, strict=False).alias("_dq"),
    )
    numbers = list(CATEGORY_NUMBERS)
    check.flag(
        frame,
        ~pl.col("_cat").is_in(numbers) | pl.col("_cat").is_null(),
        "category",
        pl.format("'{}' is not a Scope 3 category (1 … 15 or cat1 … cat15)", pl.col("category")),
        cell(N_("%(cell)r is not a Scope 3 category (1 … 15 or cat1 … cat15)"), "category"),
    )
    check.flag(
        frame,
        ~pl.col("_relevant").is_in([*YES, *NO]),
        "relevant",
        pl.format("'{}' is not yes or no", pl.col("relevant")),
        cell(N_("%(cell)r is not yes or no"), "relevant"),
    )
    check.flag(
        frame,
        ~pl.col("reason").is_in(list(REASONS)),
        "reason",
        pl.format("reason '{}' is not one of " + ", ".join(REASONS), pl.col("reason")),
        cell(
            N_("reason %(cell)r is not one of %(choices)s"),
            "reason",
            choices=pl.lit(", ".join(REASONS)),
        ),
    )
    check.flag(
        frame,
        ~blank("method") & ~pl.col("method").is_in(list(METHODS)),
        "method",
        pl.format("method '{}' is not one of " + ", ".join(METHODS), pl.col("method")),
        cell(
            N_("method %(cell)r is not one of %(choices)s"),
            "method",
            choices=pl.lit(", ".join(METHODS)),
        ),
    )
    check.flag(
        frame,
        ~blank("data_quality") & ~pl.col("_dq").is_in(list(DATA_QUALITY)),
        "data_quality",
        pl.format("data_quality '{}' is not a score 1 (very good) … 5 (very poor)", "data_quality"),
        cell(
            N_("data_quality %(cell)r is not a score 1 (very good) … 5 (very poor)"), "data_quality"
        ),
    )
    check.flag(
        frame,
        pl.col("note").str.len_chars() > NOTE_MAX,
        "note",
        f"note is longer than {NOTE_MAX} characters",
        longer("note", NOTE_MAX),
    )
    names = (
        pl.col("excluded_activities").str.split(SEPARATOR).list.eval(pl.element().str.strip_chars())
    )
    unknown = names.list.eval(
        pl.element().filter(~pl.element().is_in(list(activity_types())))
    ).list.join(", ")
    check.flag(
        frame,
        ~blank("excluded_activities") & (unknown != ""),
        "excluded_activities",
        pl.format(
            "'{}' is not an activity type (`esg catalog activity-types`); separate several "
            f"with {SEPARATOR}",
            unknown,
        ),
        Message(
            N_(
                "%(cell)r is not an activity type (`esg catalog activity-types`); separate "
                "several with %(separator)s"
            ),
            {"cell": unknown, "separator": pl.lit(SEPARATOR)},
        ),
    )
    check.flag(
        frame,
        ~blank("excluded_activities") & (pl.col("note") == ""),
        "note",
        "a category that leaves activities out needs a note saying why",
        Message(N_("a category that leaves activities out needs a note saying why")),
    )
    first = pl.col(ROW).min().over("_cat")
    frame = frame.with_columns(first.alias("_first"))
    check.flag(
        frame,
        pl.col("_cat").is_not_null() & (pl.col(ROW) != pl.col("_first")),
        "category",
        pl.format("category {} is screened twice (first on row {})", "_cat", "_first"),
        Message(
            N_("category %(category)s is screened twice (first on row %(row)s)"),
            {"category": pl.col("_cat"), "row": pl.col("_first")},
        ),
    )
    missing = sorted(set(numbers) - set(frame["_cat"].drop_nulls().to_list()))
    if missing:
        absent = ", ".join(f"cat{n}" for n in missing)
        check.file_problem(
            f"every category is screened: missing {absent} "
            "(screen each as relevant or not, with its reason)",
            N_(
                "every category is screened: missing %(missing)s (screen each as relevant or "
                "not, with its reason)"
            ),
            missing=absent,
        )
    check.raise_if_any()
    return frame.select(
        pl.col("_cat").alias("category"),
        pl.col("_relevant").is_in(YES).alias("relevant"),
        "reason",
        "note",
        pl.when(blank("method")).then(None).otherwise(pl.col("method")).alias("method"),
        pl.col("_dq").alias("data_quality"),
        pl.when(blank("excluded_activities"))
        .then(pl.lit([], dtype=pl.List(pl.Utf8)))
        .otherwise(names.list.unique(maintain_order=True))
        .alias("excluded_activities"),
    ).sort("category")
