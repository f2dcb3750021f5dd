"""The attribute columns Scope 3 rows carry, checked on import like the required ones.

Purchase ledgers, travel logs and freight logs are activity files (``esg import activities``)
with extra columns; a Scope 3 method reads them (``calc.scope3.methods``). A cell of one of
these columns that the method could not read is refused here, with its row and column,
instead of leaving the row unresolved at calculation time. Closed sets are checked against
their values; ``vehicle`` and ``treatment`` name a factor variant, which a workspace factor
edition may add to, so only the calculation can tell whether one resolves.
"""

from __future__ import annotations

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import (
    Checker,
    Message,
    blank,
    number_message,
    number_problem,
    parse_number,
)

NAICS = r"^\d{6}(\.(without_margins|margins_only))?$"  # EPA v1.3 variants
PRICE_YEAR = r"^(19[9]\d|20\d\d)$"
# column → (the activity-type prefix it applies to, its allowed values)
CLOSED = {
    "direction": ("freight.", ("upstream", "downstream")),
    "purpose": ("travel.", ("business", "commuting")),
    "source": ("waste.", ("operations", "sold_products")),
}


def check_scope3_columns(frame: pl.DataFrame, check: Checker) -> None:
    """Flag unreadable Scope 3 attribute cells (the frame has trimmed ``activity``)."""
    spend = pl.col("activity").str.starts_with("spend.")
    if "naics" in frame.columns:
        code = pl.col("naics").fill_null("").str.strip_chars()
        check.flag(
            frame,
            spend & ~blank("naics") & ~code.str.contains(NAICS),
            "naics",
            pl.format(
                "naics '{}' is not a 6-digit NAICS code (e.g. 334310 or 334310.without_margins)",
                code,
            ),
            Message(
                N_(
                    "naics %(cell)r is not a 6-digit NAICS code (e.g. 334310 or "
                    "334310.without_margins)"
                ),
                {"cell": code},
            ),
        )
    if "price_year" in frame.columns:
        year = pl.col("price_year").fill_null("").str.strip_chars()
        check.flag(
            frame,
            spend & ~blank("price_year") & ~year.str.contains(PRICE_YEAR),
            "price_year",
            pl.format(
                "price_year '{}' is not a year 1990 … 2099 (the year whose prices the amount "
                "is stated in)",
                year,
            ),
            Message(
                N_(
                    "price_year %(cell)r is not a year 1990 … 2099 (the year whose prices the "
                    "amount is stated in)"
                ),
                {"cell": year},
            ),
        )
    if "supplier_kgco2e" in frame.columns:
        value = parse_number("supplier_kgco2e")
        check.flag(
            frame, ~blank("supplier_kgco2e") & value.is_null(), "supplier_kgco2e",
            number_problem("supplier_kgco2e"), number_message("supplier_kgco2e"),
        )  # fmt: skip
        negative = Message(N_("%(column)s is negative"), {"column": pl.lit("supplier_kgco2e")})
        check.flag(frame, value < 0, "supplier_kgco2e", "supplier_kgco2e is negative", negative)
    for column, (prefix, allowed) in CLOSED.items():
        if column not in frame.columns:
            continue
        cell = pl.col(column).fill_null("").str.strip_chars()
        check.flag(
            frame,
            pl.col("activity").str.starts_with(prefix) & (cell != "") & ~cell.is_in(allowed),
            column,
            pl.format(f"{column} '{{}}' is not one of {', '.join(allowed)}", cell),
            Message(
                N_("%(column)s %(cell)r is not one of %(choices)s"),
                {"column": pl.lit(column), "cell": cell, "choices": pl.lit(", ".join(allowed))},
            ),
        )
