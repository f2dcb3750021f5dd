"""Collecting row problems from vectorised checks, cheaply even when a million rows are bad."""

from __future__ import annotations

import polars as pl

from esgledger.errors import ImportRejected, Problem

ROW = "__row"  # the spreadsheet row number: the header is row 1, the first data row is row 2
KEEP = ImportRejected.shown


class Checker:
    """Runs checks over a frame that carries a ``__row`` column; raises once at the end."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.total = 0

    def file_problem(self, reason: str) -> None:
        self.problems.append(Problem(None, None, reason))
        self.total += 1

    def require_columns(self, frame: pl.DataFrame, required: list[str]) -> bool:
        missing = [c for c in required if c not in frame.columns]
        for col in missing:
            self.file_problem(
                f"missing column {col!r}; the file needs columns {', '.join(required)}"
            )
        return not missing

    def flag(self, frame: pl.DataFrame, bad: pl.Expr, column: str, reason: str | pl.Expr) -> None:
        """Record ``reason`` for every row where ``bad`` is true (null counts as fine).

        ``reason`` is evaluated on the bad rows only: window expressions belong in a column
        computed beforehand.
        """
        reason_expr = pl.lit(reason) if isinstance(reason, str) else reason
        hits = frame.lazy().filter(bad.fill_null(False)).select(ROW, reason_expr.alias("reason"))
        count = hits.select(pl.len()).collect().item()
        if not count:
            return
        self.total += count
        for row, text in hits.sort(ROW).head(KEEP).collect().iter_rows():
            self.problems.append(Problem(int(row), column, str(text)))

    def raise_if_any(self) -> None:
        if self.total:
            raise ImportRejected(self.source, self.problems, self.total)


def with_row_numbers(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_row_index(ROW, offset=2)


def blank(column: str) -> pl.Expr:
    return pl.col(column).str.strip_chars() == ""


def parse_date(column: str) -> pl.Expr:
    """ISO dates; a spreadsheet's "2024-01-31 00:00:00" is read as its date part."""
    return pl.col(column).str.strip_chars().str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def parse_number(column: str) -> pl.Expr:
    """Decimal numbers; thousands separators are accepted, anything else is null."""
    text = pl.col(column).str.strip_chars()
    grouped = text.str.contains(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
    cleaned = pl.when(grouped).then(text.str.replace_all(",", "", literal=True)).otherwise(text)
    number = cleaned.cast(pl.Float64, strict=False)
    return pl.when(number.is_finite()).then(number)
