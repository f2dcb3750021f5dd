"""Validating supplier register files: suppliers, sites, contacts, agreements, certifications.

Each file kind is described as data (:data:`SHEETS`): its columns, which are required, how
each is typed, and the columns that identify a row (its natural key, unique in the file and
in the register). Validation is vectorised and reports every bad cell by row and column.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import cache

import polars as pl
import pycountry

from esgledger.catalog.messages import N_
from esgledger.ingest.checker import (
    MAX_NUMBER,
    ROW,
    Checker,
    Message,
    blank,
    parse_date,
    with_row_numbers,
)
from esgledger.ingest.entities import ID_PATTERN, countries
from esgledger.ingest.readers import Table

AGREEMENT_KINDS = ("csr_commitment", "integrity_agreement", "nda")
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


@dataclass(frozen=True)
class Column:
    """A column of a register file: ``kind`` is text, id, country, date, number, currency,
    email, supplier (a supplier id), entity (an entity id), evidence (an evidence file id)
    or a tuple of allowed values."""

    name: str
    kind: str | tuple[str, ...] = "text"
    required: bool = False
    field: str = ""  # the model attribute; default: the column name
    optional_text: bool = False  # a blank text cell is stored as null, not ""

    @property
    def attribute(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class Sheet:
    """One file kind: its columns and the columns of its natural key."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


SHEETS: dict[str, Sheet] = {
    "suppliers": Sheet(
        "suppliers",
        (
            Column("id", "id", required=True),
            Column("name", required=True),
            Column("country", "country", required=True),
            Column("parent_group", optional_text=True),
            Column("commodities"),
            Column("spend", "number"),
            Column("spend_unit", "currency"),
            Column("entity", "entity", field="entity_id"),
            Column("onboarded_on", "date"),
            Column("ended_on", "date"),
        ),
        ("id",),
    ),
    "sites": Sheet(
        "sites",
        (
            Column("supplier", "supplier", required=True, field="supplier_id"),
            Column("name", required=True),
            Column("country", "country", required=True),
            Column("address"),
        ),
        ("supplier", "name"),
    ),
    "contacts": Sheet(
        "contacts",
        (
            Column("supplier", "supplier", required=True, field="supplier_id"),
            Column("email", "email", required=True),
            Column("name", required=True),
            Column("role"),
        ),
        ("supplier", "email"),
    ),
    "agreements": Sheet(
        "agreements",
        (
            Column("supplier", "supplier", required=True, field="supplier_id"),
            Column("kind", AGREEMENT_KINDS, required=True),
            Column("signed_on", "date", required=True),
            Column("expires_on", "date"),
            Column("evidence", "evidence", field="evidence_id"),
        ),
        ("supplier", "kind", "signed_on"),
    ),
    "certifications": Sheet(
        "certifications",
        (
            Column("supplier", "supplier", required=True, field="supplier_id"),
            Column("standard", required=True),
            Column("certificate", required=True),
            Column("issued_on", "date"),
            Column("expires_on", "date", required=True),
            Column("evidence", "evidence", field="evidence_id"),
        ),
        ("supplier", "standard", "certificate"),
    ),
}
# A date column that must not come before another one of the same row.
NOT_BEFORE = {"expires_on": ("signed_on", "issued_on"), "ended_on": ("onboarded_on",)}


@dataclass(frozen=True)
class Known:
    """What a register file may refer to: ids stored now (and, for suppliers, in the file)."""

    suppliers: Collection[str] = ()
    entities: Collection[str] = ()
    evidence: Collection[int] = ()
    onboarded: Mapping[str, dt.date] = field(default_factory=dict)  # stored suppliers' dates


