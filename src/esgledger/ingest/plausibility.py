"""Plausibility checks on activity rows: years, period length and quantity per activity type.

A finite number can still be absurd: ``1e308`` overflows to infinity once converted, and a
period from 1800 to 2999 would be booked wholly to 1800. The bounds come from
:mod:`esgledger.catalog.bounds`; every refusal names the bound so the user can fix the row
or, for a genuine outlier, the workspace's bounds file.
"""

from __future__ import annotations

import polars as pl

from esgledger.catalog.bounds import Bound, bound_for
from esgledger.catalog.messages import N_
from esgledger.errors import InvalidInput
from esgledger.ingest.checker import Checker, Message
from esgledger.units import multiplier

FIRST_YEAR, LAST_YEAR = 1900, 2100  # as for a KPI value's year


def check_plausible(frame: pl.DataFrame, bounds: dict[str, Bound], check: Checker) -> None:
    """Flag rows outside the years, period length or quantity their activity type allows.

    ``frame`` has the parsed ``_start``, ``_end`` and ``_quantity`` columns and ``unit_reason``
    (null where the unit fits the activity type).
    """
    for col in ("start", "end"):
        year = pl.col(f"_{col}").dt.year()
        check.flag(
            frame,
            (year < FIRST_YEAR) | (year > LAST_YEAR),
            col,
            pl.format(f"year {{}} is outside {FIRST_YEAR}-{LAST_YEAR}", year),
            Message(
                N_("year %(year)s is outside %(first)s-%(last)s"),
                {"year": year, "first": pl.lit(str(FIRST_YEAR)), "last": pl.lit(str(LAST_YEAR))},
            ),
        )
    limits = _limits(frame, bounds)
    frame = frame.join(limits, on=["activity", "unit"], how="left")
    days = (pl.col("_end") - pl.col("_start")).dt.total_days() + 1
    check.flag(
        frame,
        days > pl.col("_max_days"),
        "end",
        pl.format(
            "the period covers {} days; a row of {} may cover at most {} days "
            "(split it by year or month)",
            days,
            pl.col("activity"),
            pl.col("_max_days"),
        ),
        Message(
            N_(
                "the period covers %(days)s days; a row of %(activity)s may cover at most "
                "%(most)s days (split it by year or month)"
            ),
            {"days": days, "activity": pl.col("activity"), "most": pl.col("_max_days")},
        ),
    )
    check.flag(
        frame,
        pl.col("_quantity") > pl.col("_max_quantity"),
        "quantity",
        pl.format(
            "quantity {} {} is above the plausible maximum for {} ({}); check the number and "
            "the unit",
            pl.col("quantity").str.strip_chars(),
            pl.col("unit"),
            pl.col("activity"),
            pl.col("_bound_text"),
        ),
        Message(
            N_(
                "quantity %(quantity)s %(unit)s is above the plausible maximum for %(activity)s "
                "(%(most)s %(bound_unit)s per row); check the number and the unit"
            ),
            {
                "quantity": pl.col("quantity").str.strip_chars(),
                "unit": pl.col("unit"),
                "activity": pl.col("activity"),
                "most": pl.col("_bound_most"),
                "bound_unit": pl.col("_bound_unit"),
            },
        ),
    )


def _limits(frame: pl.DataFrame, bounds: dict[str, Bound]) -> pl.DataFrame:
    """Per distinct (activity, unit): the longest period and the largest quantity in that unit."""
    pairs = frame.filter(pl.col("unit_reason").is_null()).select("activity", "unit").unique()
    rows: list[tuple[str, str, int, float | None, str | None, str | None, str | None]] = []
    for activity, unit in pairs.iter_rows():
        bound = bound_for(bounds, activity)
        rows.append((activity, unit, bound.max_days, *_max_quantity(bound, unit)))
    return pl.DataFrame(
        rows,
        schema={
            "activity": pl.Utf8,
            "unit": pl.Utf8,
            "_max_days": pl.Int64,
            "_max_quantity": pl.Float64,
            "_bound_text": pl.Utf8,
            "_bound_most": pl.Utf8,
            "_bound_unit": pl.Utf8,
        },
        orient="row",
    )


def _max_quantity(
    bound: Bound, unit: str
) -> tuple[float | None, str | None, str | None, str | None]:
    """The bound converted to ``unit``, how to name it, and its number and unit as the
    message's values; none when it cannot apply."""
    if bound.max_quantity is None:
        return None, None, None, None
    most, named = f"{bound.max_quantity:g}", bound.unit or unit
    text = f"{most} {named} per row"
    if bound.unit is None:
        return bound.max_quantity, text, most, named
    try:
        return bound.max_quantity * multiplier(bound.unit, unit), text, most, named
    except InvalidInput:
        return None, None, None, None  # a bound in energy does not limit a row in mass
