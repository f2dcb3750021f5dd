"""Naming a file's columns from its header row, refusing names that would be ambiguous."""

from __future__ import annotations

import polars as pl

from esgledger.catalog.messages import N_
from esgledger.errors import ImportRejected, Problem

UNNAMED = N_("column %(position)s has values but no name; name it")
TWICE = N_(
    "columns %(first)s and %(position)s are both named %(name)r (names ignore letter case and "
    "spaces); rename or delete one"
)


def apply_header(names: list[str], frame: pl.DataFrame, source: str) -> pl.DataFrame:
    """``frame`` with its columns named ``names`` (trimmed, lower case), or a refusal.

    Two columns whose names are equal once trimmed and case-folded are refused rather than
    one of them being stored as an attribute; an unnamed column is dropped when it is empty
    (a spreadsheet's formatted margin) and refused when it holds values.
    """
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    kept: dict[str, str] = {}
    for position, (raw, column) in enumerate(zip(names, frame.columns, strict=True), start=1):
        name = (raw or "").strip().lower()
        if not name:
            if frame[column].fill_null("").str.strip_chars().ne("").any():
                values: dict[str, object] = {"position": position}
                problems.append(Problem(1, None, UNNAMED % values, UNNAMED, values))
            continue
        key = name.casefold()
        if key in first_seen:
            values = {"first": first_seen[key], "position": position, "name": name}
            problems.append(Problem(1, None, TWICE % values, TWICE, values))
            continue
        first_seen[key] = position
        kept[column] = name
    if problems:
        raise ImportRejected(source, problems)
    return frame.select(list(kept)).rename(kept)
