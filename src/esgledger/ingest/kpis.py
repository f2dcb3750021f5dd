"""Validating reported KPI values: entity, year, metric, value, unit, and breakdown dimensions."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import polars as pl

from esgledger.catalog import dimensions, metrics
from esgledger.catalog.messages import N_
from esgledger.errors import InvalidInput
from esgledger.ingest.checker import (
    ROW,
    Checker,
    Message,
    blank,
    number_message,
    number_problem,
    parse_number,
    with_row_numbers,
)
from esgledger.ingest.decimals import MAX_DECIMALS, printed_decimals
from esgledger.ingest.readers import Table
from esgledger.units import compatible, parse

REQUIRED = ["entity", "year", "metric", "value", "unit"]
OPTIONAL = [
    "status",
    "qualifier",
    "preliminary",
    "source",
    "note",
    "restatement_reason",
    "decimals",
]
KEY = ["entity_id", "year", "metric_id", "dims"]

STATUSES = ("reported", "not_disclosed", "not_applicable", "missing")
# What a cell may say → the stored status, for values that are not numbers.
STATUS_WORDS = {
    "/": "not_disclosed",
    "n.a.": "not_applicable",
    "n/a": "not_applicable",
    "-": "missing",
}
QUALIFIERS = {
    "": "exact",
    "exact": "exact",
    "approximately": "approximately",
    "approx": "approximately",
    "≈": "approximately",
    "~": "approximately",
    "over": "over",
    ">": "over",
    "at_most": "at_most",
    "≤": "at_most",
    "<=": "at_most",
}
TRUE_WORDS = ("true", "yes", "1", "y")


def dims_key(values: dict[str, str]) -> str:
    """The stored spelling of a breakdown, e.g. ``age_band=18-30;gender=female``."""
    return ";".join(f"{k}={v}" for k, v in sorted(values.items()) if v)


def _dims_expr(columns: list[str]) -> pl.Expr:
    if not columns:
        return pl.lit("")
    parts = [
        pl.when(blank(c)).then(pl.lit("")).otherwise(pl.lit(f"{c}=") + pl.col(c).str.strip_chars())
        for c in sorted(columns)
    ]
    return pl.concat_list(parts).list.eval(pl.element().filter(pl.element() != "")).list.join(";")


def _metric_table() -> pl.DataFrame:
    rows = [(m.id, m.kind, m.unit, ";".join(m.dimensions)) for m in metrics().values()]
    return pl.DataFrame(
        rows, schema=["metric", "_kind", "_metric_unit", "_metric_dims"], orient="row"
    )


def validate_kpis(
    table: Table,
    *,
    known_entities: Collection[str],
    format_decimals: Sequence[int | None] | None = None,
) -> pl.DataFrame:
    """Typed KPI rows with their breakdown key, or :class:`ImportRejected`.

    ``format_decimals`` gives, per row, the decimals a workbook's number format prints for
    the value (see :func:`esgledger.ingest.decimals.xlsx_value_decimals`)."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, REQUIRED):
        check.raise_if_any()
    dim_cols = [c for c in table.frame.columns if c in dimensions()]
    frame = with_row_numbers(table.frame)
    shown = list(format_decimals or [])
    if len(shown) != frame.height:
        shown = [None] * frame.height
    frame = frame.with_columns(pl.Series("_format_decimals", shown, dtype=pl.Int32))
    for col in OPTIONAL:
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(col))
    frame = frame.with_columns(
        pl.col(c).str.strip_chars() for c in [*REQUIRED, *OPTIONAL, *dim_cols]
    ).join(_metric_table(), on="metric", how="left")
    word = pl.col("value").str.to_lowercase()
    frame = frame.with_columns(
        pl.col("year").cast(pl.Int32, strict=False).alias("_year"),
        parse_number("value").alias("_value"),
        pl.when(pl.col("status") != "")
        .then(pl.col("status").str.to_lowercase())
        .otherwise(word.replace_strict(STATUS_WORDS, default="reported"))
        .alias("_status"),
        pl.col("qualifier")
        .str.to_lowercase()
        .replace_strict(QUALIFIERS, default=None)
        .alias("_qualifier"),
        pl.col("preliminary").str.to_lowercase().is_in(list(TRUE_WORDS)).alias("_preliminary"),
        _dims_expr(dim_cols).alias("dims"),
        _decimals_expr().alias("_decimals"),
    )
    known = sorted(known_entities)
    check.flag(
        frame,
        ~pl.col("entity").is_in(known),
        "entity",
        pl.format("unknown entity '{}'; import it with `esg import entities`", pl.col("entity")),
        Message(N_("unknown entity %(entity)r"), {"entity": pl.col("entity")}),
    )
    check.flag(
        frame,
        pl.col("_year").is_null() | (pl.col("_year") < 1900) | (pl.col("_year") > 2100),
        "year",
        pl.format("'{}' is not a year", pl.col("year")),
        Message(N_("%(cell)r is not a year"), {"cell": pl.col("year")}),
    )
    check.flag(
        frame,
        pl.col("_kind").is_null(),
        "metric",
        pl.format("unknown metric '{}'; `esg metrics list` lists them", pl.col("metric")),
        Message(N_("unknown metric %(metric)r"), {"metric": pl.col("metric")}),
    )
    check.flag(
        frame,
        ~pl.col("_status").is_in(list(STATUSES)),
        "status",
        pl.format("status '{}' is not one of " + ", ".join(STATUSES), pl.col("status")),
        Message(
            N_("status %(cell)r is not one of %(choices)s"),
            {"cell": pl.col("status"), "choices": pl.lit(", ".join(STATUSES))},
        ),
    )
    reported = pl.col("_status") == "reported"
    check.flag(
        frame,
        reported & pl.col("_value").is_null(),
        "value",
        number_problem("value"),
        number_message("value"),
    )
    negative = N_("value is negative")
    check.flag(frame, reported & (pl.col("_value") < 0), "value", negative, Message(negative))
    not_reported = N_("a value given with a status other than reported")
    check.flag(
        frame,
        ~reported & pl.col("_value").is_not_null(),
        "value",
        not_reported,
        Message(not_reported),
    )
    check.flag(
        frame,
        ~blank("decimals") & pl.col("_decimals").is_null(),
        "decimals",
        pl.format(f"'{{}}' is not a count of decimals, 0 to {MAX_DECIMALS}", pl.col("decimals")),
        Message(
            N_("%(cell)r is not a count of decimals, 0 to %(max)s"),
            {"cell": pl.col("decimals"), "max": pl.lit(str(MAX_DECIMALS))},
        ),
    )
    check.flag(
        frame,
        pl.col("_qualifier").is_null(),
        "qualifier",
        pl.format(
            "qualifier '{}' is not one of exact, approximately, over, at_most", pl.col("qualifier")
        ),
        Message(
            N_("qualifier %(cell)r is not one of %(choices)s"),
            {"cell": pl.col("qualifier"), "choices": pl.lit("exact, approximately, over, at_most")},
        ),
    )
    _check_units(frame, check)
    _check_dims(frame, dim_cols, check)
    frame = frame.with_columns(
        pl.col(ROW).min().over(["entity", "_year", "metric", "dims"]).alias("_first")
    )
    check.flag(
        frame,
        pl.col(ROW) != pl.col("_first"),
        "metric",
        pl.format("duplicate of row {}", pl.col("_first")),
        Message(N_("duplicate of row %(row)s"), {"row": pl.col("_first")}),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        pl.col("entity").alias("entity_id"),
        pl.col("_year").alias("year"),
        pl.col("metric").alias("metric_id"),
        "dims",
        pl.col("_value").alias("value"),
        pl.when(reported).then(pl.col("_decimals")).alias("decimals"),
        "unit",
        pl.col("_status").alias("status"),
        pl.col("_qualifier").alias("qualifier"),
        pl.col("_preliminary").alias("preliminary"),
        "source",
        "note",
        "restatement_reason",
    )


