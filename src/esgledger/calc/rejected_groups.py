"""A run's rejected instrument rows stored a group at a time, and listed again row by row.

At 10⁷ activity rows a run rejected half a million attribute-less certificates and wrote one
``calculation_instrument_rejections`` row each, every one repeating the same ~500 bytes of
findings: 300 MB a run, and 4–5 CPU s to insert, digest and commit them. Rows of one entity,
activity type, instrument and findings share everything but their id and MWh, so they are
stored once (``calculation_instrument_rejection_groups``, since ``0034_calc7``) with their
count, their activity ids (runs of consecutive ids written ``first-last``, as
``calc.issue_groups`` writes them) and each row's MWh in id order, as the shortest text that
reads back to the same float. Every row can be listed again, bit for bit (#18).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from esgledger.calc.issue_groups import id_follows, id_run_piece
from esgledger.errors import EsgError
from esgledger.ledger.instrument_models import CalculationInstrumentRejectionGroup

GROUPS = "calculation_instrument_rejection_groups"
KEYS = ["entity_id", "activity", "instrument", "failed"]
ROW_SCHEMA = pl.Schema(  # a rejected row (``calc.instruments.REJECTED_SCHEMA``)
    {
        "activity_id": pl.Int64,
        "entity_id": pl.Utf8,
        "activity": pl.Utf8,
        "instrument": pl.Utf8,
        "mwh": pl.Float64,
        "failed": pl.Utf8,
    }
)
GROUP_SCHEMA = pl.Schema(
    {
        "run_id": pl.Int64,
        **{k: pl.Utf8 for k in KEYS},
        "row_count": pl.Int64,
        "first_activity_id": pl.Int64,
        "activity_ids": pl.Utf8,
        "mwh": pl.Utf8,
    }
)


IN_LIST = 500  # groups of a page named in the query; more: the run's groups are read


class StoredGroupBroken(EsgError):
    """A stored group's ids and MWh do not agree with its count (an edited row)."""


def grouped_rejections(rejected: pl.DataFrame, run_id: int) -> pl.DataFrame:
    """The rejected rows (``ROW_SCHEMA``) as ``GROUP_SCHEMA`` rows of run ``run_id``, in the
    order of each group's first row by id.

    Rows are grouped on integer codes of the keys (each findings text hashed once, not
    sorted); a stable sort keeps the ids ascending within a key. Keys a chunked run kept as
    codes are grouped as they are, not made text again (2.5 GB at 10⁸ rows, #18)."""
    if not rejected.height:
        return pl.DataFrame(schema=GROUP_SCHEMA)
    rows = rejected if rejected["activity_id"].is_sorted() else rejected.sort("activity_id")
    codes = [f"__{k}" for k in KEYS]
    work = (
        rows.select(
            *(pl.col(k).cast(pl.Categorical).to_physical().alias(f"__{k}") for k in KEYS),
            pl.col("activity_id").cast(pl.Int64),
            float_texts(rows["mwh"]).alias("__mwh"),
        )
        .with_row_index("__position")
        .sort(codes, maintain_order=True)
    )
    # each row's piece of its group's ids text, as ``calc.issue_groups`` writes it
    same_key = pl.all_horizontal(pl.col(c) == pl.col(c).shift(1) for c in codes).fill_null(False)
    follows = id_follows()
    groups = (
        work.with_columns((~(same_key & follows)).alias("__starts"), (~same_key).alias("__opens"))
        .with_columns(id_run_piece().alias("__piece"))
        .group_by(codes, maintain_order=True)
        .agg(
            pl.len().cast(pl.Int64).alias("row_count"),
            pl.col("activity_id").first().alias("first_activity_id"),
            pl.col("__piece").str.join("").alias("activity_ids"),
            pl.col("__mwh").str.join(",").alias("mwh"),
            pl.col("__position").first(),
        )
        .sort("first_activity_id")
    )
    keys = rows.select(KEYS)[groups["__position"].to_numpy()]  # each group's first row's
    return groups.hstack(keys).select(
        pl.lit(run_id, dtype=pl.Int64).alias("run_id"),
        *(pl.col(name).cast(dtype) for name, dtype in GROUP_SCHEMA.items() if name != "run_id"),
    )


def float_texts(values: pl.Series) -> pl.Series:
    """Each float as the shortest text that reads back to the same bits (Polars prints them
    so; a value that would not read back, should one ever, is written by ``repr``)."""
    if values.null_count():
        raise ValueError("a rejected instrument row without MWh cannot be stored")
    text = values.cast(pl.Utf8)
    wanted = values.to_numpy()
    back = text.cast(pl.Float64).to_numpy()
    same = (back.view(np.int64) == wanted.view(np.int64)) | (np.isnan(back) & np.isnan(wanted))
    if not same.all():
        at = np.flatnonzero(~same)
        text = text.scatter(at, [repr(float(v)) for v in wanted[at]])
    return text


