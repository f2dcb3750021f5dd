"""Collecting row problems from vectorised checks, cheaply even when a million rows are bad."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.catalog.phrases import AnyOf
from esgledger.errors import ImportRejected, Problem

ROW = "__row"  # the spreadsheet row number: the header is row 1, the first data row is row 2
KEEP = ImportRejected.shown
# The largest number any cell may hold: beyond any real quantity or KPI in any unit (1e21 g
# is a billion tonnes), far below where a sum, a unit conversion or a factor overflows to
# infinity (1e308 does). Tighter bounds per activity type: esgledger.catalog.bounds.
MAX_NUMBER = 1e21
DAY = r"(\d{4}-\d{2}-\d{2})"
MIDNIGHT = r"(?:[ T]00:00(?::00(?:\.0+)?)?)?"
TIME_OF_DAY = r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}"


@dataclass(frozen=True)
class Message:
    """A reason's catalog message (#19), so a page words a refused row in its reader's
    language: the message id (an expression where a check has several) and its values, each
    an expression over the bad rows (a list-valued one names alternatives, :class:`AnyOf`)."""

    id: str | pl.Expr
    values: dict[str, pl.Expr] = field(default_factory=dict)


def refuse(source: str, reason: str, message: str = "", **values: object) -> ImportRejected:
    """A refusal of the whole file for one reason that no row or column can carry (and its
    catalog message, where the caller names one)."""
    return ImportRejected(source, [Problem(None, None, reason, message, values)])


class Checker:
    """Runs checks over a frame that carries a ``__row`` column; raises once at the end."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.total = 0

    def file_problem(self, reason: str, message: str = "", **values: object) -> None:
        """A problem of the whole file, with its catalog message where the caller names one."""
        self.problems.append(Problem(None, None, reason, message, values))
        self.total += 1

    def require_columns(self, frame: pl.DataFrame, required: list[str]) -> bool:
        missing = [c for c in required if c not in frame.columns]
        for col in missing:
            needed = ", ".join(required)
            self.file_problem(
                f"missing column {col!r}; the file needs columns {needed}",
                N_("missing column %(column)r; the file needs columns %(columns)s"),
                column=col,
                columns=needed,
            )
        return not missing

    def flag(
        self,
        frame: pl.DataFrame,
        bad: pl.Expr,
        column: str,
        reason: str | pl.Expr,
        message: Message | None = None,
    ) -> None:
        """Record ``reason`` for every row where ``bad`` is true (null counts as fine), with
        its ``message`` where the check names one.

        ``reason`` is evaluated on the bad rows only: window expressions belong in a column
        computed beforehand.
        """
        reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
        # Eager on purpose: the streaming engine panicked formatting reasons on a filtered
        # frame (30,000 rows, 50 bad dates), and the reason is only needed for the rows kept.
        # The predicate becomes a column first: a constant one ("every joined row") failed to
        # broadcast over a frame of many chunks (ShapeError on a large file).
        hits = (
            frame.with_columns(bad.fill_null(False).alias("_flagged"))
            .filter(pl.col("_flagged"))
            .drop("_flagged")
        )
        if not hits.height:
            return
        self.total += hits.height
        named = message or Message("")
        ident = pl.lit(named.id) if isinstance(named.id, str) else named.id
        values = [v.alias(f"_v{i}") for i, v in enumerate(named.values.values())]
        shown = (
            hits.sort(ROW)
            .head(KEEP)
            .select(ROW, reason_expr.alias("reason"), ident.alias("_message"), *values)
        )
        lists = {c for c, kind in shown.schema.items() if isinstance(kind, pl.List)}
        shown = shown.with_columns(
            pl.col(c).cast(pl.String) for c in shown.columns[3:] if c not in lists
        )
        keys = list(named.values)
        for row, text, ident_text, *given in shown.iter_rows():
            said = [AnyOf(v) if isinstance(v, list) else v for v in given]
            named_values = dict(zip(keys, said, strict=True))
            self.problems.append(
                Problem(int(row), column, str(text), str(ident_text), named_values)
            )

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportRejected(self.source, self.problems, self.total)


def with_row_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(ROW, offset=2)


def blank(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars() == ""


def empty(column: str) -> Message:
    """The message of ``<column> is empty`` (the column's name is data, a code)."""
    return Message(N_("%(column)s is empty"), {"column": pl.lit(column)})


def longer(column: str, most: int) -> Message:
    """The message of ``<column> is longer than <most> characters``."""
    return Message(
        N_("%(column)s is longer than %(most)s characters"),
        {"column": pl.lit(column), "most": pl.lit(str(most))},
    )


def cell(message: str, column: str, **values: pl.Expr) -> Message:
    """A message about the cell of ``column`` (its ``%(cell)r``), with further values."""
    return Message(message, {"cell": pl.col(column), **values})


def parse_date(column: str) -> pl.Expr:
    """ISO dates, the whole cell: a spreadsheet's "2024-01-31 00:00:00" is its date, but any
    other time of day or trailing text is no date (null), never silently cut off."""
    day = pl.col(column).str.strip_chars().str.extract("^" + DAY + MIDNIGHT + "$", 1)
    return day.str.to_date("%Y-%m-%d", strict=False)


def date_problem(column: str) -> pl.Expr:
    """Why a cell :func:`parse_date` refused is not a date, for the message."""
    text = pl.col(column).str.strip_chars()
    return (
        pl.when(text.str.contains(TIME_OF_DAY))
        .then(pl.format("'{}' has a time of day; give the date only (YYYY-MM-DD)", text))
        .otherwise(pl.format("'{}' is not a date (use YYYY-MM-DD)", text))
    )


def date_message(column: str) -> Message:
    """:func:`date_problem`'s reason as its catalog message."""
    text = pl.col(column).str.strip_chars()
    ident = (
        pl.when(text.str.contains(TIME_OF_DAY))
        .then(pl.lit(N_("%(cell)r has a time of day; give the date only (YYYY-MM-DD)")))
        .otherwise(pl.lit(N_("%(cell)r is not a date (use YYYY-MM-DD)")))
    )
    return Message(ident, {"cell": text})


def parse_number(column: str) -> pl.Expr:
    """Decimal numbers; thousands separators are accepted, anything else is null."""
    text = pl.col(column).str.strip_chars()
    grouped = text.str.contains(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
    cleaned = pl.when(grouped).then(text.str.replace_all(",", "", literal=True)).otherwise(text)
    number = cleaned.cast(pl.Float64, strict=False)
    return pl.when(number.is_finite() & (number.abs() <= MAX_NUMBER)).then(number)


def number_message(column: str) -> Message:
    """:func:`number_problem`'s reason as its catalog message."""
    text = pl.col(column).str.strip_chars()
    number = text.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    ident = (
        pl.when(number.is_finite() & (number.abs() > MAX_NUMBER))
        .then(pl.lit(N_("%(cell)r is beyond the largest accepted number (%(max)s)")))
        .otherwise(pl.lit(N_("%(cell)r is not a number")))
    )
    return Message(ident, {"cell": text, "max": pl.lit(f"{MAX_NUMBER:g}")})


def number_problem(column: str) -> pl.Expr:
    """Why a cell :func:`parse_number` refused is not a number, for the message."""
    text = pl.col(column).str.strip_chars()
    number = text.str.replace_all(",", "", literal=True).cast(pl.Float64, strict=False)
    return (
        pl.when(number.is_finite() & (number.abs() > MAX_NUMBER))
        .then(pl.format(f"'{{}}' is beyond the largest accepted number ({MAX_NUMBER:g})", text))
        .otherwise(pl.format("'{}' is not a number", text))
    )
