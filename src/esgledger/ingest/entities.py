"""Validating the organisation tree: ids, parents, countries (ISO 3166-1), subdivisions (3166-2)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import polars as pl
import pycountry

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import ROW, Checker, Message, blank, cell, empty, with_row_numbers
from esgledger.ingest.readers import Table

REQUIRED = ["id", "name", "parent", "country", "subdivision"]
KINDS = ("group", "legal_entity", "site", "park", "department")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"
LOOP = N_("the parent chain loops back to this entity")


@cache
def countries() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries)


@cache
def subdivisions() -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions)


def validate_entities(table: Table, *, stored_parents: Mapping[str, str | None]) -> pl.DataFrame:
    """Typed entity rows, or :class:`ImportRejected`.

    ``stored_parents`` maps every stored entity id to its parent, so a parent may be an entity
    imported earlier and a cycle through stored entities is caught.
    """
    check = Checker(table.source)
    if not check.require_columns(table.frame, REQUIRED):
        check.raise_if_any()
    frame = with_row_numbers(table.frame).with_columns(
        pl.col(c).str.strip_chars() for c in REQUIRED
    )
    if "kind" not in frame.columns:
        frame = frame.with_columns(
            pl.when(blank("parent"))
            .then(pl.lit("group"))
            .otherwise(pl.lit("legal_entity"))
            .alias("kind")
        )
    frame = frame.with_columns(
        pl.col("kind").str.strip_chars().str.to_lowercase(),
        pl.col("country").str.to_uppercase(),
        pl.col("subdivision").str.to_uppercase(),
    )
    check.flag(frame, blank("id"), "id", "id is empty", empty("id"))
    check.flag(
        frame,
        ~blank("id") & ~pl.col("id").str.contains(ID_PATTERN),
        "id",
        pl.format("id '{}' may only use letters, digits, '_', '.', '-' (64 at most)", pl.col("id")),
        cell(N_("id %(cell)r may only use letters, digits, '_', '.', '-' (64 at most)"), "id"),
    )
    frame = frame.with_columns(pl.col(ROW).min().over("id").alias("_first"))
    check.flag(
        frame,
        ~blank("id") & (pl.col(ROW) != pl.col("_first")),
        "id",
        pl.format("duplicate id, first on row {}", pl.col("_first")),
        Message(
            N_("duplicate %(key)s, first on row %(row)s"),
            {"key": pl.lit("id"), "row": pl.col("_first")},
        ),
    )
    check.flag(frame, blank("name"), "name", "name is empty", empty("name"))
    check.flag(
        frame,
        ~pl.col("kind").is_in(list(KINDS)),
        "kind",
        pl.format("kind '{}' is not one of " + ", ".join(KINDS), pl.col("kind")),
        cell(
            N_("kind %(cell)r is not one of %(choices)s"), "kind", choices=pl.lit(", ".join(KINDS))
        ),
    )
    check.flag(
        frame,
        ~pl.col("country").is_in(sorted(countries())),
        "country",
        pl.format(
            "'{}' is not an ISO 3166-1 alpha-2 country code (e.g. CN, DE)", pl.col("country")
        ),
        cell(N_("%(cell)r is not an ISO 3166-1 alpha-2 country code (e.g. CN, DE)"), "country"),
    )
    check.flag(
        frame,
        ~blank("subdivision") & ~pl.col("subdivision").is_in(sorted(subdivisions())),
        "subdivision",
        pl.format("'{}' is not an ISO 3166-2 subdivision code (e.g. CN-GD)", pl.col("subdivision")),
        cell(N_("%(cell)r is not an ISO 3166-2 subdivision code (e.g. CN-GD)"), "subdivision"),
    )
    check.flag(
        frame,
        ~blank("subdivision")
        & pl.col("subdivision").is_in(sorted(subdivisions()))
        & (pl.col("subdivision").str.slice(0, 2) != pl.col("country")),
        "subdivision",
        pl.format(
            "subdivision '{}' is not in country '{}'", pl.col("subdivision"), pl.col("country")
        ),
        cell(
            N_("subdivision %(cell)r is not in country %(country)r"),
            "subdivision",
            country=pl.col("country"),
        ),
    )
    own_parent = N_("an entity cannot be its own parent")
    known = set(stored_parents) | set(frame["id"].to_list())
    check.flag(
        frame,
        ~blank("parent") & ~pl.col("parent").is_in(sorted(known)),
        "parent",
        pl.format("unknown parent '{}'", pl.col("parent")),
        cell(N_("unknown parent %(cell)r"), "parent"),
    )
    check.flag(
        frame,
        ~blank("id") & (pl.col("parent") == pl.col("id")),
        "parent",
        own_parent,
        Message(own_parent),
    )
    _flag_cycles(frame, stored_parents, check)
    check.raise_if_any()
    return frame.select(
        ROW,
        "id",
        "name",
        "kind",
        pl.when(blank("parent")).then(None).otherwise(pl.col("parent")).alias("parent_id"),
        "country",
        pl.when(blank("subdivision"))
        .then(None)
        .otherwise(pl.col("subdivision"))
        .alias("subdivision"),
    )


def _flag_cycles(frame: pl.DataFrame, stored: Mapping[str, str | None], check: Checker) -> None:
    parents: dict[str, str | None] = dict(stored)
    rows: dict[str, int] = {}
    for row, ident, parent in frame.select(ROW, "id", "parent").iter_rows():
        parents[ident] = parent or None
        rows.setdefault(ident, row)
    for ident, row in rows.items():
        if parents.get(ident) == ident:
            continue  # reported as its own parent
        seen = {ident}
        node = parents.get(ident)
        while node is not None and node in parents:
            if node in seen:
                check.flag(
                    frame.filter(pl.col(ROW) == row),
                    pl.lit(True),
                    "parent",
                    LOOP,
                    Message(LOOP),
                )
                break
            seen.add(node)
            node = parents.get(node)
