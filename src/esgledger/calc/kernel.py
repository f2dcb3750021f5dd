"""The hot path in plain arrays: rows → key ids → (row × coefficient) results.

Everything here is O(rows) numpy work on integer codes: no hashing of strings, no joins
that must keep order, no Python per row. ``engine`` prepares the codes and the tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

LOOKUP_LIMIT = 50_000_000  # above this many possible keys, fall back to a hash join


@dataclass(frozen=True)
class Codes:
    """Each row's key parts as small integers, with how many values each part can take."""

    parts: list[np.ndarray]
    sizes: list[int]

    def index(self) -> np.ndarray:
        """One integer per row, unique per key (mixed radix over the parts)."""
        out = np.zeros(len(self.parts[0]), dtype=np.uint64)
        for part, size in zip(reversed(self.parts), reversed(self.sizes), strict=True):
            out = out * np.uint64(size) + part.astype(np.uint64)
        return out

    def decode(self, index: int) -> list[int]:
        values = []
        for size in self.sizes:
            index, value = divmod(index, size)
            values.append(value)
        return values


def distinct_keys(index: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct key indexes in ascending order, each row's position among them)."""
    if space <= LOOKUP_LIMIT:
        present = np.flatnonzero(np.bincount(index.astype(np.int64), minlength=space))
        lookup = np.full(space, -1, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        return present.astype(np.uint64), lookup[index.astype(np.int64)]
    keys = pl.Series("index", index).unique().sort()
    joined = pl.DataFrame({"index": index}).join(
        keys.to_frame().with_row_index("pos"), on="index", how="left", maintain_order="left"
    )
    return keys.to_numpy(), joined["pos"].to_numpy().astype(np.int64)


@dataclass(frozen=True)
class Links:
    """For each key id, the coefficient ids it expands into (sorted by key id)."""

    key_ids: np.ndarray
    coef_ids: np.ndarray

    def expand(self, row_key: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
        """(row index, coefficient id) for every result: each row × each of its coefficients."""
        counts = np.bincount(self.key_ids, minlength=n_keys).astype(np.int32)
        starts = (np.cumsum(counts) - counts).astype(np.int32)
        per_row = counts[row_key]
        row_index = np.repeat(np.arange(len(row_key), dtype=np.int32), per_row)
        # position of each result within its row: 0, 1, … per_row − 1
        ends = np.cumsum(per_row, dtype=np.int64)
        offset = np.arange(len(row_index), dtype=np.int64) - np.repeat(ends - per_row, per_row)
        coef_pos = starts[row_key][row_index] + offset.astype(np.int32)
        return row_index, self.coef_ids[coef_pos].astype(np.int32)


def sums_by_group(
    outer: np.ndarray, n_outer: int, inner: np.ndarray, n_inner: int, weights: list[np.ndarray]
) -> dict[tuple[int, int], tuple[float, ...]]:
    """``{(outer, inner): sums}`` for the pairs present, adding in row order (bit-stable)."""
    group = outer.astype(np.int64) * n_inner + inner.astype(np.int64)
    size = n_outer * n_inner
    present = np.flatnonzero(np.bincount(group, minlength=size))
    columns = [np.bincount(group, weights=w, minlength=size)[present] for w in weights]
    return {
        (int(g // n_inner), int(g % n_inner)): tuple(float(c[i]) for c in columns)
        for i, g in enumerate(present.tolist())
    }