@cache
def currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def validate_register(table: Table, sheet: Sheet, known: Known) -> pl.DataFrame:
    """Typed rows (columns named after the model's attributes, plus ``__row``), or
    :class:`ImportRejected` naming every bad cell."""
    check = Checker(table.source)
    if not check.require_columns(table.frame, sheet.required):
        check.raise_if_any()
    present = [c for c in sheet.columns if c.name in table.frame.columns]
    frame = with_row_numbers(table.frame).with_columns(
        pl.col(c.name).str.strip_chars() for c in present
    )
    for column in present:
        if column.required:
            empty = Message(N_("%(column)s is empty"), {"column": pl.lit(column.name)})
            check.flag(frame, blank(column.name), column.name, f"{column.name} is empty", empty)
        _check_kind(check, frame, column, known)
    _check_order(check, frame, present)
    _check_end_after_stored_start(check, frame, present, known)
    _check_unique(check, frame, sheet)
    check.raise_if_any()
    return frame.select(ROW, *(_typed(c) for c in present))


def _check_kind(check: Checker, frame: pl.DataFrame, column: Column, known: Known) -> None:
    name, kind = column.name, column.kind
    given = ~blank(name)
    cell = {"cell": pl.col(name)}
    if kind == "text":
        return
    if isinstance(kind, tuple):
        reason = pl.format("{} '{}' is not one of " + ", ".join(kind), pl.lit(name), pl.col(name))
        choices = {"column": pl.lit(name), **cell, "choices": pl.lit(", ".join(kind))}
        named = Message(N_("%(column)s %(cell)r is not one of %(choices)s"), choices)
        check.flag(frame, given & ~pl.col(name).is_in(list(kind)), name, reason, named)
    elif kind == "id":
        message = "'{}' may only use letters, digits, '_', '.', '-' (64 at most)"
        bad = given & ~pl.col(name).str.contains(ID_PATTERN)
        named = Message(
            N_("%(cell)r may only use letters, digits, '_', '.', '-' (64 at most)"), cell
        )
        check.flag(frame, bad, name, pl.format(message, pl.col(name)), named)
    elif kind == "country":
        message = "'{}' is not an ISO 3166-1 alpha-2 country code (e.g. CN, DE)"
        bad = given & ~pl.col(name).str.to_uppercase().is_in(sorted(countries()))
        named = Message(
            N_("%(cell)r is not an ISO 3166-1 alpha-2 country code (e.g. CN, DE)"), cell
        )
        check.flag(frame, bad, name, pl.format(message, pl.col(name)), named)
    elif kind == "currency":
        message = "'{}' is not an ISO 4217 currency code (e.g. CNY, EUR)"
        bad = given & ~pl.col(name).str.to_uppercase().is_in(sorted(currencies()))
        named = Message(N_("%(cell)r is not an ISO 4217 currency code (e.g. CNY, EUR)"), cell)
        check.flag(frame, bad, name, pl.format(message, pl.col(name)), named)
        if "spend" in frame.columns:
            spend = N_("spend is given without its currency")
            check.flag(frame, ~blank("spend") & ~given, name, spend, Message(spend))
    elif kind == "email":
        bad = given & ~pl.col(name).str.contains(EMAIL)
        named = Message(N_("%(cell)r is not an e-mail address"), cell)
        check.flag(
            frame, bad, name, pl.format("'{}' is not an e-mail address", pl.col(name)), named
        )
    elif kind == "date":
        message = "'{}' is not a date (YYYY-MM-DD)"
        bad = given & parse_date(name).is_null()
        named = Message(N_("%(cell)r is not a date (YYYY-MM-DD)"), cell)
        check.flag(frame, bad, name, pl.format(message, pl.col(name)), named)
    elif kind == "number":
        _check_number(check, frame, name)
    else:
        _check_reference(check, frame, column, known)


def _check_number(check: Checker, frame: pl.DataFrame, name: str) -> None:
    value = pl.col(name).cast(pl.Float64, strict=False)
    given = ~blank(name)
    message = pl.format("'{}' is not a number", pl.col(name))
    cell = {"cell": pl.col(name)}
    named = Message(N_("%(cell)r is not a number"), cell)
    check.flag(frame, given & value.is_null(), name, message, named)
    bad = given & value.is_not_null() & ((value < 0) | (value > MAX_NUMBER) | value.is_nan())
    ranged = Message(N_("%(cell)s must be between 0 and 1e21"), cell)
    check.flag(frame, bad, name, pl.format("{} must be between 0 and 1e21", pl.col(name)), ranged)


