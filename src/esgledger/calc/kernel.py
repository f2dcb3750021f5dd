"""The hot path in plain arrays: rows → groups → (row × coefficient) results.

Everything here is O(rows) numpy work on integer codes: no hashing of strings, no joins
that must keep order, no Python per row. ``coding`` and ``links`` prepare the codes and the
tables; the blocked passes elsewhere in ``calc`` read ``BLOCK_ROWS`` from here too.
Rows are grouped by (entity, activity, unit, attributes); everything that depends only on
those (the key, its coefficients, its issues) is worked out once per group, and rows only
gather from small per-group tables.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import polars as pl

LOOKUP_LIMIT = 50_000_000  # above this many possible groups, fall back to a hash join
BLOCK_ROWS = 1 << 17  # rows per block: a block's temporaries stay in cache


def combine(parts: list[np.ndarray], sizes: list[int]) -> np.ndarray:
    """One int64 per row, unique per combination of parts (mixed radix, last part most
    significant), built in place: a few passes over one array instead of a temporary each."""
    out = np.zeros(len(parts[0]), dtype=np.int64)
    for part, size in zip(reversed(parts), reversed(sizes), strict=True):
        if size > 1:  # a part with one possible value is all zeros and adds nothing
            out *= size
            out += part
    return out


def decode(index: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    """The parts of each ``combine`` index (first part least significant)."""
    values = []
    rest = index.astype(np.int64)
    for size in sizes:
        rest, value = np.divmod(rest, size)
        values.append(value)
    return values


def distinct_keys(index: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct indexes in ascending order, each row's position among them).

    ``index`` (int64) is used up: the positions may be written over it."""
    if space <= LOOKUP_LIMIT:
        present = np.flatnonzero(np.bincount(index, minlength=space))
        lookup = np.zeros(space, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        for r0 in range(0, len(index), BLOCK_ROWS):  # in place, in blocks: no new array
            index[r0 : r0 + BLOCK_ROWS] = lookup[index[r0 : r0 + BLOCK_ROWS]]
        return present.astype(np.int64), index
    keys = pl.Series("index", index).unique().sort()
    joined = pl.DataFrame({"index": index}).join(
        keys.to_frame().with_row_index("pos"), on="index", how="left", maintain_order="left"
    )
    return keys.to_numpy(), joined["pos"].to_numpy().astype(np.int64)


def local_codes(
    physical: np.ndarray, names: list[str], codes: list[int]
) -> tuple[np.ndarray, list[str]]:
    """(a lookup from categorical code to a code 0… in sorted order of the names present in
    ``physical``, those names). ``names``/``codes`` list the column's categories."""
    size = max(codes, default=-1) + 1
    present = np.bincount(physical, minlength=size) > 0
    pairs = sorted((name, code) for name, code in zip(names, codes, strict=True) if present[code])
    lookup = np.zeros(max(size, 1), dtype=np.int64)
    lookup[[code for _, code in pairs]] = np.arange(len(pairs))
    return lookup, [name for name, _ in pairs]


def enum_series(name: str, codes: np.ndarray, dtype: pl.Enum) -> pl.Series:
    """An Enum column straight from its codes, without gathering strings."""
    physical = pl.Series(dtype=dtype).to_physical().dtype
    series = pl.Series(name, codes).cast(physical)
    if hasattr(series.cat, "to"):  # Polars ≥ 1.32
        return series.cat.to(dtype)
    return pl.Series(name, dtype.categories, dtype=dtype).gather(series)


@dataclass(frozen=True)
class Adjustment:
    """Results to scale by (1 − covered share of the row's entity): the ``slot``-th
    coefficient of the rows whose group is marked in ``groups``."""

    slot: int
    groups: np.ndarray  # bool per group


@dataclass(frozen=True)
class Expanded:
    """Result columns, one element per (row × coefficient), rows in order."""

    row_id: np.ndarray
    entity: np.ndarray
    coef_id: np.ndarray
    quantity: np.ndarray
    value: np.ndarray
    co2e: np.ndarray
    covered: np.ndarray


def expand(
    row_group: np.ndarray,
    group_count: np.ndarray,
    group_start: np.ndarray,
    row_id: np.ndarray,
    entity: np.ndarray,
    amount: np.ndarray,
    coefficients: tuple[np.ndarray, np.ndarray, np.ndarray],
    adjustments: list[Adjustment],
    covered_by_entity: np.ndarray,
    pool: Executor,
) -> Expanded:
    """Every row × each coefficient of its group (a group's coefficients have consecutive
    ids from ``group_start``): value = amount × k, co2e = value × gwp.

    Works in blocks of rows written straight into the output arrays, on the threads of
    ``pool`` (numpy releases the GIL for all but ``np.repeat``); each block writes only its
    own slice, so the bits do not depend on the scheduling.
    """
    k, gwp, quantity_code = coefficients
    starts = range(0, len(row_group), BLOCK_ROWS)
    # results per block first, so no row-length temporaries: each block then knows where
    # its results go
    per_block = [int(group_count[row_group[r0 : r0 + BLOCK_ROWS]].sum()) for r0 in starts]
    offsets = np.concatenate([[0], np.cumsum(per_block, dtype=np.int64)]).tolist()
    total = offsets[-1]
    out = Expanded(
        np.empty(total, dtype=row_id.dtype),
        np.empty(total, dtype=entity.dtype),
        np.empty(total, dtype=np.int32),  # like the coefficient table's ids
        np.empty(total, dtype=quantity_code.dtype),
        np.empty(total, dtype=np.float64),
        np.empty(total, dtype=np.float64),
        np.empty(total, dtype=np.float64),
    )

    def block(number: int) -> None:
        r0 = starts[number]
        r1 = min(r0 + BLOCK_ROWS, len(row_group))
        p0, p1 = offsets[number], offsets[number + 1]
        if p1 == p0:
            return
        groups = row_group[r0:r1]
        count = group_count[groups]
        first = np.cumsum(count)
        first -= count  # each row's first result, block-local
        row = np.repeat(np.arange(r1 - r0), count)  # block-local row of each result
        coef = np.arange(p1 - p0, dtype=np.int64)
        coef -= (first - group_start[groups])[row]
        value = out.value[p0:p1]
        np.multiply(amount[r0:r1][row], k[coef], out=value)
        covered = out.covered[p0:p1]
        covered.fill(np.nan)
        for adjustment in adjustments:
            hit = np.flatnonzero(adjustment.groups[groups])
            at = first[hit] + adjustment.slot
            share = covered_by_entity[entity[r0:r1][hit]]
            value[at] = value[at] * (1.0 - share)
            covered[at] = share
        np.multiply(value, gwp[coef], out=out.co2e[p0:p1])
        out.coef_id[p0:p1] = coef
        # take(out=…) buffers the output unless told what to do with bad indices: all valid
        np.take(quantity_code, coef, out=out.quantity[p0:p1], mode="clip")
        np.take(row_id[r0:r1], row, out=out.row_id[p0:p1], mode="clip")
        np.take(entity[r0:r1], row, out=out.entity[p0:p1], mode="clip")

    list(pool.map(block, range(len(starts))))
    return out
