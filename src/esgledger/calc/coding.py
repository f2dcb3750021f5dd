"""Activity rows as integer codes, grouped by the key that decides their coefficients.

Strings are hashed once per column here, on several threads, and never again: entity,
activity, unit and attributes become small integer codes, and rows with the same (entity,
activity, unit, attributes) form one group. Everything that depends only on a group's key
(factor resolution, coefficients, issues) is then worked out once per group, not per row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from esgledger.calc import kernel
from esgledger.calc.coefficients import Key
from esgledger.calc.kernel import combine, decode, distinct_keys, local_codes
from esgledger.calc.resolve import Region
from esgledger.catalog import activity_types
from esgledger.catalog import factors as shipped


@dataclass(frozen=True)
class Rows:
    """The rows inside the boundary as arrays; strings replaced by small integer codes.

    Activity and unit columns keep Polars' categorical codes; ``*_local`` maps them to codes
    in sorted order of the names present. Attribute codes follow the order of the
    (use, volume_basis) pairs of the sorted attribute texts present. Key ids, and so
    coefficient ids, come out in the same order on every run.
    """

    kept: np.ndarray | None  # positions in the input frame; None when every row is kept
    ids: np.ndarray
    amount: np.ndarray
    entity: np.ndarray
    activity: np.ndarray
    activity_local: np.ndarray
    activity_cats: list[str]
    unit: np.ndarray
    unit_local: np.ndarray
    unit_cats: list[str]
    attr: np.ndarray | None  # None: the same pair for every row
    attr_pairs: list[tuple[str, str]]


@dataclass(frozen=True)
class Groups:
    """Rows grouped by (entity, activity, unit, attributes): each group's parts and key."""

    row_group: np.ndarray
    entity: np.ndarray
    key: np.ndarray
    keys: list[Key]


def code_rows(
    activities: pl.DataFrame,
    entity_enum: pl.Enum,
    pool: Executor,
    leave_out: pl.Series | None = None,
) -> Rows:
    """Every string column coded at once, a column per thread (Polars releases the GIL; one
    query runs these casts one after another). Categorical casts hash each string once;
    whether the rows' attribute texts differ is found alongside. Rows of entities outside
    the boundary, and rows whose id is in ``leave_out``, get no code: ``kept`` lists the
    others."""

    def categorical(name: str) -> tuple[pl.Series, list[str], list[int]]:
        column = activities[name].cast(pl.Categorical)
        distinct = column.unique().drop_nulls()
        return (
            column.to_physical(),
            distinct.cast(pl.Utf8).to_list(),
            distinct.to_physical().to_list(),
        )

    def attribute_texts() -> pl.DataFrame:
        # usually every row has the same attributes (none): a compare, not a hash, says so
        text = pl.col("attributes").fill_null("")
        return activities.select(
            text.first().alias("first"), (text == text.first()).all().alias("same")
        )

    entity_job = pool.submit(
        lambda: activities["entity_id"].cast(entity_enum, strict=False).to_physical()
    )
    activity_job = pool.submit(categorical, "activity")
    unit_job = pool.submit(categorical, "unit")
    texts = attribute_texts()
    entity = entity_job.result()
    kept = None
    wanted = entity.is_not_null()
    if leave_out is not None and len(leave_out):
        wanted &= ~activities["id"].is_in(leave_out.implode())
    if not wanted.all():
        kept = np.flatnonzero(wanted.to_numpy())
        entity = entity.fill_null(0)

    def take(values: np.ndarray) -> np.ndarray:
        return values if kept is None else values[kept]

    def local(job: Future[tuple[pl.Series, list[str], list[int]]]) -> tuple[Any, ...]:
        physical, names, codes = job.result()
        values = take(physical.to_numpy())
        return (values, *local_codes(values, names, codes))

    n_kept = activities.height if kept is None else len(kept)
    if not activities.height:
        texts_sorted = []
    elif texts["same"][0]:
        texts_sorted = [texts["first"][0]]
    else:
        texts_sorted = sorted(activities["attributes"].fill_null("").unique().to_list())
    attr, attr_pairs = _attribute_codes(activities, texts_sorted, take, n_kept)
    return Rows(
        kept,
        take(activities["id"].to_numpy()),
        take(activities["quantity"].to_numpy()),
        take(entity.to_numpy()),
        *local(activity_job),
        *local(unit_job),
        attr,
        attr_pairs,
    )


