"""Validating a user factor edition (supplier-specific factors, residual mixes, newer editions)."""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from esgledger.catalog import activity_types
from esgledger.catalog.messages import N_
from esgledger.catalog.phrases import AnyOf
from esgledger.errors import InvalidInput
from esgledger.ingest.checker import (
    ROW,
    Checker,
    Message,
    blank,
    cell,
    parse_number,
    with_row_numbers,
)
from esgledger.ingest.entities import countries, subdivisions
from esgledger.ingest.rates import RATE_PARAMETERS, check_rates
from esgledger.ingest.readers import Table
from esgledger.units import multiplier

REQUIRED = ["kind", "activity", "parameter", "region", "value", "unit"]
OPTIONAL = [
    "factor_id",
    "gas",
    "variant",
    "value_min",
    "value_max",
    "choice_reason",
    "volume_basis",
    "table_ref",
    "status",
    "notes",
]
PARAMETERS = {
    "energy_coefficient": ("coef",),
    "emission_factor": ("ef",),
    "fuel_parameter": ("ncv", "carbon_content", "oxidation", "cop"),
    **RATE_PARAMETERS,
}
GRID_REGIONS = tuple(
    f"CN-GRID-{g}"
    for g in ("NORTH", "NORTHEAST", "EAST", "CENTRAL", "NORTHWEST", "SOUTH", "SOUTHWEST")
)
# Parameters that are pure numbers (a chiller's COP: kWh of cooling per kWh of electricity).
DIMENSIONLESS = {"oxidation": "must be a fraction or %", "cop": "must be a pure number"}
# Their catalog messages: (parameter, whether the unit is known at all) → message.
DIMENSIONLESS_MESSAGES = {
    ("oxidation", False): N_("oxidation must be a fraction or %%: unknown unit %(unit)r"),
    ("oxidation", True): N_(
        "oxidation must be a fraction or %%: unit %(unit)r cannot be converted to "
        "'dimensionless' (different dimensions)"
    ),
    ("cop", False): N_("cop must be a pure number: unknown unit %(unit)r"),
    ("cop", True): N_(
        "cop must be a pure number: unit %(unit)r cannot be converted to 'dimensionless' "
        "(different dimensions)"
    ),
}
UNKNOWN_UNIT = N_("unknown unit %(unit)r")
# The values a unit's message names, from the columns of the refused rows.
UNIT_VALUES = {
    "unit": "unit",
    "targets": "_targets",
    "activity": "activity",
    "parameter": "parameter",
}
NOT_GIVING = N_("unit %(unit)r does not give %(targets)s for %(activity)s %(parameter)s")
# What one activity unit times the factor must come to, per parameter.
TARGETS = {"coef": ("tce",), "ef": ("t", "tCO2e"), "ncv": ("GJ",), "carbon_content": ("t/GJ",)}


def valid_regions() -> frozenset[str]:
    return countries() | subdivisions() | frozenset(GRID_REGIONS) | {"GLOBAL"}


def unit_problem(activity: str, parameter: str, unit: str) -> tuple[str, str, AnyOf] | None:
    """Why ``unit`` cannot be the unit of this parameter for this activity (the English line,
    its catalog message and the units it should give), or None."""
    kind = activity_types().get(activity)
    if kind is None:
        return None  # reported by the activity check
    if parameter in DIMENSIONLESS:
        try:
            multiplier(unit, "dimensionless")
            return None
        except InvalidInput as exc:
            message = DIMENSIONLESS_MESSAGES[(parameter, _known(unit))]
            return f"{parameter} {DIMENSIONLESS[parameter]}: {exc}", message, AnyOf()
    targets = TARGETS.get(parameter, ())
    expressions = (
        [f"({ref}) * ({unit})" for ref in kind.units] if parameter != "carbon_content" else [unit]
    )
    for expression in expressions:
        for target in targets:
            try:
                multiplier(expression, target)
                return None
            except InvalidInput:
                continue
    try:
        multiplier(unit, unit)
    except InvalidInput as exc:
        return str(exc), UNKNOWN_UNIT, AnyOf()
    reason = f"unit '{unit}' does not give {' or '.join(targets)} for {activity} {parameter}"
    return reason, NOT_GIVING, AnyOf(targets)


def _known(unit: str) -> bool:
    try:
        multiplier(unit, unit)
        return True
    except InvalidInput:
        return False


