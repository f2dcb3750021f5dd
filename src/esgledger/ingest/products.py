"""Validating product models: lifetime, use modes and materials, one row per mode or material.

A file row is either ``part=use`` (``item`` = the operating mode, ``power_w``,
``hours_per_year``) or ``part=material`` (``item`` = the material, ``mass_kg``,
``treatment``); the product's name and lifetimes repeat on each of its rows and must agree.
Materials and treatments are the waste types and routes end-of-life factors exist for.
"""

from __future__ import annotations

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import (
    ROW,
    Checker,
    Message,
    blank,
    cell,
    empty,
    number_message,
    number_problem,
    parse_number,
    with_row_numbers,
)
from esgledger.ingest.entities import countries
from esgledger.ingest.readers import Table

SOLD = "product.sold"  # the activity type of units sold
REQUIRED = [
    "product",
    "name",
    "lifetime_years",
    "lifetime_low_years",
    "lifetime_high_years",
    "part",
    "item",
]
OPTIONAL = ["power_w", "hours_per_year", "mass_kg", "treatment"]
# Material of a sold product → the waste activity type whose end-of-life factors apply.
MATERIAL_WASTE_TYPES = {
    "plastic": "waste.recyclable_plastic",
    "metal": "waste.recyclable_metal",
    "paper": "waste.recyclable_paper",
    "electronics": "waste.weee",
}
TREATMENTS = (
    "landfill",
    "incineration_with_energy_recovery",
    "open_loop",
    "closed_loop",
    "composting",
    "anaerobic_digestion",
)
HOURS_IN_YEAR = 8784  # a leap year: no mode runs longer
NUMBERS = (
    "lifetime_years",
    "lifetime_low_years",
    "lifetime_high_years",
    "power_w",
    "hours_per_year",
    "mass_kg",
)


def validate_products(table: Table) -> pl.DataFrame:
    """Typed product rows (one per mode or material), or :class:`ImportRejected` naming every
    bad row and column."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, REQUIRED):
        check.raise_if_any()
    frame = with_row_numbers(table.frame).with_columns(
        pl.lit("").alias(c) for c in OPTIONAL if c not in table.frame.columns
    )
    frame = frame.with_columns(
        pl.col(c).fill_null("").str.strip_chars() for c in (*REQUIRED, *OPTIONAL)
    )
    frame = frame.with_columns(parse_number(c).alias(f"_{c}") for c in NUMBERS)
    for col in ("product", "name", "part", "item"):
        check.flag(frame, blank(col), col, f"{col} is empty", empty(col))
    check.flag(
        frame,
        ~blank("part") & ~pl.col("part").is_in(["use", "material"]),
        "part",
        pl.format("part '{}' is not use or material", pl.col("part")),
        cell(N_("part %(cell)r is not use or material"), "part"),
    )
    for col in ("lifetime_years", "lifetime_low_years", "lifetime_high_years"):
        positive = Message(N_("%(column)s must be more than 0"), {"column": pl.lit(col)})
        check.flag(
            frame, pl.col(f"_{col}").is_null(), col, number_problem(col), number_message(col)
        )
        check.flag(frame, pl.col(f"_{col}") <= 0, col, f"{col} must be more than 0", positive)
    check.flag(
        frame,
        (pl.col("_lifetime_low_years") > pl.col("_lifetime_years"))
        | (pl.col("_lifetime_years") > pl.col("_lifetime_high_years")),
        "lifetime_years",
        "lifetimes must be low <= lifetime_years <= high",
        Message(N_("lifetimes must be low <= lifetime_years <= high")),
    )
    use = pl.col("part") == "use"
    material = pl.col("part") == "material"
    for col, rule in (("power_w", use), ("hours_per_year", use), ("mass_kg", material)):
        negative = Message(N_("%(column)s is negative"), {"column": pl.lit(col)})
        number = number_message(col)
        check.flag(frame, rule & pl.col(f"_{col}").is_null(), col, number_problem(col), number)
        check.flag(frame, rule & (pl.col(f"_{col}") < 0), col, f"{col} is negative", negative)
    check.flag(
        frame,
        use & (pl.col("_hours_per_year") > HOURS_IN_YEAR),
        "hours_per_year",
        f"hours_per_year is more than a year has ({HOURS_IN_YEAR})",
        Message(
            N_("hours_per_year is more than a year has (%(hours)s)"),
            {"hours": pl.lit(str(HOURS_IN_YEAR))},
        ),
    )
    materials = ", ".join(MATERIAL_WASTE_TYPES)
    check.flag(
        frame,
        material & ~pl.col("item").is_in(list(MATERIAL_WASTE_TYPES)),
        "item",
        pl.format("material '{}' is not one of " + materials, pl.col("item")),
        cell(N_("material %(cell)r is not one of %(choices)s"), "item", choices=pl.lit(materials)),
    )
    treatments = ", ".join(TREATMENTS)
    check.flag(
        frame,
        material & ~pl.col("treatment").is_in(list(TREATMENTS)),
        "treatment",
        pl.format("treatment '{}' is not one of " + treatments, pl.col("treatment")),
        cell(
            N_("treatment %(cell)r is not one of %(choices)s"),
            "treatment",
            choices=pl.lit(treatments),
        ),
    )
    frame = frame.with_columns(
        pl.when(material).then(pl.col("treatment")).otherwise(pl.lit("")).alias("treatment")
    )
    key = ["product", "part", "item", "treatment"]
    frame = frame.with_columns(
        pl.col(ROW).min().over(key).alias("_first"),
        pl.struct("name", "_lifetime_years", "_lifetime_low_years", "_lifetime_high_years")
        .n_unique()
        .over("product")
        .alias("_versions"),
        (use.sum().over("product")).alias("_modes"),
    )
    check.flag(
        frame,
        pl.col(ROW) != pl.col("_first"),
        "item",
        pl.format("duplicate of row {}", pl.col("_first")),
        Message(N_("duplicate of row %(row)s"), {"row": pl.col("_first")}),
    )
    check.flag(
        frame,
        pl.col("_versions") > 1,
        "name",
        "the product's name and lifetimes differ between its rows",
        Message(N_("the product's name and lifetimes differ between its rows")),
    )
    check.flag(
        frame,
        pl.col("_modes") == 0,
        "part",
        "the product has no use row (power by mode)",
        Message(N_("the product has no use row (power by mode)")),
    )
    check.raise_if_any()
    return frame.select(
        ROW,
        "product",
        "name",
        "part",
        "item",
        "treatment",
        *(pl.col(f"_{c}").alias(c) for c in NUMBERS),
    )


def check_sales(frame: pl.DataFrame, check: Checker) -> None:
    """``product.sold`` activity rows name the product model and the country of sale (ISO
    3166-1 alpha-2): the use phase needs that country's grid."""
    sold = pl.col("activity") == SOLD
    if not frame.select(sold.any()).item():
        return
    for col in ("product", "country"):
        if col not in frame.columns:
            needs = Message(
                N_("%(activity)s rows need a %(column)r column"),
                {"activity": pl.lit(SOLD), "column": pl.lit(col)},
            )
            check.flag(frame, sold, col, f"{SOLD} rows need a {col!r} column", needs)
            return
    check.flag(frame, sold & blank("product"), "product", "product is empty", empty("product"))
    check.flag(
        frame,
        sold & ~pl.col("country").str.strip_chars().str.to_uppercase().is_in(sorted(countries())),
        "country",
        pl.format("country '{}' is not an ISO 3166-1 alpha-2 code", pl.col("country")),
        cell(N_("country %(cell)r is not an ISO 3166-1 alpha-2 code"), "country"),
    )
