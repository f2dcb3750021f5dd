"""Validating activity data: entity, period, activity type, quantity and unit per row."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection

import polars as pl

from esgledger.catalog import activity_types
from esgledger.catalog.activities import uses
from esgledger.catalog.bounds import Bound, activity_bounds
from esgledger.catalog.messages import N_
from esgledger.errors import InvalidInput, Problem
from esgledger.ingest.checker import (
    KEEP,
    ROW,
    Checker,
    Message,
    blank,
    cell,
    date_message,
    date_problem,
    empty,
    number_message,
    number_problem,
    parse_date,
    parse_number,
)
from esgledger.ingest.instrument_columns import check_instrument_columns
from esgledger.ingest.plausibility import check_plausible
from esgledger.ingest.products import check_sales
from esgledger.ingest.readers import Table
from esgledger.ingest.scope3_columns import check_scope3_columns
from esgledger.settings import get_settings
from esgledger.units import parse

REQUIRED = ["entity", "start", "end", "activity", "quantity", "unit"]
KEY = ["entity_id", "start", "end", "activity", "attributes"]
ALREADY_IMPORTED = "already imported"  # a row whose natural key a stored row holds
SLICE_ROWS = 1_000_000  # rows of a file whose cells are checked at once


def attribute_columns(frame: pl.DataFrame) -> list[str]:
    return sorted(c for c in frame.columns if c not in REQUIRED and c != ROW)


def _with_attributes(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """Add ``attributes``: canonical JSON of the non-empty attribute cells, or "".

    The text equals ``json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",",
    ":"))``; it is built column-wise, and only cells with control characters (which JSON
    escapes as ``\\uXXXX``) go through ``json.dumps`` itself.
    """
    if not columns:
        return frame.with_columns(pl.lit("").alias("attributes"))
    trimmed = frame.select(pl.col(c).str.strip_chars() for c in sorted(columns))
    fragments = [
        pl.when(pl.col(c) != "").then(pl.lit(json.dumps(c) + ":") + _json_string(pl.col(c)))
        for c in trimmed.columns
    ]
    joined = pl.concat_str(fragments, separator=",", ignore_nulls=True)
    encoded = trimmed.select(
        pl.when(joined.is_null() | (joined == ""))
        .then(pl.lit(""))
        .otherwise("{" + joined + "}")
        .alias("attributes")
    )["attributes"]
    tricky = trimmed.select(pl.any_horizontal(pl.all().str.contains(r"[\x00-\x1f]")))
    rows = tricky.to_series().to_numpy().nonzero()[0]
    if len(rows):
        fixed = encoded.to_list()
        for i in rows.tolist():
            kept = {k: v for k, v in trimmed.row(i, named=True).items() if v}
            fixed[i] = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        encoded = pl.Series("attributes", fixed, dtype=pl.Utf8)
    return frame.with_columns(encoded)


def _json_string(value: pl.Expr) -> pl.Expr:
    """A JSON string literal of a text without control characters."""
    escaped = value.str.replace_all("\\", "\\\\", literal=True).str.replace_all(
        '"', '\\"', literal=True
    )
    return pl.lit('"') + escaped + pl.lit('"')


def _unit_problems(frame: pl.DataFrame) -> pl.DataFrame:
    """Per distinct (activity, unit) pair, why the unit is refused (or null if it is fine)."""
    types = activity_types()
    pairs = frame.select("activity", "unit").unique()
    reasons: list[str | None] = []
    messages: list[str | None] = []
    likes: list[list[str] | None] = []  # the units to use: the reader's "or" joins them
    for activity, unit in pairs.iter_rows():
        kind = types.get(activity)
        like = " or ".join(kind.units) if kind is not None else None
        likes.append(list(kind.units) if kind is not None else None)
        if kind is None:
            reasons.append(None)  # reported by the activity check
            messages.append(None)
            continue
        try:
            parse(unit)
        except InvalidInput as exc:
            reasons.append(str(exc))  # the unit parser's words: "unknown unit 'x'"
            messages.append(N_("unknown unit %(unit)r"))
            continue
        ok = kind.accepts_unit(unit)
        reasons.append(
            None
            if ok
            else f"unit {unit!r} does not measure {kind.name.lower()} (use a unit like {like})"
        )
        messages.append(
            None
            if ok
            else N_(
                "unit %(unit)r does not measure activity %(activity)r (use a unit like %(like)s)"
            )
        )
    return pairs.with_columns(
        pl.Series("unit_reason", reasons, dtype=pl.Utf8),
        pl.Series("_unit_message", messages, dtype=pl.Utf8),
        pl.Series("_unit_like", likes, dtype=pl.List(pl.Utf8)),
    )


def validate_activities(
    table: Table,
    *,
    known_entities: Collection[str],
    existing_keys: pl.DataFrame | None = None,
    bounds: dict[str, Bound] | None = None,
    claimed_certificates: Collection[str] = (),
    stored_clashes: Callable[[pl.DataFrame], pl.DataFrame | None] | None = None,
    slice_rows: int = SLICE_ROWS,
) -> pl.DataFrame:
    """Typed activity rows ready to store, or :class:`ImportRejected` listing every bad row.

    ``existing_keys`` holds the stored rows' natural keys (columns of ``KEY`` plus ``batch_id``)
    so a row imported twice is refused as a duplicate. ``bounds`` are the plausibility bounds
    per activity type (default: the shipped ones and ``ESG_ACTIVITY_BOUNDS``).
    ``claimed_certificates``: the certificate ids stored instruments hold already (a mapping
    names the row holding each). ``stored_clashes``: given the file's typed ``KEY`` columns,
    the stored keys (as ``existing_keys``) among them, for stores too large to hold at once.

    The cells are checked ``slice_rows`` rows at a time (:func:`checked_cells`): checking a
    10⁷-row file whole peaked at 5.5 GB (#18). Only the typed rows are kept between slices;
    the keys (duplicates in the file, rows already stored) and certificate ids are checked
    across the whole file.
    """
    if bounds is None:
        bounds = activity_bounds(get_settings().activity_bounds)
    check = Checker(table.source)
    if not check.require_columns(table.frame, REQUIRED):
        check.raise_if_any()
    known = sorted(known_entities)
    first_ids: dict[str, int] = {}  # each certificate id's first row in the file
    parts = []
    for offset in range(0, max(table.height, 1), max(slice_rows, 1)):
        part = table.frame.slice(offset, max(slice_rows, 1))
        parts.append(checked_cells(part, offset, check, known, bounds, claimed_certificates,
                                   first_ids))  # fmt: skip
        check.problems = sorted(check.problems, key=_shown_order)[:KEEP]
    frame = pl.concat(parts) if len(parts) > 1 else parts[0]
    del parts
    _flag_duplicates(frame, check)
    clashes = stored_clashes(frame.select(KEY)) if stored_clashes is not None else None
    if clashes is not None:
        found = [existing_keys.select(clashes.columns)] if existing_keys is not None else []
        existing_keys = pl.concat([*found, clashes])
    if existing_keys is not None and existing_keys.height:
        stored = frame.join(existing_keys, on=KEY, how="inner")
        check.flag(
            stored,
            pl.lit(True),
            "entity",
            pl.format(ALREADY_IMPORTED + " (batch {})", pl.col("batch_id")),
            Message(N_("already imported (batch %(batch)s)"), {"batch": pl.col("batch_id")}),
        )
    check.raise_if_any()
    return frame


def _shown_order(problem: Problem) -> tuple[int, str]:
    """The order a refusal lists problems in (``ImportRejected``): the first ones of each
    slice are kept, so the refusal shows what checking the file whole showed."""
    return (problem.row or 0, problem.column or "")


def _flag_duplicates(frame: pl.DataFrame, check: Checker) -> None:
    """A row whose natural key an earlier row of the file holds: found on the keys' hashes
    (8 bytes a row), then compared on the keys themselves among the rows sharing a hash."""
    hashes = frame.select(pl.struct(KEY).hash(seed=0)).to_series()
    shared = frame.filter(hashes.is_duplicated())
    if not shared.height:
        return
    shared = shared.with_columns(pl.col(ROW).min().over(KEY).alias("_first"))
    check.flag(
        shared,
        pl.col("start").is_not_null() & (pl.col(ROW) != pl.col("_first")),
        "entity",
        pl.format("duplicate of row {}", pl.col("_first")),
        Message(N_("duplicate of row %(row)s"), {"row": pl.col("_first")}),
    )


def checked_cells(
    part: pl.DataFrame,
    offset: int,
    check: Checker,
    known: list[str],
    bounds: dict[str, Bound],
    claimed_certificates: Collection[str],
    first_ids: dict[str, int],
) -> pl.DataFrame:
    """The typed rows of ``part`` (the file's rows from ``offset`` on, as strings), every bad
    cell flagged on ``check`` with the file's row number; ``first_ids``: the certificate ids
    of the earlier slices with their rows (added to)."""
    attrs = attribute_columns(part)
    frame = part.with_row_index(ROW, offset=offset + 2).with_columns(
        pl.col(c).str.strip_chars() for c in ["entity", "activity", "unit"]
    )
    frame = _with_attributes(frame, attrs).with_columns(
        parse_date("start").alias("_start"),
        parse_date("end").alias("_end"),
        parse_number("quantity").alias("_quantity"),
    )
    for col in ["entity", "activity", "unit"]:
        check.flag(frame, blank(col), col, f"{col} is empty", empty(col))
    check.flag(
        frame,
        ~blank("entity") & ~pl.col("entity").is_in(known),
        "entity",
        pl.format("unknown entity '{}'; import it with `esg import entities`", pl.col("entity")),
        Message(N_("unknown entity %(entity)r"), {"entity": pl.col("entity")}),
    )
    for col in ("start", "end"):
        check.flag(
            frame,
            pl.col(f"_{col}").is_null(),
            col,
            date_problem(col),
            date_message(col),
        )
    order = Message(
        N_("%(later)s is before %(first)s"), {"later": pl.lit("end"), "first": pl.lit("start")}
    )
    check.flag(frame, pl.col("_end") < pl.col("_start"), "end", "end is before start", order)
    types = list(activity_types())
    check.flag(
        frame,
        ~blank("activity") & ~pl.col("activity").is_in(types),
        "activity",
        pl.format(
            "unknown activity type '{}'; `esg activities types` lists them", pl.col("activity")
        ),
        cell(N_("unknown activity type %(cell)r"), "activity"),
    )
    check.flag(
        frame,
        pl.col("_quantity").is_null(),
        "quantity",
        number_problem("quantity"),
        number_message("quantity"),
    )
    negative = Message(N_("%(column)s is negative"), {"column": pl.lit("quantity")})
    check.flag(frame, pl.col("_quantity") < 0, "quantity", "quantity is negative", negative)
    units = _unit_problems(frame.filter(~blank("unit")))
    frame = frame.join(units, on=["activity", "unit"], how="left")
    said = Message(
        pl.col("_unit_message"),
        {"unit": pl.col("unit"), "activity": pl.col("activity"), "like": pl.col("_unit_like")},
    )
    check.flag(frame, pl.col("unit_reason").is_not_null(), "unit", pl.col("unit_reason"), said)
    check_plausible(frame, bounds, check)
    check_scope3_columns(frame, check)
    check_instrument_columns(frame, check, claimed_certificates, first_ids)
    if "use" in frame.columns:
        check.flag(
            frame,
            ~blank("use") & ~pl.col("use").str.strip_chars().is_in(list(uses())),
            "use",
            pl.format("use '{}' is not one of " + ", ".join(uses()), pl.col("use")),
            cell(
                N_("use %(cell)r is not one of %(choices)s"),
                "use",
                choices=pl.lit(", ".join(uses())),
            ),
        )
    check_sales(frame, check)
    frame = frame.select(
        ROW,
        pl.col("entity").alias("entity_id"),
        pl.col("_start").alias("start"),
        pl.col("_end").alias("end"),
        "activity",
        pl.col("_quantity").alias("quantity"),
        "unit",
        "attributes",
    )
    return frame
