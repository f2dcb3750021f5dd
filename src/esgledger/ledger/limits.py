"""Text lengths the schema holds, checked at import the same way on every database.

SQLite stores a million characters in a ``String(200)`` column where PostgreSQL refuses
them, so a workspace that accepted such a row could never move to PostgreSQL. Imports
check each text cell against the column's declared length first, and refuse the file with
one line per row and column, before anything else (and before any message repeats the value).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl
from sqlalchemy.orm import InstrumentedAttribute

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem
from esgledger.ingest.checker import ROW

SHOWN = 50  # problems listed per column; the rest are counted

# Longest canonical attribute text of an activity row: it is part of the natural key's unique
# index, whose entries PostgreSQL caps at about 2,700 bytes (500 characters, 4 bytes at most each).
ATTRIBUTES_MAX = 500
# Why the attributes' limit counts them together: said after the reason, in its language (#19).
ATTRIBUTES_WHY = N_("all attribute columns together, as stored in the row's key")
LONGER = N_("%(n)s characters, longer than the %(limit)s it may hold")
LONGER_WHY = N_("%(n)s characters, longer than the %(limit)s it may hold (%(why)s)")


def limit_of(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> int:
    """The declared length of a model's ``String(n)`` column."""
    length = getattr(column.property.columns[0].type, "length", None)
    if length is None:
        raise TypeError(f"{column} has no declared length")
    return int(length)


def refuse_too_long(
    source: str, frame: pl.DataFrame, limits: Mapping[str, int], *, why: str = ""
) -> None:
    """Raise :class:`ImportRejected` naming every cell of ``frame`` longer than its limit.

    ``frame`` carries the spreadsheet row numbers in ``ROW``; ``limits`` maps a column of the
    file to the most characters it may hold (after trimming spaces, as imports store it).
    Columns the file does not have are skipped (a missing column is reported elsewhere).
    ``why`` (a catalog message) is said in brackets after each reason.
    """
    message = LONGER_WHY if why else LONGER
    words = {"why": why} if why else {}
    problems: list[Problem] = []
    total = 0
    for column, limit in limits.items():
        if column not in frame.columns:
            continue
        length = pl.col(column).cast(pl.Utf8).str.strip_chars().str.len_chars()
        long = frame.lazy().filter(length > limit).select(ROW, length.alias("n")).collect()
        total += long.height
        for row, n in long.head(SHOWN).iter_rows():
            values = {"n": f"{n:,}", "limit": limit}
            reason = message % {**values, **words}
            problems.append(Problem(row, column, reason, message, values, words))
    if problems:
        raise ImportRejected(source, problems, total)