def validate_factors(table: Table, *, edition: str, taken_ids: Collection[str]) -> pl.DataFrame:
    """Typed factor rows for one edition, or :class:`ImportRejected`."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, REQUIRED):
        check.raise_if_any()
    frame = with_row_numbers(table.frame)
    for col in OPTIONAL:
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit("").alias(col))
    frame = frame.with_columns(pl.col(c).str.strip_chars() for c in [*REQUIRED, *OPTIONAL])
    frame = frame.with_columns(
        pl.when(blank("factor_id"))
        .then(pl.format("{}:{}", pl.lit(edition), pl.col(ROW)))
        .otherwise(pl.col("factor_id"))
        .alias("factor_id"),
        parse_number("value").alias("_value"),
        parse_number("value_min").alias("_min"),
        parse_number("value_max").alias("_max"),
        pl.col("region").str.to_uppercase(),
    )
    check.flag(
        frame,
        ~pl.col("kind").is_in(list(PARAMETERS)),
        "kind",
        pl.format("kind '{}' is not one of " + ", ".join(PARAMETERS), pl.col("kind")),
        cell(
            N_("kind %(cell)r is not one of %(choices)s"),
            "kind",
            choices=pl.lit(", ".join(PARAMETERS)),
        ),
    )
    allowed = [f"{k}/{p}" for k, ps in PARAMETERS.items() for p in ps]
    check.flag(
        frame,
        pl.col("kind").is_in(list(PARAMETERS))
        & ~pl.format("{}/{}", pl.col("kind"), pl.col("parameter")).is_in(allowed),
        "parameter",
        pl.format(
            "parameter '{}' does not belong to kind '{}'", pl.col("parameter"), pl.col("kind")
        ),
        Message(
            N_("parameter %(parameter)r does not belong to kind %(kind)r"),
            {"parameter": pl.col("parameter"), "kind": pl.col("kind")},
        ),
    )
    rates = pl.col("kind").is_in(list(RATE_PARAMETERS))
    check_rates(frame, check)
    check.flag(
        frame,
        ~rates & ~pl.col("activity").is_in(list(activity_types())),
        "activity",
        pl.format("unknown activity type '{}'", pl.col("activity")),
        cell(N_("unknown activity type %(cell)r"), "activity"),
    )
    check.flag(
        frame,
        (pl.col("kind") == "emission_factor") & blank("gas"),
        "gas",
        "an emission factor needs its gas (CO2, CH4, N2O or CO2e)",
        Message(N_("an emission factor needs its gas (CO2, CH4, N2O or CO2e)")),
    )
    check.flag(
        frame,
        ~pl.col("region").is_in(sorted(valid_regions())),
        "region",
        pl.format(
            "'{}' is not a country, ISO 3166-2 subdivision, CN-GRID-* region or GLOBAL",
            pl.col("region"),
        ),
        cell(
            N_("%(cell)r is not a country, ISO 3166-2 subdivision, CN-GRID-* region or GLOBAL"),
            "region",
        ),
    )
    check.flag(
        frame,
        pl.col("_value").is_null(),
        "value",
        pl.format("'{}' is not a number", pl.col("value")),
        cell(N_("%(cell)r is not a number"), "value"),
    )
    negative = Message(N_("value is negative"))
    check.flag(frame, pl.col("_value") < 0, "value", "value is negative", negative)
    for col, parsed in (("value_min", "_min"), ("value_max", "_max")):
        check.flag(
            frame,
            ~blank(col) & pl.col(parsed).is_null(),
            col,
            pl.format("'{}' is not a number", pl.col(col)),
            cell(N_("%(cell)r is not a number"), col),
        )
    check.flag(
        frame,
        (pl.col("_min") > pl.col("_value")) | (pl.col("_max") < pl.col("_value")),
        "value",
        "value lies outside value_min…value_max",
        Message(N_("value lies outside value_min…value_max")),
    )
    frame = frame.with_columns(pl.col(ROW).min().over("factor_id").alias("_first"))
    check.flag(
        frame,
        pl.col(ROW) != pl.col("_first"),
        "factor_id",
        pl.format("duplicate factor_id, first on row {}", pl.col("_first")),
        Message(
            N_("duplicate %(key)s, first on row %(row)s"),
            {"key": pl.lit("factor_id"), "row": pl.col("_first")},
        ),
    )
    check.flag(
        frame,
        pl.col("factor_id").is_in(sorted(taken_ids)),
        "factor_id",
        pl.format("factor_id '{}' already exists; ids are never reused", pl.col("factor_id")),
        cell(N_("factor_id %(cell)r already exists; ids are never reused"), "factor_id"),
    )
    _check_units(frame, check)
    check.raise_if_any()
    return frame.select(
        "factor_id",
        "kind",
        "activity",
        "parameter",
        "gas",
        "region",
        "variant",
        pl.col("_value").alias("value"),
        pl.col("_min").alias("value_min"),
        pl.col("_max").alias("value_max"),
        "choice_reason",
        "unit",
        "volume_basis",
        "table_ref",
        pl.when(blank("status"))
        .then(pl.lit("unverified"))
        .otherwise(pl.col("status"))
        .alias("status"),
        "notes",
    )


def _check_units(frame: pl.DataFrame, check: Checker) -> None:
    combos = frame.select("activity", "parameter", "unit").unique()
    bad = [
        (a, p, u, *found)
        for a, p, u in combos.iter_rows()
        if (found := unit_problem(a, p, u)) is not None
    ]
    if bad:
        text = pl.String()
        schema: dict[str, pl.DataType] = {
            "activity": text,
            "parameter": text,
            "unit": text,
            "_reason": text,
            "_message": text,
            "_targets": pl.List(text),
        }
        reasons = pl.DataFrame([(*b[:5], list(b[5])) for b in bad], schema=schema, orient="row")
        said = Message(
            pl.col("_message"),
            {k: pl.col(c) for k, c in UNIT_VALUES.items()},
        )
        check.flag(
            frame.join(reasons, on=["activity", "parameter", "unit"]),
            pl.lit(True),
            "unit",
            pl.col("_reason"),
            said,
        )
