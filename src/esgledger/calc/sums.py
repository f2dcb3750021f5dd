"""Totals that come out the same, bit for bit, on every run of the same inputs.

Parallel hash aggregation may add floats in a different order from run to run; here rows
are put in one canonical order (unique keys, so any sort gives the same order) and each
group is summed left to right with numpy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl


def grouped_sums(
    frame: pl.DataFrame, keys: Sequence[str], value: str, order: Sequence[str]
) -> dict[tuple[Any, ...], float]:
    """``{key tuple: sum of value}``; ``order`` must make rows unique within a group."""
    if frame.height == 0:
        return {}
    ordered = frame.select(*keys, *[c for c in order if c not in keys], value).sort([*keys, *order])
    starts_mask = ordered.select(
        pl.any_horizontal([pl.col(k).ne_missing(pl.col(k).shift(1)) for k in keys]).fill_null(True)
    ).to_series()
    starts = np.flatnonzero(starts_mask.to_numpy())
    values = ordered[value].fill_null(0.0).to_numpy().astype(np.float64, copy=False)
    totals = np.add.reduceat(values, starts) if len(values) else np.array([])
    group_keys = ordered.select(keys)[starts.tolist()].rows()
    return {tuple(k): float(t) for k, t in zip(group_keys, totals, strict=True)}
