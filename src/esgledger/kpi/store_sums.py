"""Activity sums of the Parquet activity store, for the figures that add up activity rows.

Rows imported with ``--store`` sit in files, not in ``activity_records``: a KPI table, the
boundary's coverage and the checks that sum activity rows in SQL would miss them and report
figures silently short. These functions read a year's store rows (each file re-hashed on
read, so a changed file stops the figure) and sum them as the ledger's SQL does: by year of
start, activity, entity and unit. Store rows are never voided, so every one counts.
"""

from __future__ import annotations

from collections.abc import Collection, MutableMapping
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from esgledger.ledger.activity_store import has_files, read_file, required_root, year_files


def store_sums(
    session: Session, year: int, activities: Collection[str] | None = None
) -> pl.DataFrame:
    """(activity, entity_id, unit, quantity) summed over the store rows starting in ``year``
    (of ``activities`` when given), file by file in id order (each re-hashed on read), then
    over the files; empty when the year has no files."""
    schema = {"activity": pl.Utf8, "entity_id": pl.Utf8, "unit": pl.Utf8, "quantity": pl.Float64}
    files = year_files(session, year)
    if not files:
        return pl.DataFrame(schema=schema)
    root = required_root(session)
    parts = []
    for file in files:  # one file in memory at a time: a year may not fit, a file does
        rows = read_file(root, file)
        if activities is not None:
            rows = rows.filter(pl.col("activity").is_in(list(activities)))
        parts.append(_summed(rows).select(*schema))
    return _summed(pl.concat(parts)).select(*schema)


def _summed(rows: pl.DataFrame) -> pl.DataFrame:
    """Quantities summed by (activity, entity, unit), keys in the order first met."""
    return rows.group_by("activity", "entity_id", "unit", maintain_order=True).agg(
        pl.col("quantity").sum()
    )


def add_store_sums(session: Session, out: MutableMapping[int, Any]) -> None:
    """Add the store's sums of each year of ``out`` to its (activity, entity) → [(unit,
    quantity)] map: a unit the ledger already has for the key is added to, others appended."""
    if not has_files(session):
        return
    for year, sums in out.items():
        for activity, entity, unit, total in store_sums(session, year).iter_rows():
            parts: list[tuple[str, float]] = sums[(activity, entity)]
            for i, (known, quantity) in enumerate(parts):
                if known == unit:
                    parts[i] = (unit, quantity + float(total))
                    break
            else:
                parts.append((unit, float(total)))


def store_entities(session: Session, year: int, activities: Collection[str]) -> set[str]:
    """Entities with store rows of ``activities`` starting in ``year``."""
    return set(store_sums(session, year, activities)["entity_id"].to_list())