def _check_reference(check: Checker, frame: pl.DataFrame, column: Column, known: Known) -> None:
    name = column.name
    given = ~blank(name)
    if column.kind == "evidence":
        ids = pl.col(name).cast(pl.Int64, strict=False)
        message = "unknown evidence file '{}' (`esg evidence list` shows their ids)"
        bad = given & ~ids.is_in(sorted(known.evidence)).fill_null(False)
        named = Message(N_("unknown evidence file %(cell)r"), {"cell": pl.col(name)})
        check.flag(frame, bad, name, pl.format(message, pl.col(name)), named)
        return
    ids_known, hint = (
        (known.suppliers, "import it with `esg suppliers import` first")
        if column.kind == "supplier"
        else (known.entities, "`esg entities list` lists them")
    )
    message = f"unknown {column.kind} '{{}}'; {hint}"
    bad = given & ~pl.col(name).is_in(sorted(ids_known))
    named = (
        Message(N_("unknown supplier %(cell)r"), {"cell": pl.col(name)})
        if column.kind == "supplier"
        else Message(N_("unknown entity %(entity)r"), {"entity": pl.col(name)})
    )
    check.flag(frame, bad, name, pl.format(message, pl.col(name)), named)


def _check_order(check: Checker, frame: pl.DataFrame, present: list[Column]) -> None:
    names = {c.name for c in present}
    for later, earlier in NOT_BEFORE.items():
        for first in earlier:
            if later in names and first in names:
                bad = parse_date(later) < parse_date(first)
                order = {"later": pl.lit(later), "first": pl.lit(first)}
                named = Message(N_("%(later)s is before %(first)s"), order)
                check.flag(frame, bad, later, f"{later} is before {first}", named)


def _check_unique(check: Checker, frame: pl.DataFrame, sheet: Sheet) -> None:
    key = [pl.col(k).str.to_lowercase() if k == "email" else pl.col(k) for k in sheet.key]
    first = frame.with_columns(pl.col(ROW).min().over(key).alias("_first"))
    message = f"duplicate {', '.join(sheet.key)}, first on row {{}}"
    named = Message(
        N_("duplicate %(key)s, first on row %(row)s"),
        {"key": pl.lit(", ".join(sheet.key)), "row": pl.col("_first")},
    )
    check.flag(
        first,
        pl.col(ROW) != pl.col("_first"),
        sheet.key[-1],
        pl.format(message, "_first"),
        named,
    )


def _typed(column: Column) -> pl.Expr:
    """The column as the model stores it: blanks as null (text as ""), codes upper-cased."""
    name, kind = column.name, column.kind
    value: pl.Expr
    if kind == "date":
        value = parse_date(name)
    elif kind == "number":
        value = pl.col(name).cast(pl.Float64, strict=False)
    elif kind == "evidence":
        value = pl.col(name).cast(pl.Int64, strict=False)
    elif kind in ("country", "currency"):
        value = pl.col(name).str.to_uppercase()
    elif kind == "email":
        value = pl.col(name).str.to_lowercase()
    else:
        value = pl.col(name)
    if column.optional_text or (not column.required and kind != "text"):
        value = pl.when(blank(name)).then(None).otherwise(value)
    return value.alias(column.attribute)


def _check_end_after_stored_start(
    check: Checker, frame: pl.DataFrame, present: list[Column], known: Known
) -> None:
    """A file that ends suppliers' cooperation without their onboarding dates is checked
    against the dates stored (a file with both columns is checked by :func:`_check_order`)."""
    names = {c.name for c in present}
    if "ended_on" not in names or "onboarded_on" in names or not known.onboarded:
        return
    start = pl.col("id").replace_strict(known.onboarded, default=None, return_dtype=pl.Date)
    bad = parse_date("ended_on") < start
    reason = pl.format("ended_on is before the stored onboarded_on {}", start.cast(pl.String))
    named = Message(N_("ended_on is before the stored onboarded_on %(start)s"), {"start": start})
    check.flag(frame, bad, "ended_on", reason, named)