def listed_rejections(groups: pl.DataFrame) -> pl.DataFrame:
    """Every rejected row of ``groups`` (``GROUP_SCHEMA`` columns) again, as ``ROW_SCHEMA``
    rows by activity id."""
    if not groups.height:
        return pl.DataFrame(schema=ROW_SCHEMA)
    ids = _ids(groups.select("activity_ids", "row_count"))
    mwh = groups.select(pl.col("mwh").str.split(",")).explode("mwh")["mwh"].cast(pl.Float64)
    counts = groups["row_count"].to_numpy()
    if ids.len() != counts.sum() or mwh.len() != counts.sum():
        raise StoredGroupBroken(
            f"{GROUPS}: {ids.len()} activity ids and {mwh.len()} MWh values for "
            f"{int(counts.sum())} rows"
        )
    keys = groups.select(KEYS).select(pl.all().gather(np.repeat(np.arange(groups.height), counts)))
    return (
        keys.with_columns(ids.alias("activity_id"), mwh.alias("mwh"))
        .select(*(pl.col(n).cast(t) for n, t in ROW_SCHEMA.items()))
        .sort("activity_id")
    )


def _ids(groups: pl.DataFrame) -> pl.Series:
    """The activity ids of each group's ``activity_ids`` text, group after group, each
    group's ascending."""
    ranges = (
        groups.select(pl.col("activity_ids").str.split(",").alias("part"))
        .explode("part")
        .select(pl.col("part").str.split("-").alias("ends"))
        .select(
            pl.col("ends").list.first().cast(pl.Int64).alias("first"),
            pl.col("ends").list.last().cast(pl.Int64).alias("last"),
        )
    )
    return ranges.select(
        pl.int_ranges("first", pl.col("last") + 1, dtype=pl.Int64).alias("id")
    ).explode("id")["id"]


def read_group_page(session: Session, run_id: int, offset: int, limit: int) -> list[dict[str, Any]]:
    """Rows ``offset`` … ``offset + limit`` of a grouped run's rejected instruments by id, as
    ``ROW_SCHEMA`` dicts: every group's ids are expanded to find the page (a few MB of ids
    at 500,000 rows), then only the groups holding a row of it are read whole."""
    t = CalculationInstrumentRejectionGroup
    heads = pl.DataFrame(
        session.execute(
            select(t.id, t.row_count, t.activity_ids).where(t.run_id == run_id).order_by(t.id)
        ).all(),
        schema={"id": pl.Int64, "row_count": pl.Int64, "activity_ids": pl.Utf8},
        orient="row",
    )
    if not heads.height or limit <= 0:
        return []
    ids = _ids(heads)
    counts = heads["row_count"].to_numpy()
    if ids.len() != counts.sum():
        raise StoredGroupBroken(
            f"{GROUPS}: run {run_id} lists {ids.len()} activity ids for {int(counts.sum())} rows"
        )
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    page = (
        pl.DataFrame(
            {
                "activity_id": ids,
                "group": np.repeat(heads["id"].to_numpy(), counts),
                "at": np.arange(ids.len()) - starts,
            }
        )
        .sort("activity_id")
        .slice(offset, limit)
    )
    if not page.height:
        return []
    wanted = set(page["group"].to_list())
    stmt = select(t.id, t.row_count, t.entity_id, t.activity, t.instrument, t.failed, t.mwh)
    stmt = stmt.where(t.run_id == run_id)
    if len(wanted) <= IN_LIST:
        stmt = stmt.where(t.id.in_(sorted(wanted)))
    stored = {row.id: row for row in session.execute(stmt) if row.id in wanted}
    mwh = {g: stored[g].mwh.split(",") for g in wanted}
    for group, values in mwh.items():
        if len(values) != stored[group].row_count:
            raise StoredGroupBroken(
                f"{GROUPS}: group {group} holds {len(values)} MWh values for "
                f"{stored[group].row_count} rows"
            )
    out = []
    for activity_id, group, at in page.iter_rows():
        row = stored[group]
        out.append(
            {
                "activity_id": activity_id,
                "entity_id": row.entity_id,
                "activity": row.activity,
                "instrument": row.instrument,
                "mwh": float(mwh[group][at]),
                "failed": row.failed,
            }
        )
    return out
