"""A run's unresolved activity rows grouped for storage, and read back from either layout.

One group per (entity, activity type, quantity, reason) holds the count and the activity
ids, runs of consecutive ids written ``first-last`` ("3-6,9,11-12"): a million unresolved
rows at 10⁷ activity rows become a few thousand rows to write and digest, and the ids are
all still there (``listed_issues``). Runs stored before ``0031_calc4`` kept a row per
unresolved row and quantity in ``calculation_issues``; the readers here take both (#18).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from esgledger.ledger.issue_models import CalculationIssueGroup
from esgledger.ledger.models import CalculationIssue

KEYS = ["entity_id", "activity", "quantity", "reason"]
GROUP_SCHEMA = pl.Schema(
    {
        "entity_id": pl.Utf8,
        "activity": pl.Utf8,
        "quantity": pl.Utf8,
        "reason": pl.Utf8,
        "row_count": pl.Int64,
        "first_activity_id": pl.Int64,
        "activity_ids": pl.Utf8,
    }
)


def grouped_issues(unresolved: pl.DataFrame) -> pl.DataFrame:
    """The engine's unresolved rows (``activity_id`` and ``KEYS``) as ``GROUP_SCHEMA`` rows,
    in the order the engine first listed each group: a row's issues (quantities, reasons)
    keep their order when ``listed_issues`` lists them again by id.

    Rows are sorted and grouped by integer codes of the keys (``key_codes``), not by the
    texts: about 1.2·10⁶ unresolved rows at 10⁷ activity rows took 3.3 CPU s to sort by four
    text columns. A key's runs of ids come in id order either way, and the groups are put in
    the order of their first listed row, so the rows are the same."""
    codes = key_codes(unresolved)
    folded = combined_key(codes)
    if folded is None:  # more distinct key tuples than one integer holds: a column per key
        code_columns = codes.columns
        rows = (
            unresolved.select(pl.col("activity_id").cast(pl.Int64))
            .with_row_index("__position")
            .hstack(codes)
        )
        # a null key never continues a run (as the texts' comparison gave)
        no_null = ~pl.any_horizontal(pl.col(c).is_null() for c in code_columns)
    else:  # one Int64 column to sort and group by: 0.36 → 0.1 CPU s at 1.2·10⁶ rows
        key, has_null = folded
        code_columns = ["__key"]
        rows = (
            unresolved.select(pl.col("activity_id").cast(pl.Int64))
            .with_row_index("__position")
            .with_columns(key.alias("__key"), has_null.alias("__null"))
        )
        no_null = ~pl.col("__null")
    if rows["activity_id"].is_sorted():  # as the engine lists them: a stable sort keeps that
        rows = rows.sort(*code_columns, maintain_order=True)
    else:
        rows = rows.sort(*code_columns, "activity_id", "__position")
    # equal codes where the texts are equal, null where a text is null: the runs are the same
    # (each row's piece of its group's ids text: ``id_run_piece``);
    # a null key never continues a run (as the texts' comparison gave), yet it is the group's
    same_codes = pl.all_horizontal(
        pl.col(c).eq_missing(pl.col(c).shift(1)) for c in code_columns
    ) & pl.int_range(pl.len()).gt(0)
    follows = id_follows()
    groups = (
        rows.with_columns(
            (~(same_codes & no_null & follows)).alias("__starts"),
            (~same_codes).alias("__opens"),
        )
        .with_columns(id_run_piece().alias("__piece"))
        .group_by(*code_columns, maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("row_count"),
            pl.col("activity_id").min().alias("first_activity_id"),
            pl.col("__piece").str.join("").alias("activity_ids"),
            pl.col("__position").min(),
        )
        .sort("__position")
    )
    keys = unresolved.select(KEYS)[groups["__position"].to_numpy()]  # the first listed row's
    return groups.hstack(keys).select(
        pl.col(name).cast(dtype) for name, dtype in GROUP_SCHEMA.items()
    )


def key_codes(unresolved: pl.DataFrame) -> pl.DataFrame:
    """A column ``__<key>`` of integer codes per key of ``unresolved``: equal where the key
    texts are equal, null where the text is null (each text hashed once, no sort)."""
    return unresolved.select(
        (c if unresolved.schema[k] == pl.Categorical else c.cast(pl.Utf8).cast(pl.Categorical))
        .to_physical()
        .alias(f"__{k}")
        for k in KEYS
        for c in [pl.col(k)]
    )


def combined_key(codes: pl.DataFrame) -> tuple[pl.Series, pl.Series] | None:
    """``codes`` (``key_codes``) folded into one Int64 per row, equal exactly where every
    code is equal (a null only with a null), and whether the row's key holds a null; None
    when the distinct values of the columns, multiplied, do not fit in an Int64. Each
    column's codes are first renumbered 0…k−1 (k its distinct values, null one of them)."""
    key = np.zeros(codes.height, dtype=np.int64)
    has_null = np.zeros(codes.height, dtype=bool)
    span = 1
    for name in codes.columns:
        column = codes.get_column(name)
        if column.null_count():
            has_null |= column.is_null().to_numpy()
        null_code = int(column.max() or 0) + 1  # type: ignore[arg-type]
        values = column.fill_null(null_code).to_numpy().astype(np.int64, copy=False)
        present = np.zeros(null_code + 1, dtype=bool)
        present[values] = True
        distinct = int(present.sum())
        span *= max(distinct, 1)
        if span >= 2**62:
            return None
        renumber = np.cumsum(present, dtype=np.int64) - 1
        key *= max(distinct, 1)
        key += renumber[values]
    return pl.Series("__key", key), pl.Series("__null", has_null)