def _attribute_codes(
    activities: pl.DataFrame,
    texts: list[str],
    take: Callable[[np.ndarray], np.ndarray],
    n_kept: int,
) -> tuple[np.ndarray | None, list[tuple[str, str]]]:
    """Each row's (use, volume_basis) as a code, parsing each distinct attributes JSON once;
    None when every row has the same text (usually none): no pass over the rows."""
    if len(texts) <= 1:
        text_code = None
        present = [n_kept > 0] * len(texts)
    else:
        column = activities["attributes"].fill_null("").cast(pl.Enum(texts))
        text_code = take(column.to_physical().to_numpy())
        present = (np.bincount(text_code, minlength=len(texts)) > 0).tolist()
    pairs: list[tuple[str, str]] = []
    code_of = np.zeros(max(len(texts), 1), dtype=np.int64)
    for i, text in enumerate(texts):
        if not present[i]:
            continue
        parsed = json.loads(text) if text else {}
        pair = (str(parsed.get("use", "")), str(parsed.get("volume_basis", "")))
        if pair not in pairs:
            pairs.append(pair)
        code_of[i] = pairs.index(pair)
    return (code_of[text_code] if text_code is not None and len(pairs) > 1 else None), pairs


def regions_for(country: str, subdivision: str | None) -> tuple[Region, ...]:
    """Most specific first: subdivision, regional grid, country, global."""
    out = []
    if subdivision:
        out.append(Region("subdivision", subdivision))
        grid = shipped.grid_region(subdivision)
        if grid:
            out.append(Region("grid", grid))
    out.append(Region("country", country))
    out.append(Region("global", "GLOBAL"))
    return tuple(out)


def region_chains(entities: pl.DataFrame) -> tuple[np.ndarray, list[tuple[Region, ...]]]:
    """Entities grouped by identical region chains: (group of each entity, the chains)."""
    chains: dict[tuple[Region, ...], int] = {}
    group: list[int] = []
    for country, subdivision in entities.select("country", "subdivision").iter_rows():
        group.append(chains.setdefault(regions_for(country, subdivision), len(chains)))
    return np.asarray(group, dtype=np.int64), list(chains)


def group_rows(
    rows: Rows, region_of_entity: np.ndarray, chains: list[tuple[Region, ...]], year: int
) -> Groups:
    """Group ids per row, and per group its key: (region chain, activity, unit, attributes).

    Keys are numbered in ascending order of (attributes, unit, activity, region) codes."""
    sizes = [
        len(region_of_entity),
        len(rows.activity_cats),
        len(rows.unit_cats),
        max(len(rows.attr_pairs), 1),
    ]
    # index = entity + n_entities × (activity + n_activities × (unit + n_units × attr)):
    # scaled lookups of the categorical codes added in blocks, so no row-length temporaries
    tables = []
    stride = sizes[0]
    for codes, local, size in (
        (rows.activity, rows.activity_local, sizes[1]),
        (rows.unit, rows.unit_local, sizes[2]),
    ):
        if size > 1:
            tables.append((codes, local * stride))
        stride *= size
    index = rows.entity.astype(np.int64)
    block = kernel.BLOCK_ROWS
    for r0 in range(0, len(index), block):
        part = index[r0 : r0 + block]
        for codes, table in tables:
            part += table[codes[r0 : r0 + block]]
        if rows.attr is not None:
            part += rows.attr[r0 : r0 + block] * stride
    present, row_group = distinct_keys(index, int(np.prod(sizes, dtype=float)))
    entity, activity, unit, attr = decode(present, sizes)
    region = region_of_entity[entity]
    key_sizes = [len(chains), *sizes[1:]]
    key_index = combine([region, activity, unit, attr], key_sizes)
    _, first, group_key = np.unique(key_index, return_index=True, return_inverse=True)
    defaults = {t.id: t.default_use or "" for t in activity_types().values()}
    keys = []
    for i in first.tolist():
        use, basis = rows.attr_pairs[attr[i]] if rows.attr_pairs else ("", "")
        name = rows.activity_cats[activity[i]]
        keys.append(
            Key(
                name,
                rows.unit_cats[unit[i]],
                year,
                chains[region[i]],
                use or defaults.get(name, ""),
                basis,
            )
        )
    return Groups(row_group, entity, group_key.reshape(-1), keys)
