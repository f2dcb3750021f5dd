"""Validating exchange rates and price indexes, imported as factor records of a cited edition.

Spend-based factors are per US dollar of one price year (EPA v1.3: 2022 USD). A rate is a
record like any factor, so it carries its edition's citation and a run lists it:
``kind=exchange_rate, activity=currency.<ISO 4217>, parameter=usd_per_unit, variant=<year>,
unit=USD/<ISO 4217>`` (US dollars per unit of the currency, the year's average) and
``kind=price_index, activity=USD, parameter=index, variant=<year>, unit=dimensionless`` (any
base: only the ratio of two years is used).
"""

from __future__ import annotations

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.errors import InvalidInput
from esgledger.ingest.checker import Checker, Message, cell
from esgledger.units import multiplier

RATE_PARAMETERS = {"exchange_rate": ("usd_per_unit",), "price_index": ("index",)}
YEAR = r"^\d{4}$"
# A rate's unit, by kind.
UNIT_MESSAGES = {
    "exchange_rate": N_("unit %(unit)r must be %(target)s for an exchange rate"),
    "price_index": N_("unit %(unit)r must be %(target)s for a price index"),
}


def check_rates(frame: pl.DataFrame, check: Checker) -> None:
    """Flag rate rows whose activity, year or unit does not say what the rate is."""
    exchange = pl.col("kind") == "exchange_rate"
    index = pl.col("kind") == "price_index"
    rates = exchange | index
    check.flag(
        frame,
        exchange & ~pl.col("activity").str.contains(r"^currency\.[A-Z]{3}$"),
        "activity",
        pl.format("exchange rate activity '{}' must be currency.<ISO code>", pl.col("activity")),
        cell(N_("exchange rate activity %(cell)r must be currency.<ISO code>"), "activity"),
    )
    check.flag(
        frame,
        index & (pl.col("activity") != "USD"),
        "activity",
        "a price index deflates US dollars: activity must be USD",
        Message(N_("a price index deflates US dollars: activity must be USD")),
    )
    check.flag(
        frame,
        rates & ~pl.col("variant").str.contains(YEAR),
        "variant",
        pl.format("variant '{}' must be the rate's year (YYYY)", pl.col("variant")),
        cell(N_("variant %(cell)r must be the rate's year (YYYY)"), "variant"),
    )
    check.flag(
        frame,
        rates & (pl.col("_value") == 0),
        "value",
        "a rate of 0 converts nothing",
        Message(N_("a rate of 0 converts nothing")),
    )
    pairs = frame.filter(rates).select("kind", "activity", "unit").unique()
    bad = [
        (
            kind,
            activity,
            unit,
            target,
            UNIT_MESSAGES[kind] % {"unit": unit, "target": target},
        )
        for kind, activity, unit in pairs.iter_rows()
        if (target := _unit_wrong(kind, activity, unit)) is not None
    ]
    if bad:
        schema = ["kind", "activity", "unit", "_target", "_unit_reason"]
        reasons = pl.DataFrame(bad, schema=schema, orient="row")
        joined = frame.join(reasons, on=["kind", "activity", "unit"], how="inner")
        said = Message(
            pl.col("kind").replace_strict(UNIT_MESSAGES, return_dtype=pl.String),
            {"unit": pl.col("unit"), "target": pl.col("_target")},
        )
        check.flag(joined, pl.lit(True), "unit", pl.col("_unit_reason"), said)


def _unit_wrong(kind: str, activity: str, unit: str) -> str | None:
    """The unit a rate of this kind must have, where ``unit`` is not it; else None."""
    target = (
        f"USD/{activity.removeprefix('currency.')}" if kind == "exchange_rate" else "dimensionless"
    )
    try:
        if multiplier(unit, target) == 1.0:
            return None
    except InvalidInput:
        pass
    return target