def id_follows() -> pl.Expr:
    """Whether a row's ``activity_id`` is the one before it plus one (a run goes on)."""
    return (pl.col("activity_id") == pl.col("activity_id").shift(1) + 1).fill_null(False)


def id_run_piece() -> pl.Expr:
    """Each row's piece of its group's ``activity_ids`` text, rows sorted by group then id,
    from ``__starts`` (a run of consecutive ids starts here) and ``__opens`` (a group does):
    a run is written by its first row ("," before it unless it opens the group, "-" after it
    when the run goes on) and its last; the rows between write nothing. One group-by joins
    the pieces, not one per run (1.2·10⁶ runs at 10⁷ activity rows); ``expand_ids`` reads
    the text back."""
    ends = pl.col("__starts").shift(-1).fill_null(True)
    number = pl.col("activity_id").cast(pl.Utf8)
    return pl.when(pl.col("__starts") & ~pl.col("__opens")).then(pl.lit(",")).otherwise(
        pl.lit("")
    ) + pl.when(pl.col("__starts") & ends).then(number).when(pl.col("__starts")).then(
        number + pl.lit("-")
    ).when(ends).then(number).otherwise(pl.lit(""))


def expand_ids(text: str) -> list[int]:
    """The activity ids of a group's ``activity_ids`` text, in ascending order."""
    ids: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        ids.extend(range(int(first), int(last or first) + 1))
    return ids


def listed_issues(groups: pl.DataFrame) -> pl.DataFrame:
    """Every unresolved row of ``groups`` (in stored order) again: ``activity_id`` and
    ``KEYS``, by id, a row's issues in the order of their groups, as the run listed them."""
    ranges = (
        groups.select(*KEYS, pl.col("activity_ids").str.split(",").alias("part"))
        .explode("part")
        .with_columns(pl.col("part").str.split("-").alias("ends"))
        .with_columns(
            pl.col("ends").list.first().cast(pl.Int64).alias("first"),
            pl.col("ends").list.last().cast(pl.Int64).alias("last"),
        )
    )
    return (
        ranges.select(
            pl.int_ranges("first", pl.col("last") + 1, dtype=pl.Int64).alias("activity_id"),
            *KEYS,
        )
        .explode("activity_id")
        .sort("activity_id", maintain_order=True)
    )


def issue_counts(session: Session, run_id: int) -> list[tuple[str, str, str, str, int]]:
    """(activity, quantity, reason, entity, rows) of a run's unresolved rows, either layout."""
    grouped = select(
        CalculationIssueGroup.activity,
        CalculationIssueGroup.quantity,
        CalculationIssueGroup.reason,
        CalculationIssueGroup.entity_id,
        func.sum(CalculationIssueGroup.row_count),
    ).where(CalculationIssueGroup.run_id == run_id)
    legacy = select(
        CalculationIssue.activity,
        CalculationIssue.quantity,
        CalculationIssue.reason,
        CalculationIssue.entity_id,
        func.count(),
    ).where(CalculationIssue.run_id == run_id)
    out: list[tuple[str, str, str, str, int]] = []
    for stmt, table in ((grouped, CalculationIssueGroup), (legacy, CalculationIssue)):
        keys = (table.activity, table.quantity, table.reason, table.entity_id)
        for activity, quantity, reason, entity, count in session.execute(stmt.group_by(*keys)):
            out.append((activity, quantity, reason, entity, int(count)))
    return out


def issue_totals(session: Session, run_id: int) -> list[tuple[str, str, int]]:
    """(activity, quantity, rows) of a run's unresolved rows, either layout: what a KPI
    table needs, without a row per entity and reason (30,000 per run at 10,000 entities,
    #18)."""
    grouped = select(
        CalculationIssueGroup.activity,
        CalculationIssueGroup.quantity,
        func.sum(CalculationIssueGroup.row_count),
    ).where(CalculationIssueGroup.run_id == run_id)
    legacy = select(CalculationIssue.activity, CalculationIssue.quantity, func.count()).where(
        CalculationIssue.run_id == run_id
    )
    out: list[tuple[str, str, int]] = []
    for stmt, table in ((grouped, CalculationIssueGroup), (legacy, CalculationIssue)):
        for activity, quantity, count in session.execute(
            stmt.group_by(table.activity, table.quantity)
        ):
            out.append((activity, quantity, int(count)))
    return out


def first_issue_rows(
    session: Session, run_id: int, quantities: Collection[str] | None, limit: int
) -> list[tuple[int, str]]:
    """(activity id, reason) of the run's first ``limit`` unresolved results by activity id
    (of ``quantities`` only, when given), either layout; groups are expanded only while
    they can still hold one of the first."""
    legacy = select(CalculationIssue.activity_id, CalculationIssue.reason).where(
        CalculationIssue.run_id == run_id
    )
    grouped = select(
        CalculationIssueGroup.first_activity_id,
        CalculationIssueGroup.activity_ids,
        CalculationIssueGroup.reason,
    ).where(CalculationIssueGroup.run_id == run_id)
    if quantities is not None:
        legacy = legacy.where(CalculationIssue.quantity.in_(quantities))
        grouped = grouped.where(CalculationIssueGroup.quantity.in_(quantities))
    found = [
        (int(a), r)
        for a, r in session.execute(
            legacy.order_by(CalculationIssue.activity_id, CalculationIssue.id).limit(limit)
        )
    ]
    stmt = grouped.order_by(CalculationIssueGroup.first_activity_id, CalculationIssueGroup.id)
    for first, ids, reason in session.execute(stmt.execution_options(yield_per=100)):
        if len(found) >= limit and first > found[-1][0]:
            break
        found = sorted(found + [(i, reason) for i in expand_ids(ids)[:limit]], key=lambda f: f[0])
        found = found[:limit]
    return found