def _decimals_expr() -> pl.Expr:
    """The printed decimals: the ``decimals`` column when given, else the workbook's number
    format, else read from the value as written."""
    given = pl.col("decimals").cast(pl.Int32, strict=False)
    given = pl.when(given.is_between(0, MAX_DECIMALS)).then(given)
    inferred = pl.col("value").map_elements(printed_decimals, return_dtype=pl.Int32)
    shown = pl.coalesce(pl.col("_format_decimals"), inferred)
    return pl.when(blank("decimals")).then(shown).otherwise(given)


def _check_units(frame: pl.DataFrame, check: Checker) -> None:
    pairs = (
        frame.filter(pl.col("_metric_unit").is_not_null())
        .select("unit", "_metric_unit", "metric")
        .unique()
    )
    bad: list[tuple[str, str, str, str]] = []
    for unit, metric_unit, metric_id in pairs.iter_rows():
        if not unit:
            bad.append((unit, metric_id, "unit is empty", N_("unit is empty")))
        elif not compatible(unit, metric_unit):
            try:
                parse(unit)
                reason = (
                    f"unit '{unit}' does not fit metric '{metric_id}' (measured in {metric_unit})"
                )
                message = N_(
                    "unit %(unit)r does not fit metric %(metric)r (measured in %(metric_unit)s)"
                )
            except InvalidInput:
                reason, message = f"unknown unit '{unit}'", N_("unknown unit %(unit)r")
            bad.append((unit, metric_id, reason, message))
    if bad:
        schema = ["unit", "metric", "_unit_reason", "_unit_message"]
        reasons = pl.DataFrame(bad, schema=schema, orient="row")
        joined = frame.join(reasons, on=["unit", "metric"], how="inner")
        named = {"unit": pl.col("unit"), "metric": pl.col("metric")}
        said = Message(pl.col("_unit_message"), {**named, "metric_unit": pl.col("_metric_unit")})
        # every joined row is refused; a column predicate, since a constant one failed to
        # broadcast over a large joined frame (ShapeError, 50,000 rows)
        refused = pl.col("_unit_reason").is_not_null()
        check.flag(joined, refused, "unit", pl.col("_unit_reason"), said)


def _check_dims(frame: pl.DataFrame, dim_cols: list[str], check: Checker) -> None:
    for col in dim_cols:
        members = list(dimensions()[col].members)
        check.flag(
            frame,
            ~blank(col) & ~pl.col(col).is_in(members),
            col,
            pl.format("'{}' is not one of " + ", ".join(members), pl.col(col)),
            Message(
                N_("%(cell)r is not one of %(choices)s"),
                {"cell": pl.col(col), "choices": pl.lit(", ".join(members))},
            ),
        )
        check.flag(
            frame,
            ~blank(col)
            & pl.col("_metric_dims").is_not_null()
            & ~pl.col("_metric_dims").str.contains(col, literal=True),
            col,
            pl.format("metric '{}' has no " + col + " breakdown", pl.col("metric")),
            Message(
                N_("metric %(metric)r has no %(dimension)s breakdown"),
                {"metric": pl.col("metric"), "dimension": pl.lit(col)},
            ),
        )
