"""The checks every register import makes of its rows, one line per bad cell (#20): the
required columns present and trimmed, the entity known, a cell one of its choices, and a
key not repeated. Each flags the rows it finds on the caller's :class:`Checker`; the
register's own rules stay in its import module.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import ROW, Checker, Message, blank, empty, with_row_numbers
from esgledger.ingest.readers import Table


def trimmed(table: Table, columns: list[str], check: Checker) -> pl.DataFrame:
    """The table's rows with row numbers and ``columns`` trimmed; refused without them."""
    if not check.require_columns(table.frame, columns):
        check.raise_if_any()
    # a chunk of a file read in parts carries its own row numbers (training_stream)
    frame = table.frame if ROW in table.frame.columns else with_row_numbers(table.frame)
    return frame.with_columns(pl.col(c).fill_null("").str.strip_chars() for c in columns)


def check_entity(frame: pl.DataFrame, check: Checker, entities: Collection[str]) -> None:
    """An empty or unknown ``entity``, named by its row."""
    check.flag(frame, blank("entity"), "entity", "entity is empty", empty("entity"))
    check.flag(
        frame,
        ~blank("entity") & ~pl.col("entity").is_in(sorted(entities)),
        "entity",
        pl.format("unknown entity '{}'; `esg entities list` lists them", pl.col("entity")),
        Message(N_("unknown entity %(entity)r"), {"entity": pl.col("entity")}),
    )


def check_choice(
    frame: pl.DataFrame, check: Checker, column: str, choices: tuple[str, ...]
) -> None:
    """A ``column`` cell that is not one of ``choices`` (in any case)."""
    check.flag(
        frame,
        ~pl.col(column).str.to_lowercase().is_in(list(choices)),
        column,
        pl.format(f"'{{}}' is not one of {', '.join(choices)}", pl.col(column)),
        Message(
            N_("%(cell)r is not one of %(choices)s"),
            {"cell": pl.col(column), "choices": pl.lit(", ".join(choices))},
        ),
    )


def first_duplicate(frame: pl.DataFrame, check: Checker, keys: list[str], column: str) -> None:
    """Every row repeating an earlier row's ``keys``, flagged in ``column`` with that row."""
    frame = frame.with_columns(pl.col(ROW).min().over(keys).alias("_first"))
    check.flag(
        frame,
        pl.col(ROW) != pl.col("_first"),
        column,
        pl.format("duplicate of row {}", pl.col("_first")),
        Message(N_("duplicate of row %(row)s"), {"row": pl.col("_first")}),
    )
